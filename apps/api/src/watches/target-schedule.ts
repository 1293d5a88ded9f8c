import { Prisma } from '@shelfwatch/db';

type Tx = Prisma.TransactionClient;

/**
 * Schedules each target at the shortest interval of its active (unpaused) watches, so a page many
 * accounts watch is still fetched once per interval; a shorter interval brings an active target's
 * next check forward. A target with no active watch left (none at all, or all paused) is paused,
 * so the scheduler requests no scrape for it (its history stays).
 */
export async function syncTargetSchedules(tx: Tx, targetIds: string[], now: Date): Promise<void> {
  if (targetIds.length === 0) return;
  await lockTargets(tx, targetIds);
  const ids = Prisma.join(targetIds.map((id) => Prisma.sql`${id}::uuid`));
  await tx.$executeRaw`
    UPDATE targets t
    SET check_interval_seconds = w.shortest,
        next_check_at = CASE WHEN t.status = 'active' THEN LEAST(
          COALESCE(t.next_check_at, ${now}::timestamptz),
          ${now}::timestamptz + make_interval(secs => w.shortest)
        ) END,
        updated_at = now()
    FROM (
      SELECT target_id, min(check_interval_seconds) AS shortest
      FROM watches WHERE target_id IN (${ids}) AND paused_at IS NULL GROUP BY target_id
    ) w
    WHERE t.id = w.target_id`;
  await tx.$executeRaw`
    UPDATE targets t SET status = 'paused', next_check_at = NULL, updated_at = now()
    WHERE t.id IN (${ids}) AND t.status = 'active' AND NOT EXISTS (
      SELECT 1 FROM watches w WHERE w.target_id = t.id AND w.paused_at IS NULL
    )`;
}

/** A new or resumed watch on a paused page asks for it to be checked again: due now. */
export async function resumeTarget(tx: Tx, targetId: string, now: Date): Promise<void> {
  await lockTargets(tx, [targetId]);
  await tx.target.updateMany({
    where: { id: targetId, status: 'paused' },
    data: { status: 'active', nextCheckAt: now },
  });
}

/**
 * Serialises every change to a target's watches on the target row, in id order: without it, one
 * account pausing the last active watch and another resuming theirs at the same moment could each
 * miss the other's change and leave an active watch on a paused page. Locking again in the same
 * transaction is free.
 */
async function lockTargets(tx: Tx, targetIds: string[]): Promise<void> {
  const ids = Prisma.join([...targetIds].sort().map((id) => Prisma.sql`${id}::uuid`));
  await tx.$queryRaw`SELECT id FROM targets WHERE id IN (${ids}) ORDER BY id FOR NO KEY UPDATE`;
}
