import type { AlertRaised } from '@shelfwatch/contracts';
import type { EmailRecipient, PrismaClient } from '@shelfwatch/db';

/**
 * The recipients of the alert's account who want it: confirmed, not unsubscribed, asking for
 * its kind, and whose watch or label filter (if any) matches. Unconfirmed addresses get nothing.
 */
export async function recipientsForAlert(
  prisma: PrismaClient,
  alert: AlertRaised,
): Promise<EmailRecipient[]> {
  const rows = await prisma.emailRecipient.findMany({
    where: {
      accountId: alert.accountId,
      verifiedAt: { not: null },
      unsubscribedAt: null,
      alertKinds: { has: alert.kind },
      OR: [{ watchId: null }, { watchId: alert.watchId }],
    },
    orderBy: { id: 'asc' },
  });
  return rows.filter((row) => row.label === null || alert.watchLabels.includes(row.label));
}
