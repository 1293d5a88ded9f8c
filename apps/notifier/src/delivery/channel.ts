import type { EventOf } from '@shelfwatch/contracts';
import type { DeliveryChannel, Prisma } from '@shelfwatch/db';

/** One place an event goes on one channel: a webhook endpoint, an email recipient. */
export interface Recipient {
  channel: DeliveryChannel;
  /** The endpoint's (or recipient's) id: with the event id, the key of exactly-once delivery. */
  channelId: string;
  accountId: string;
  /** Set when the recipient may no longer receive anything (disabled): recorded dead, not sent. */
  unreachable?: string;
}

/** The exact message for one recipient, the same for every retry and resend of an event. */
export interface PreparedMessage {
  /** The bytes sent (kept with the outcome, so a resend is byte for byte the same). */
  payload: string;
  /** Standard Webhooks' webhook-id, stable per (event, endpoint); null for channels without one. */
  webhookId: string | null;
}

/** How one try went. A channel's `send` never throws for a failed delivery: it reports it. */
export interface AttemptResult {
  succeeded: boolean;
  status: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/**
 * A way to tell an account about an alert. The notifier's engine (deliver-once.ts) gives every
 * channel the same guarantees: one recorded outcome per (event, recipient), retries through the
 * messaging layer, an attempts log. A channel only knows who wants an alert and how to send.
 */
export interface AlertChannel {
  readonly name: DeliveryChannel;
  /** Recipients of this channel that want this alert, filters applied. */
  recipientsOf(event: EventOf<'alert.raised'>): Promise<Recipient[]>;
  /** The message for one recipient (pure: the same event gives the same message). */
  prepare(event: EventOf<'alert.raised'>, recipient: Recipient): PreparedMessage;
  /**
   * One try at sending. Reads go through `tx`, the delivery's transaction: it already holds a
   * connection, and asking the pool for a second one while holding it could starve the pool.
   */
  send(
    recipient: Recipient,
    message: PreparedMessage,
    tx: Prisma.TransactionClient,
  ): Promise<AttemptResult>;
  /** After an attempt is logged, in its transaction: e.g. an endpoint's health. */
  afterAttempt?(
    tx: Prisma.TransactionClient,
    recipient: Recipient,
    result: AttemptResult,
  ): Promise<void>;
}
