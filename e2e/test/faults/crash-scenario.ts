import type { AnyEvent } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  pubSubEmulatorAvailability,
  secretsInLogs,
  startPubSubEmulator,
  type PubSubEmulator,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppName, type AppProcess } from '@shelfwatch/tools';
import { reportFigures } from './fault-figures';

/*
 * kill -9 of one consumer at the halfway mark of a stream of events, then a restart: every event
 * must take effect exactly once within a minute of the restart. The Postgres transport hands a
 * dead worker's jobs back through pg-boss heartbeats (ADR 0009); on the Pub/Sub emulator the
 * dead subscriber's leases expire and the process, not the emulator, counts attempts (ADR 0023),
 * and its streaming pulls end every 10 s so a killed subscriber's stream stops taking messages
 * (ADR 0028).
 */
export type CrashTransport =
  { transport: 'postgres' } | { transport: 'pubsub'; delivery: 'pull' | 'push' };

export const crashTransports = {
  postgres: { transport: 'postgres' },
  pubsubPull: { transport: 'pubsub', delivery: 'pull' },
  pubsubPush: { transport: 'pubsub', delivery: 'push' },
} as const satisfies Record<string, CrashTransport>;

export interface CrashConsumer {
  /** What is consumed, e.g. `analytics (observation.recorded)`. */
  name: string;
  app: AppName;
  events: number;
  /** Environment of the consumer (and its companions) beside the database and transport. */
  env?: NodeJS.ProcessEnv;
  /**
   * Apps that run beside the consumer and are never killed, e.g. analytics recording what the
   * scraper replies, when the consumer's effect is only visible through them.
   */
  companions?: AppName[];
  /** Rows the events refer to (targets, runs), before the consumer starts. */
  seed?(prisma: PrismaClient): Promise<void>;
  event(index: number): AnyEvent;
  /** How many times each event took effect, by event id (events without effect left out). */
  effects(prisma: PrismaClient): Promise<Map<string, number>>;
}

const RECOVERY_LIMIT_MS = 60_000;
const PROJECT = 'shelfwatch-faults';
const logger = createLogger({ service: 'faults', level: 'warn' });

function nameOf(transport: CrashTransport): string {
  return transport.transport === 'postgres' ? 'postgres' : `pubsub ${transport.delivery}`;
}

