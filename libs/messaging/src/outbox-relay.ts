import type { AnyEvent } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import type { Messaging } from './messaging';

/** An unpublished outbox row as the store hands it to the relay. */
export interface OutboxRecord {
  eventId: string;
  eventType: string;
  /** The whole event envelope, as written. */
  payload: unknown;
}

/**
 * Where a relay reads its publisher's outbox (`createOutboxStore` in @shelfwatch/db implements
 * it over PostgreSQL). `relayBatch` claims up to `limit` unpublished rows so no other relay
 * sends them meanwhile, hands them to `publish`, records each outcome and returns how many it
 * claimed.
 */
export interface OutboxSource {
  relayBatch(
    limit: number,
    publish: (records: OutboxRecord[]) => Promise<Array<{ eventId: string; error?: string }>>,
  ): Promise<number>;
  /** Deletes some rows published before `before`; returns how many (all gone when < its limit). */
  prunePublished?(before: Date): Promise<number>;
}

export interface OutboxRelayOptions {
  source: OutboxSource;
  messaging: Pick<Messaging, 'publish'>;
  logger: Logger;
  /** Rows claimed and published per transaction. Default 100. */
  batchSize?: number;
  /** How often the relay looks without being woken (other instances' rows, retries). Default 1 s. */
  pollIntervalMs?: number;
  /** Published rows older than this are deleted (when the source can). Default 7 days. */
  retainPublishedMs?: number;
  /** How often the relay prunes published rows. Default 15 min. */
  pruneIntervalMs?: number;
}

export interface OutboxRelay {
  /** Starts relaying: drains what is there, then on every `wake()` and poll. */
  start(): void;
  /** Asks for a pass now, e.g. right after a transaction that wrote to the outbox committed. */
  wake(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
  /** For readiness: the relay runs and its last pass reached the database. */
  health(): { ok: boolean; detail: string };
}

/**
 * Publishes an app's outbox rows after their transaction committed (ADR 0014). Delivery is at
 * least once: a row is marked published in the claiming transaction only after the transport
 * accepted it, so a crash in between sends it again with the same id, and consumers' inboxes
 * drop the repeat. A row that fails (transport down, payload no longer valid) stays unpublished
 * with its error and is tried again after a backoff.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const logger = options.logger.child({ component: 'outbox-relay' });
  let state: 'new' | 'running' | 'stopped' = 'new';
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  let again = false;
  let lastProblem: string | undefined;
  const retainPublishedMs = options.retainPublishedMs ?? 7 * 24 * 3_600_000;
  const pruneIntervalMs = options.pruneIntervalMs ?? 15 * 60_000;
  let nextPruneAt = 0;

  const publishAll = async (records: OutboxRecord[]) =>
    Promise.all(
      records.map(async (record) => {
        try {
          await options.messaging.publish(record.payload as AnyEvent);
          return { eventId: record.eventId };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          logger.warn(`Could not publish ${record.eventType} ${record.eventId} from the outbox`, {
            error: message,
          });
          return { eventId: record.eventId, error: message };
        }
      }),
    );

  // Published rows only serve as a record for a while: the outbox would otherwise grow forever.
  const prune = async () => {
    const { prunePublished } = options.source;
    if (!prunePublished || Date.now() < nextPruneAt) return;
    nextPruneAt = Date.now() + pruneIntervalMs;
    const before = new Date(Date.now() - retainPublishedMs);
    let removed = 0;
    for (let pass = 0; pass < 20 && state === 'running'; pass++) {
      const count = await prunePublished.call(options.source, before);
      removed += count;
      if (count === 0) break;
    }
    if (removed > 0) logger.info(`Pruned ${removed} published outbox rows`);
  };

  const drain = async () => {
    try {
      // A full batch means more may be waiting: keep going until one comes back short.
      let claimed = batchSize;
      while (state === 'running' && claimed >= batchSize)
        claimed = await options.source.relayBatch(batchSize, publishAll);
      await prune();
      lastProblem = undefined;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
      logger.error('Outbox relay pass failed', { error: lastProblem });
    }
  };

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    if (state === 'running') timer = setTimeout(run, delayMs);
  };

  function run(): void {
    if (pass) {
      again = true;
      return;
    }
    pass = drain().finally(() => {
      pass = undefined;
      if (again && state === 'running') {
        again = false;
        run();
      } else schedule(pollIntervalMs);
    });
  }

  return {
    start() {
      if (state !== 'new') throw new Error(`The outbox relay cannot start: it is ${state}`);
      state = 'running';
      run();
    },
    wake() {
      if (state === 'running') run();
    },
    async stop() {
      state = 'stopped';
      clearTimeout(timer);
      while (pass) await pass;
    },
    health() {
      if (state !== 'running') return { ok: false, detail: `outbox relay ${state}` };
      if (lastProblem) return { ok: false, detail: `outbox relay: ${lastProblem}` };
      return { ok: true, detail: 'outbox relay running' };
    },
  };
}
