import { topicFor } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import type * as PgBossModule from 'pg-boss';
import { deliverAll, type Registration } from '../dispatch';
import { InFlight } from '../in-flight';
import type { Messaging, MessagingHealth, StopOptions } from '../messaging';
import { outgoingEvent, type PublishArguments } from '../outgoing-event';
import { messagesPerCall, Registrations } from '../registrations';
import type { ResolvedSubscription } from '../subscription-options';
import { loadPgBoss } from './pg-boss-module';
import { workerBatchSizes } from './worker-batch-sizes';

type PgBoss = PgBossModule.PgBoss;

export interface PostgresMessagingOptions {
  transport: 'postgres';
  /** The PostgreSQL database that holds the queues (pg-boss installs its own schema there). */
  databaseUrl: string;
  logger: Logger;
  /** Publishing service, e.g. `shelfwatch/scraper`: the `source` of events built by `publish(type, data)`. */
  source: string;
  /** Schema pg-boss keeps its tables in. Default `pgboss`. */
  schema?: string;
  /** Connections in pg-boss's pool. Default 10. */
  maxConnections?: number;
  /**
   * How often an idle subscriber looks for work (and for retries that came due), in seconds, at
   * least 0.5. New messages wake subscribers at once through LISTEN/NOTIFY. Default 2.
   */
  pollingIntervalSeconds?: number;
  /**
   * Seconds without a heartbeat after which a running job counts as abandoned (its worker died)
   * and is handed out again, at least 10 (pg-boss's floor). Workers refresh it every half of this.
   * Default 10.
   */
  heartbeatSeconds?: number;
  /**
   * How often pg-boss looks for abandoned and timed-out jobs, in whole seconds. With the default
   * heartbeat, a dead worker's jobs return within heartbeat + this + the first retry delay. Default 5.
   */
  monitorIntervalSeconds?: number;
}

export interface PostgresMessaging extends Messaging {
  readonly transport: 'postgres';
}

function queueOptions(subscription: ResolvedSubscription, heartbeatSeconds: number) {
  const backoff = subscription.minBackoffSeconds > 0;
  return {
    // A handler that is alive but slow keeps its job by heartbeat; only a dead one loses it early.
    heartbeatSeconds,
    retryLimit: subscription.maxAttempts - 1,
    retryDelay: subscription.minBackoffSeconds,
    retryBackoff: backoff,
    ...(backoff ? { retryDelayMax: subscription.maxBackoffSeconds } : {}),
    expireInSeconds: subscription.handlerTimeoutSeconds,
    deadLetter: subscription.deadLetterTopic,
    notify: true,
  };
}

/**
 * Messaging over PostgreSQL with pg-boss: each subscription is a queue subscribed to its event
 * type's topic, so `publish` fans an event out to every subscription as a job. A failed handler's
 * job is retried with exponential backoff and, after `maxAttempts`, moved to the dead-letter queue
 * `<topic>-dead-letter`; an invalid payload goes there at once.
 */
