import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one attempt. */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `payload` with every secret given (the current one, and during a rotation's grace the one
 * it replaced): `webhook-signature` then lists one `v1,<base64 HMAC-SHA256>` per secret,
 * space-separated, and a receiver holding either secret verifies it.
 */
export function signWebhook(
  secrets: readonly string[],
  webhookId: string,
  timestamp: Date,
  payload: string,
): SignedHeaders {
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const signatures = secrets.map((secret) =>
    new Webhook(secret).sign(webhookId, timestamp, payload),
  );
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
