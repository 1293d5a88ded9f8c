import type {
  EmailRecipient as EmailRecipientDto,
  EmailRecipientStatus,
} from '@shelfwatch/contracts';
import type { EmailRecipient } from '@shelfwatch/db';

export function recipientStatus(row: EmailRecipient): EmailRecipientStatus {
  if (row.unsubscribedAt) return 'unsubscribed';
  return row.verifiedAt ? 'verified' : 'pending_verification';
}

export function toEmailRecipientDto(row: EmailRecipient): EmailRecipientDto {
  return {
    id: row.id,
    address: row.address,
    kinds: row.alertKinds,
    watchId: row.watchId,
    label: row.label,
    delivery: row.deliveryMode,
    digestIntervalMinutes: row.digestIntervalMinutes,
    status: recipientStatus(row),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    verificationExpiresAt: row.verifiedAt
      ? null
      : (row.verificationExpiresAt?.toISOString() ?? null),
    unsubscribedAt: row.unsubscribedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
