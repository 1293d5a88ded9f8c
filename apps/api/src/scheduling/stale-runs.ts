import type { PrismaClient } from '@shelfwatch/db';

/** A run still unfinished this long after it was queued has lost its answer for good. */
export const DEFAULT_RUN_DEADLINE_MS = 60 * 60_000;

/**
 * Fails every run still `queued` or `running` longer than `deadlineMs` after it was requested, so
 * each run reaches a final state in bounded time even when its request or result was lost (a
 * crash between commit and publish, a dead letter). Only unfinished runs are touched; an observation that still arrives later marks the
 * run succeeded, since its price was recorded after all. Returns how many runs it failed.
 */
export async function failStaleRuns(
  prisma: PrismaClient,
  options: { now: Date; deadlineMs?: number },
): Promise<number> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_RUN_DEADLINE_MS;
  const cutoff = new Date(options.now.getTime() - deadlineMs);
  const { count } = await prisma.scrapeRun.updateMany({
    where: { status: { in: ['queued', 'running'] }, requestedAt: { lt: cutoff } },
    data: {
      status: 'failed',
      finishedAt: options.now,
      errorClass: 'timeout',
      errorMessage: `No result within ${Math.round(deadlineMs / 60_000)} minute(s) of the request`,
    },
  });
  return count;
}
