import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import { pubSubEmulatorAvailability, startPubSubEmulator } from '@shelfwatch/testing';

/**
 * How soon the Pub/Sub emulator hands back what a SIGKILLed streaming-pull subscriber held, per
 * lease length and client flow control, side by side in one run (rounds interleave the settings so
 * machine noise hits them alike). Each round publishes `--events` messages, lets a subscriber
 * (`subscriber.ts`, configured as the transport configures its pullers) handle half, kills it with
 * SIGKILL, starts a new one 0.3 s later and waits until every message was handled.
 *
 *   npx tsx tools/bench/pull-crash/run.ts [--events 2000] [--rounds 2] [--handler-ms 40]
 *     [--settings 15:10:0:10:0,10:10:0:10:0,10:10:0:10:10]
 *     (lease seconds : client maxMessages : allowExcessMessages 0|1 [: handlers at once, default
 *     maxMessages [: seconds before each stream ends, 0 = the client's 30 min]], comma-separated)
 */
interface Setting {
  lease: number;
  maxMessages: number;
  allowExcess: boolean;
  concurrency: number;
  streamSeconds: number;
}

interface Round {
  setting: string;
  recoveredSeconds: number | undefined;
  firstAfterRestartSeconds: number | undefined;
  handledAtKill: number;
  duplicates: number;
  receivedAfterRestart: number;
  receivedAfterRestartHandledAlready: number;
  maxAttempt: number;
  timeline: string;
}

const subscriberScript = join(__dirname, 'subscriber.ts');
const LIMIT_MS = 90_000;

function nameOf(setting: Setting): string {
  return `lease ${setting.lease}s, maxMessages ${setting.maxMessages}${setting.allowExcess ? ', excess allowed' : ''}, ${setting.concurrency} handlers${setting.streamSeconds ? `, streams end after ${setting.streamSeconds}s` : ''}`;
}

function parseSettings(text: string): Setting[] {
  return text.split(',').map((part) => {
    const [lease, maxMessages, allowExcess, concurrency, streamSeconds] = part
      .split(':')
      .map(Number);
    return {
      lease: lease!,
      maxMessages: maxMessages!,
      allowExcess: allowExcess === 1,
      concurrency: concurrency ?? maxMessages!,
      streamSeconds: streamSeconds ?? 0,
    };
  });
}

