import type { EventOf } from '@shelfwatch/contracts';
import { recordProcessedEvent, type PrismaClient } from '@shelfwatch/db';
import { consumers } from '../consumers';
import { recordAutomaticPause, recordCheckFailed } from './target-health';

export const DEFAULT_GONE_THRESHOLD = 3;

export interface ScrapeFailedOptions {
  /** Consecutive 404/410 answers after which a target is paused (default 3). */
  goneThreshold?: number;
  now?: () => Date;
}

export interface ScrapeFailedOutcome {
  /** True when the event had been handled before: nothing changed. */
  duplicate: boolean;
  /** True when this failure paused the target. */
  targetPaused: boolean;
  /** The target's streaks after this event; null when the target no longer exists. */
  consecutiveFailures: number | null;
  consecutiveGone: number | null;
}

const GONE_STATUSES = new Set([404, 410]);

/**
 * Records a failed scrape: the run ends as failed, the target's failure streaks grow, and a
 * target whose page answered 404/410, or that the address guard refused, `goneThreshold` times
 * in a row is paused with the reason.
 * Idempotent through the inbox, in one transaction.
 */
export async function handleScrapeFailed(
  prisma: PrismaClient,
  event: EventOf<'scrape.failed'>,
  options: ScrapeFailedOptions = {},
): Promise<ScrapeFailedOutcome> {
  const goneThreshold = options.goneThreshold ?? DEFAULT_GONE_THRESHOLD;
  const now = options.now ?? (() => new Date());
  const data = event.data;
  const failedAt = new Date(data.failedAt);
  const httpStatus = data.httpStatus ?? null;

  return prisma.$transaction(async (tx) => {
    const first = await recordProcessedEvent(tx, {
      consumer: consumers.scrapeFailed,
      eventId: event.id,
      eventType: event.type,
    });
    if (!first) {
      return {
        duplicate: true,
        targetPaused: false,
        consecutiveFailures: null,
        consecutiveGone: null,
      };
    }

    // A run that already ended (e.g. a retry of it succeeded) keeps its outcome.
    await tx.scrapeRun.updateMany({
      where: { id: data.runId, status: { in: ['queued', 'running'] } },
      data: {
        status: 'failed',
        ...(data.startedAt === undefined ? {} : { startedAt: new Date(data.startedAt) }),
        finishedAt: failedAt,
        httpStatus,
        errorClass: data.errorClass,
        errorMessage: data.message,
      },
    });

    const target = await tx.target.findUnique({
      where: { id: data.targetId },
      select: { id: true, status: true },
    });
    if (!target) {
      return {
        duplicate: false,
        targetPaused: false,
        consecutiveFailures: null,
        consecutiveGone: null,
      };
    }

    // A page the address guard refuses (it resolves to a private or loopback address) is as
    // unreachable as a gone one: checking it again changes nothing until someone fixes it.
    const refused = data.errorClass === 'blocked_address';
    const gone = refused || (httpStatus !== null && GONE_STATUSES.has(httpStatus));
    const health = await recordCheckFailed(tx, target.id, {
      at: failedAt,
      errorClass: data.errorClass,
      httpStatus,
      message: data.message,
      gone,
    });

    let targetPaused = false;
    if (gone && health.consecutiveGone >= goneThreshold && target.status === 'active') {
      const reason = refused
        ? `Address refused: ${data.message} on ${health.consecutiveGone} consecutive checks, the last at ${data.failedAt}`
        : `Page gone: HTTP ${httpStatus} on ${health.consecutiveGone} consecutive checks, the last at ${data.failedAt}`;
      await tx.target.update({
        where: { id: target.id },
        data: { status: 'paused', nextCheckAt: null },
      });
      await recordAutomaticPause(tx, target.id, now(), reason);
      targetPaused = true;
    }
    return {
      duplicate: false,
      targetPaused,
      consecutiveFailures: health.consecutiveFailures,
      consecutiveGone: health.consecutiveGone,
    };
  });
}