export function createPostgresMessaging(options: PostgresMessagingOptions): PostgresMessaging {
  const logger = options.logger.child({ component: 'messaging', transport: 'postgres' });
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  if (!(pollingIntervalSeconds >= 0.5))
    throw new Error('pollingIntervalSeconds must be at least 0.5');
  const heartbeatSeconds = options.heartbeatSeconds ?? 10;
  if (!Number.isInteger(heartbeatSeconds) || heartbeatSeconds < 10)
    throw new Error('heartbeatSeconds must be a whole number of at least 10');
  const monitorIntervalSeconds = options.monitorIntervalSeconds ?? 5;
  if (!Number.isInteger(monitorIntervalSeconds) || monitorIntervalSeconds < 1)
    throw new Error('monitorIntervalSeconds must be a whole number of at least 1');
  const registrations = new Registrations();
  const inFlight = new InFlight();
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  let boss: PgBoss | undefined;
  let connecting: Promise<PgBoss> | undefined;

  const connect = (): Promise<PgBoss> =>
    (connecting ??= (async () => {
      const { PgBoss } = loadPgBoss();
      const instance = new PgBoss({
        connectionString: options.databaseUrl,
        schema: options.schema ?? 'pgboss',
        max: options.maxConnections ?? 10,
        application_name: `${options.source} messaging`,
        useListenNotify: true,
        schedule: false,
        instanceName: options.source,
        // The monitor pass (expiry and missed heartbeats) runs every max(monitor, supervise).
        monitorIntervalSeconds,
        superviseIntervalSeconds: monitorIntervalSeconds,
      });
      // Without a listener an 'error' event would crash the process.
      instance.on('error', (error) =>
        logger.error('pg-boss reported an error', { error: error.message, stack: error.stack }),
      );
      instance.on('warning', (warning) => logger.warn('pg-boss warning', { warning }));
      await instance.start();
      boss = instance;
      return instance;
    })());

  const startSubscriber = async (instance: PgBoss, registration: Registration) => {
    const subscription = registration.options;
    // The dead-letter queue is never worked: its jobs wait for someone to inspect or redrive them.
    await instance.createQueue(subscription.deadLetterTopic);
    const policy = queueOptions(subscription, heartbeatSeconds);
    await instance.createQueue(subscription.subscription, policy);
    // createQueue leaves an existing queue alone; this applies changed attempts, backoff or heartbeat.
    await instance.updateQueue(subscription.subscription, {
      ...policy,
      retryDelayMax: subscription.minBackoffSeconds > 0 ? subscription.maxBackoffSeconds : null,
    });
    await instance.subscribe(subscription.topic, subscription.subscription);
    const workOptions = {
      // A delivery needs only the id, data and retry count, which every fetch returns; the
      // metadata would add some 25 columns per job to the fetch and its parsing.
      includeMetadata: false,
      // Each job is settled on its own: a failing job never fails its batch-mates.
      perJobResults: true,
      pollingIntervalSeconds,
      notifyPollingIntervalSeconds: pollingIntervalSeconds,
    };
    const deliver = async (jobs: Array<PgBossModule.Job<unknown>>) => {
      const outcomes = await deliverAll(
        registration,
        jobs.map((job) => ({ body: job.data, attempt: job.retryCount + 1, messageId: job.id })),
        logger,
        inFlight,
      );
      return jobs.map((job, index) => {
        const outcome = outcomes[index]!;
        if (outcome.kind === 'ack') return { id: job.id, status: 'completed' as const };
        return {
          id: job.id,
          status: outcome.kind === 'retry' ? ('failed' as const) : ('deadletter' as const),
          output: {
            error: outcome.error,
            ...(outcome.kind === 'dead-letter' ? { reason: outcome.reason } : {}),
          },
        };
      });
    };
    if (registration.kind === 'batch') {
      // maxConcurrent workers, each fetching one batch for one handler call; a full fetch
      // fetches the next straight away instead of polling.
      await instance.work<unknown>(
        subscription.subscription,
        {
          ...workOptions,
          batchSize: messagesPerCall(registration),
          localConcurrency: subscription.maxConcurrent,
          burstWhenBatchFull: true,
        },
        deliver,
      );
      return;
    }
    // A single-message subscription: a worker per handler slot (up to a limit), so a slow handler
    // holds its own slot only; one worker fetching maxConcurrent jobs waited for the slowest of
    // them before fetching more. pg-boss's burstWhenBatchFull is ignored at batchSize 1, so a
    // worker whose fetch came back full wakes itself to fetch again at once instead of after its
    // polling interval; a short fetch leaves it to NOTIFY and polling (ADR 0051).
    await Promise.all(
      workerBatchSizes(subscription.maxConcurrent).map(async (batchSize) => {
        const worker: { id?: string } = {};
        worker.id = await instance.work<unknown>(
          subscription.subscription,
          { ...workOptions, batchSize },
          async (jobs) => {
            const results = await deliver(jobs);
            if (jobs.length === batchSize && worker.id) instance.notifyWorker(worker.id);
            return results;
          },
        );
      }),
    );
  };

  const messaging: PostgresMessaging = {
    transport: 'postgres',

    async publish(...args: unknown[]) {
      const event = outgoingEvent(options.source, args as PublishArguments);
      // While stopping, handlers still in flight may publish their results: that is the drain.
      if (state === 'stopped') throw new Error('Cannot publish: messaging is stopped');
      const instance = await connect();
      await instance.publish(topicFor(event.type), event);
      return event as never;
    },

    ...registrations.subscribeMethods(() => state === 'new'),

    async start() {
      if (state !== 'new') throw new Error(`Messaging cannot start: it is ${state}`);
      state = 'starting';
      try {
        const instance = await connect();
        // Each subscription's queues and worker are its own: set up side by side, a start waits
        // for one subscription's round trips, not for the sum of them all.
        // allSettled: a failed subscription stops the boss only once its siblings' calls are done.
        const started = await Promise.allSettled(
          [...registrations.values()].map((registration) =>
            startSubscriber(instance, registration),
          ),
        );
        const failed = started.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        state = 'started';
        logger.info('Messaging started', { subscriptions: registrations.names() });
      } catch (error) {
        state = 'stopped';
        await boss?.stop({ graceful: false, close: true }).catch(() => undefined);
        throw error;
      }
    },

    async stop(stopOptions: StopOptions = {}) {
      if (state === 'stopped' || state === 'stopping') return;
      state = 'stopping';
      const timeoutMs = stopOptions.timeoutMs ?? 8_000;
      if (connecting) {
        const instance = await connecting.catch(() => undefined);
        // Stops fetching, waits for active handlers up to the timeout, closes the pool.
        await instance?.stop({ graceful: true, close: true, timeout: timeoutMs });
      }
      if (!(await inFlight.drain(100)))
        logger.warn('Stopped before every handler finished; their messages will be redelivered', {
          running: inFlight.count,
        });
      state = 'stopped';
    },

    async health(): Promise<MessagingHealth> {
      if (state !== 'started' || !boss)
        return { ok: false, transport: 'postgres', detail: `messaging is ${state}` };
      try {
        await withTimeout(boss.getDb().executeSql('SELECT 1'), 2_000);
        return {
          ok: true,
          transport: 'postgres',
          detail: `${registrations.size} subscription(s)`,
        };
      } catch (error) {
        return {
          ok: false,
          transport: 'postgres',
          detail: `database unreachable: ${(error as Error).message}`,
        };
      }
    },
  };
  return messaging;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