/** One describe per transport: kill -9 of the consumer mid-stream, restart, count the effects. */
export function describeConsumerCrash(consumer: CrashConsumer, transports: CrashTransport[]): void {
  const emulator = pubSubEmulatorAvailability(process.env);
  describe.each(transports.map((transport) => [nameOf(transport), transport] as const))(
    `kill -9 of ${consumer.name} mid-stream over %s`,
    (name, transport) => {
      if (transport.transport === 'pubsub' && !emulator.available) {
        if (emulator.required)
          it('needs the Pub/Sub emulator in CI', () => {
            throw new Error(`CI=true and the Pub/Sub emulator cannot run: ${emulator.reason}`);
          });
        else it.skip(`runs on the Pub/Sub emulator (skipped: ${emulator.reason})`, () => undefined);
        return;
      }

      let database: TestDatabase<PrismaClient>;
      let pubsub: PubSubEmulator | undefined;
      let publisher: Messaging;
      let app: AppProcess | undefined;
      const companions: AppProcess[] = [];
      const output: string[] = [];
      let env: NodeJS.ProcessEnv;
      let port: number;

      const startConsumer = async () => {
        app = spawnApp(consumer.app, {
          from: 'bundle',
          port,
          env,
          onLine: (line) => output.push(line),
        });
        await waitUntilReady(app);
      };

      beforeAll(async () => {
        database = await createTestDatabase(createPrismaClient);
        await consumer.seed?.(database.prisma);
        port = await findFreeLoopbackPort();
        env = {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
          DATABASE_URL: database.url,
          DATABASE_POOL_MAX: '10',
          METADATA_SERVER_DETECTION: 'none',
          GOOGLE_CLOUD_PROJECT: PROJECT,
          ...consumer.env,
        };
        if (transport.transport === 'pubsub') {
          pubsub = await startPubSubEmulator({ projectId: PROJECT });
          env.PUBSUB_EMULATOR_HOST = pubsub.host;
          env.PUBSUB_DELIVERY = transport.delivery;
          if (transport.delivery === 'push') env.PUBSUB_PUSH_ENDPOINT = `http://127.0.0.1:${port}`;
        } else env.MESSAGING_TRANSPORT = 'postgres';
        publisher = createMessaging(
          transport.transport === 'pubsub'
            ? {
                transport: 'pubsub',
                projectId: PROJECT,
                emulatorHost: pubsub!.host,
                provision: true,
                logger,
                source: 'shelfwatch/faults',
              }
            : {
                transport: 'postgres',
                databaseUrl: database.url,
                logger,
                source: 'shelfwatch/faults',
              },
        );
        await publisher.start();
        // The consumer provisions its subscriptions (Pub/Sub) or queues (pg-boss) before events flow.
        await startConsumer();
        for (const name of consumer.companions ?? []) {
          const companion = spawnApp(name, {
            from: 'bundle',
            port: await findFreeLoopbackPort(),
            env,
            onLine: (line) => output.push(line),
          });
          companions.push(companion);
          await waitUntilReady(companion);
        }
      }, 120_000);

      afterAll(async () => {
        await app?.stop();
        await Promise.all(companions.map((companion) => companion.stop()));
        await publisher?.stop();
        await pubsub?.stop();
        await database?.drop();
      });

      it(`applies all ${consumer.events} events exactly once within a minute of the restart`, async () => {
        const events = Array.from({ length: consumer.events }, (_, index) => consumer.event(index));
        // The stream keeps flowing while the consumer is killed: a consumer as fast as the
        // publisher would otherwise have applied everything before the kill.
        const publishedAt = Date.now();
        const publishing = (async () => {
          for (let start = 0; start < events.length; start += 100)
            await Promise.all(
              events.slice(start, start + 100).map((event) => publisher.publish(event)),
            );
        })();
        publishing.catch(() => undefined); // awaited (and so reported) after the kill

        const applied = async () => (await consumer.effects(database.prisma)).size;
        const atKill = await eventually(
          'half of the events applied',
          async () => {
            const count = await applied();
            return count >= events.length / 2 ? count : undefined;
          },
          120_000,
          20,
        );
        app!.child.kill('SIGKILL');
        await app!.exited;
        expect(atKill).toBeLessThan(events.length);
        await publishing;

        const restartedAt = Date.now();
        const halfAfterMs = restartedAt - publishedAt;
        // Applied so far every 5 s after the restart: tells a slow consumer from a stuck delivery.
        const timeline: string[] = [];
        const sampler = setInterval(() => {
          void applied().then((count) =>
            timeline.push(`${Math.round((Date.now() - restartedAt) / 1000)}s:${count}`),
          );
        }, 5_000);
        await startConsumer();
        const readyAfterMs = Date.now() - restartedAt;
        let recoveredMs: number | undefined;
        try {
          await eventually(
            `all ${events.length} events applied after the restart`,
            async () => ((await applied()) >= events.length ? true : undefined),
            // The minute counts from the restart, the consumer's own start-up included.
            Math.max(1, RECOVERY_LIMIT_MS - readyAfterMs),
            250,
          );
          recoveredMs = Date.now() - restartedAt;
        } catch {
          // Counted as lost below.
        } finally {
          clearInterval(sampler);
        }

        const effects = await consumer.effects(database.prisma);
        const ids = new Set(events.map((event) => event.id));
        const lost = events.filter((event) => !effects.has(event.id)).length;
        const duplicated = events.filter((event) => (effects.get(event.id) ?? 0) > 1).length;
        const foreign = [...effects.keys()].filter((id) => !ids.has(id)).length;
        reportFigures({
          scenario: `kill -9 ${consumer.name} mid-stream (${name})`,
          tried: events.length,
          survived: events.length - lost,
          lost,
          duplicated,
          notes: {
            appliedAtKill: atKill,
            secondsToHalf: halfAfterMs / 1000,
            secondsToReady: readyAfterMs / 1000,
            secondsToRecover: recoveredMs === undefined ? 'over 60' : recoveredMs / 1000,
            afterRestart: timeline.join(' '),
          },
        });
        if (lost > 0) process.stdout.write(`${output.slice(-60).join('\n')}\n`);
        expect({ lost, duplicated, foreign }).toEqual({ lost: 0, duplicated: 0, foreign: 0 });
        // Nothing the consumer wrote, crash and restart included, holds a credential.
        expect(secretsInLogs(output)).toEqual([]);
        // Defined only when every event took effect inside the one-minute window.
        expect(recoveredMs).toBeDefined();
      });
    },
  );
}

/** The source of every event the fault scenarios publish. */
export const FAULTS_SOURCE = { source: 'shelfwatch/faults' };

/** Effects per event id from rows keyed by what an event changed (its id, target or URL). */
export function tally(
  rows: Array<{ key: string; n: bigint | number }>,
  eventIdOf: (key: string) => string | undefined,
): Map<string, number> {
  const effects = new Map<string, number>();
  for (const row of rows) {
    const id = eventIdOf(row.key) ?? `unknown:${row.key}`;
    effects.set(id, (effects.get(id) ?? 0) + Number(row.n));
  }
  return effects;
}
