import { Prisma, type PrismaClient, type TargetKind } from '@shelfwatch/db';
import { enqueueScrapeRequests, type QueuedRun } from './scrape-dispatch';

export interface DueTargetsOptions {
  now: Date;
  /** Most targets claimed per tick. */
  batchSize: number;
  /** Most targets of one host claimed per tick, so one big shop cannot crowd out the rest. */
  perHostLimit: number;
  newId: () => string;
}

interface DueRow {
  id: string;
  url: string;
  kind: TargetKind;
  selectors: Prisma.JsonValue;
  check_interval_seconds: number;
  etag: string | null;
  last_modified: string | null;
}

/**
 * Claims due targets and queues one run each, with its scrape.requested in the outbox, in one
 * transaction: `FOR UPDATE SKIP LOCKED` lets
 * api instances tick at the same time without claiming a target twice, and moving
 * `next_check_at` one interval on in the same transaction keeps the next tick from claiming it
 * again. Work is spread per host: at most `perHostLimit` targets of a host per tick, oldest due
 * first; the rest stay due for the next tick.
 */
export async function claimDueTargets(
  prisma: PrismaClient,
  options: DueTargetsOptions,
): Promise<QueuedRun[]> {
  return prisma.$transaction(async (tx) => {
    const due = await tx.$queryRaw<DueRow[]>`
      WITH ranked AS (
        SELECT id, row_number() OVER (PARTITION BY host ORDER BY next_check_at, id) AS host_rank
        FROM targets
        WHERE status = 'active' AND next_check_at <= ${options.now}
      )
      SELECT t.id, t.url, t.kind, t.selectors, t.check_interval_seconds, h.etag, h.last_modified
      FROM targets t
      JOIN ranked r ON r.id = t.id
      LEFT JOIN target_health h ON h.target_id = t.id
      WHERE r.host_rank <= ${options.perHostLimit}
        AND t.status = 'active' AND t.next_check_at <= ${options.now}
      ORDER BY t.next_check_at, t.id
      LIMIT ${options.batchSize}
      FOR UPDATE OF t SKIP LOCKED`;
    if (due.length === 0) return [];

    const runs: QueuedRun[] = due.map((row) => ({
      runId: options.newId(),
      requestedAt: options.now,
      target: { id: row.id, url: row.url, kind: row.kind, selectors: row.selectors },
      validators: { etag: row.etag, lastModified: row.last_modified },
    }));
    await tx.scrapeRun.createMany({
      data: runs.map((run) => ({
        id: run.runId,
        targetId: run.target.id,
        status: 'queued' as const,
        requestedAt: run.requestedAt,
      })),
    });
    await tx.$executeRaw`
      UPDATE targets
      SET next_check_at = ${options.now}::timestamptz + make_interval(secs => check_interval_seconds),
          last_checked_at = ${options.now},
          updated_at = now()
      WHERE id IN (${Prisma.join(due.map((row) => Prisma.sql`${row.id}::uuid`))})`;
    await enqueueScrapeRequests(tx, runs);
    return runs;
  });
}
