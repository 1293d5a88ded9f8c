import type { Prisma, TargetHealth } from '@shelfwatch/db';

type Tx = Prisma.TransactionClient;

/** The health row of a target, created when missing and locked until the transaction ends. */
async function lockHealth(tx: Tx, targetId: string): Promise<TargetHealth> {
  await tx.targetHealth.createMany({ data: [{ targetId }], skipDuplicates: true });
  await tx.$queryRaw`SELECT target_id FROM target_health WHERE target_id = ${targetId}::uuid FOR UPDATE`;
  return tx.targetHealth.findUniqueOrThrow({ where: { targetId } });
}

const later = (a: Date | null, b: Date): Date => (a && a > b ? a : b);

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * A successful check ends the failure streaks, unless a newer failure is already recorded. The
 * page's validators (ETag, Last-Modified) are kept from the newest check only, so the next
 * scrape asks "changed since?" of the version we actually hold.
 */
export async function recordCheckSucceeded(
  tx: Tx,
  targetId: string,
  at: Date,
  validators: Validators = {},
): Promise<void> {
  const health = await lockHealth(tx, targetId);
  const newest = !health.lastFailureAt || health.lastFailureAt < at;
  const newestValidators = !health.validatorsAt || health.validatorsAt < at;
  await tx.targetHealth.update({
    where: { targetId },
    data: {
      lastSuccessAt: later(health.lastSuccessAt, at),
      ...(newest ? { consecutiveFailures: 0, consecutiveGone: 0 } : {}),
      ...(newestValidators
        ? {
            etag: validators.etag ?? null,
            lastModified: validators.lastModified ?? null,
            validatorsAt: at,
          }
        : {}),
    },
  });
}

/**
 * Which product the target's page is about, from the newest observation only: a late one
 * leaves it alone. The row exists, since a success was recorded in the same transaction.
 */
export async function recordPrimaryProduct(
  tx: Tx,
  targetId: string,
  productId: string,
  at: Date,
): Promise<void> {
  await tx.targetHealth.updateMany({
    where: { targetId, OR: [{ primaryObservedAt: null }, { primaryObservedAt: { lt: at } }] },
    data: { primaryProductId: productId, primaryObservedAt: at },
  });
}

export interface CheckFailure {
  at: Date;
  errorClass: string;
  httpStatus: number | null;
  message: string;
  /** The page answered 404 or 410. */
  gone: boolean;
}

/**
 * Counts a failed check. One older than the last success is history (the page has worked
 * since) and changes no streak. Only a success ends the gone streak: a timeout between two
 * 404s says nothing about whether the page is back.
 */
export async function recordCheckFailed(
  tx: Tx,
  targetId: string,
  failure: CheckFailure,
): Promise<TargetHealth> {
  const health = await lockHealth(tx, targetId);
  const counts = !health.lastSuccessAt || health.lastSuccessAt < failure.at;
  const newest = !health.lastFailureAt || health.lastFailureAt <= failure.at;
  return tx.targetHealth.update({
    where: { targetId },
    data: {
      ...(counts
        ? {
            consecutiveFailures: { increment: 1 },
            ...(failure.gone ? { consecutiveGone: { increment: 1 } } : {}),
          }
        : {}),
      ...(newest
        ? {
            lastFailureAt: failure.at,
            lastErrorClass: failure.errorClass,
            lastHttpStatus: failure.httpStatus,
            lastErrorMessage: failure.message,
          }
        : {}),
    },
  });
}

export async function recordAutomaticPause(
  tx: Tx,
  targetId: string,
  at: Date,
  reason: string,
): Promise<void> {
  await tx.targetHealth.update({
    where: { targetId },
    data: { pausedAt: at, pauseReason: reason },
  });
}