async function once(
  pubsub: PubSub,
  emulatorHost: string,
  projectId: string,
  setting: Setting,
  events: number,
  handlerMs: number,
  tag: string,
): Promise<Round> {
  const topicName = `probe-${tag}`;
  const deadLetter = `${topicName}-dead-letter`;
  const [topic] = await pubsub.createTopic(topicName);
  await pubsub.createTopic(deadLetter);
  await topic.createSubscription(topicName, {
    ackDeadlineSeconds: setting.lease,
    deadLetterPolicy: {
      deadLetterTopic: `projects/${projectId}/topics/${deadLetter}`,
      maxDeliveryAttempts: 100,
    },
  });
  const publisher = pubsub.topic(topicName, {
    batching: { maxMessages: 100, maxMilliseconds: 10 },
  });
  for (let start = 0; start < events; start += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, events - start) }, (_, offset) =>
        publisher.publishMessage({
          data: Buffer.from(JSON.stringify({ index: start + offset })),
          attributes: { index: String(start + offset) },
        }),
      ),
    );

  const handled = new Set<number>();
  let acks = 0;
  let received = 0;
  let receivedHandledAlready = 0;
  let maxAttempt = 0;
  let firstAfterRestart: number | undefined;
  let restartedAt: number | undefined = undefined;
  const spawnSubscriber = (): ChildProcess =>
    fork(subscriberScript, [], {
      // In this process, not under a tsx wrapper: SIGKILL must reach the subscriber itself.
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        PROBE_PROJECT: projectId,
        PROBE_EMULATOR_HOST: emulatorHost,
        PROBE_SUBSCRIPTION: topicName,
        PROBE_LEASE_SECONDS: String(setting.lease),
        PROBE_MAX_MESSAGES: String(setting.maxMessages),
        PROBE_ALLOW_EXCESS: setting.allowExcess ? '1' : '0',
        PROBE_HANDLER_MS: String(handlerMs),
        PROBE_CONCURRENCY: String(setting.concurrency),
        PROBE_STREAM_SECONDS: String(setting.streamSeconds),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }).on(
      'message',
      (message: { kind: string; index?: number; attempt?: number; message?: string }) => {
        if (message.kind === 'received') {
          if (restartedAt !== undefined) {
            received++;
            if (handled.has(message.index!)) receivedHandledAlready++;
          }
          maxAttempt = Math.max(maxAttempt, message.attempt ?? 0);
          if (restartedAt !== undefined && firstAfterRestart === undefined)
            firstAfterRestart = Date.now() - restartedAt;
        } else if (message.kind === 'acked') {
          acks++;
          handled.add(message.index!);
        } else if (message.kind === 'error') console.error(`subscriber error: ${message.message}`);
      },
    );
  const waitFor = async (done: () => boolean, limitMs: number) => {
    const until = Date.now() + limitMs;
    while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return done();
  };

  const first = spawnSubscriber();
  await waitFor(() => handled.size >= events / 2, 120_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const handledAtKill = handled.size;
  await new Promise((r) => setTimeout(r, 300));
  restartedAt = Date.now();
  const timeline: string[] = [];
  const sampler = setInterval(() => {
    timeline.push(`${Math.round((Date.now() - restartedAt!) / 1000)}s:${handled.size}/${received}`);
  }, 2_500);
  const second = spawnSubscriber();
  const recovered = await waitFor(() => handled.size >= events, LIMIT_MS);
  const recoveredMs = Date.now() - restartedAt;
  clearInterval(sampler);
  second.kill('SIGKILL');
  await new Promise((r) => second.once('exit', r));
  await pubsub.subscription(topicName).delete();
  await pubsub.topic(topicName).delete();
  return {
    setting: nameOf(setting),
    recoveredSeconds: recovered ? recoveredMs / 1000 : undefined,
    firstAfterRestartSeconds:
      firstAfterRestart === undefined ? undefined : firstAfterRestart / 1000,
    handledAtKill,
    duplicates: acks - handled.size,
    receivedAfterRestart: received,
    receivedAfterRestartHandledAlready: receivedHandledAlready,
    maxAttempt,
    timeline: timeline.join(' '),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '2' },
      'handler-ms': { type: 'string', default: '40' },
      settings: { type: 'string', default: '15:10:0:10:0,10:10:0:10:0,10:10:0:10:10' },
    },
  });
  const availability = pubSubEmulatorAvailability();
  if (!availability.available)
    throw new Error(`The probe needs the emulator: ${availability.reason}`);
  const projectId = 'shelfwatch-probe';
  const emulator = await startPubSubEmulator({ projectId });
  if (process.env.PROBE_TRACE === '1') console.error(`emulator on ${emulator.host}`);
  const pubsub = new PubSub({ projectId, apiEndpoint: emulator.host, emulatorMode: true });
  const settings = parseSettings(values.settings!);
  const rounds: Round[] = [];
  try {
    for (let round = 1; round <= Number(values.rounds); round++)
      for (const [index, setting] of settings.entries()) {
        const result = await once(
          pubsub,
          emulator.host,
          projectId,
          setting,
          Number(values.events),
          Number(values['handler-ms']),
          `r${round}-s${index}`,
        );
        rounds.push(result);
        console.log(JSON.stringify(result));
      }
    console.log(
      `${values.events} messages per round, ${values['handler-ms']} ms handlers, restart 0.3 s after SIGKILL at half`,
    );
    console.table(
      settings.map((setting) => {
        const mine = rounds.filter((round) => round.setting === nameOf(setting));
        const times = mine.map((round) => round.recoveredSeconds);
        return {
          setting: nameOf(setting),
          'recovered after restart (s)': times
            .map((t) => (t === undefined ? `>${LIMIT_MS / 1000}` : t.toFixed(1)))
            .join(', '),
          'first message (s)': mine
            .map((round) => round.firstAfterRestartSeconds?.toFixed(1) ?? '-')
            .join(', '),
          duplicates: mine.map((round) => round.duplicates).join(', '),
          'max attempt': mine.map((round) => round.maxAttempt).join(', '),
        };
      }),
    );
  } finally {
    await pubsub.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
