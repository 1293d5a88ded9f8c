/**
 * `npx shelfwatch webhooks listen --secret whsec_... [--port 9000]`: a webhook receiver on
 * loopback for trying deliveries on your own machine. It verifies every request with the
 * `standardwebhooks` library (signature, and a timestamp within 5 minutes), answers 204 to a
 * valid one and 400 to anything else, and prints each on one line; a repeated webhook-id (a
 * retry of something already received) is printed as such and answered 204 again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';

export interface VerifiedDelivery {
  webhookId: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  duplicate: boolean;
}

export interface WebhookListener {
  url: string;
  /** Every delivery that verified, in arrival order (duplicates included, marked). */
  verified: VerifiedDelivery[];
  /** Requests refused (bad or missing signature), with why. */
  rejected: string[];
  close(): Promise<void>;
}

export async function startWebhookListener(options: {
  secret: string;
  port?: number;
  onLine?: (line: string) => void;
}): Promise<WebhookListener> {
  const webhook = new Webhook(options.secret);
  const seen = new Set<string>();
  const say = options.onLine ?? (() => undefined);
  const listener: WebhookListener = {
    url: '',
    verified: [],
    rejected: [],
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      try {
        const payload = webhook.verify(body, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        }) as VerifiedDelivery['payload'];
        const webhookId = header('webhook-id');
        const duplicate = seen.has(webhookId);
        seen.add(webhookId);
        listener.verified.push({ webhookId, payload, duplicate });
        const kind = typeof payload.data?.kind === 'string' ? ` ${payload.data.kind}` : '';
        say(
          `verified ${payload.type}${kind} ${webhookId}${duplicate ? ' (duplicate, ignored)' : ''}`,
        );
        res.writeHead(204).end();
      } catch (error) {
        const why = (error as Error).message;
        listener.rejected.push(why);
        say(`rejected ${req.method} ${req.url}: ${why}`);
        res.writeHead(400, { 'content-type': 'text/plain' }).end(why);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  listener.url = `http://127.0.0.1:${port}`;
  listener.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return listener;
}

/** The command line; resolves with the exit code once interrupted. */
export async function runWebhooksCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'listen') {
    console.error('usage: shelfwatch webhooks listen --secret whsec_... [--port 9000]');
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { secret: { type: 'string' }, port: { type: 'string', default: '9000' } },
  });
  const secret = values.secret ?? process.env.WEBHOOK_SIGNING_SECRET;
  if (!secret?.startsWith('whsec_')) {
    console.error(
      '--secret (or WEBHOOK_SIGNING_SECRET) must be the whsec_... secret shown at creation',
    );
    return 2;
  }
  const listener = await startWebhookListener({
    secret,
    port: Number(values.port),
    onLine: (line) => console.log(line),
  });
  console.log(`listening on ${listener.url}/ (any path); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await listener.close();
  return 0;
}
