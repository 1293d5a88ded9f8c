import type { Prisma } from '@shelfwatch/db';
import { recipientsOf, type AlertRecipient } from './alert-rules';
import type { AlertThresholds } from './change-detection';

/** Whose rules an observation of a target is judged by. */
export interface JudgingTarget {
  /** Null for a target this database does not know. */
  targetId: string | null;
  recipients: AlertRecipient[];
}

/**
 * The targets' active watches as recipients, read in one query for a single observation or a
 * batch: a paused watch raises nothing while it is paused (ADR 0029). An unknown target is judged
 * by `fallback` with no account.
 */
export async function judgingTargets(
  tx: Prisma.TransactionClient,
  targetIds: readonly string[],
  fallback: AlertThresholds,
): Promise<(targetId: string) => JudgingTarget> {
  const rows = await tx.target.findMany({
    where: { id: { in: [...new Set(targetIds)] } },
    select: {
      id: true,
      alertMinChangeAmount: true,
      alertMinChangePercent: true,
      watches: { where: { pausedAt: null }, orderBy: { id: 'asc' } },
    },
  });
  const known = new Map<string, JudgingTarget>(
    rows.map((target) => [
      target.id,
      {
        targetId: target.id,
        recipients: recipientsOf(target.watches, {
          minChangeAmount: target.alertMinChangeAmount,
          minChangePercent: target.alertMinChangePercent,
        }),
      },
    ]),
  );
  const unknown: JudgingTarget = { targetId: null, recipients: recipientsOf([], fallback) };
  return (targetId) => known.get(targetId) ?? unknown;
}
