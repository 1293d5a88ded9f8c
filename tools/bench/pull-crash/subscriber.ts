import { Duration, PubSub, type Message } from '@google-cloud/pubsub';

/*
 * One streaming-pull subscriber of the crash probe (`run.ts`), configured from the environment
 * the way the Pub/Sub transport configures its pullers, reporting every handled message to the
 * parent over IPC. The parent kills it with SIGKILL; it never acks what it has not handled.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const lease = Number(env('PROBE_LEASE_SECONDS'));
const maxMessages = Number(env('PROBE_MAX_MESSAGES'));
const handlerMs = Number(env('PROBE_HANDLER_MS'));
const allowExcessMessages = env('PROBE_ALLOW_EXCESS') === '1';
const concurrency = Number(env('PROBE_CONCURRENCY'));

// The parent may be gone already (it killed the previous subscriber of a round); never throw for that.
const report = (message: object) => {
  if (process.connected) process.send?.(message);
};

const streamSeconds = Number(process.env.PROBE_STREAM_SECONDS ?? 0);
interface CallProperties {
  methodDefinition: { path: string };
  callOptions: { deadline?: number | Date };
}
const pubsub = new PubSub({
  projectId: env('PROBE_PROJECT'),
  apiEndpoint: env('PROBE_EMULATOR_HOST'),
  emulatorMode: true,
  ...(streamSeconds > 0
    ? {
        'grpc.callInvocationTransformer': (properties: CallProperties) =>
          properties.methodDefinition.path.endsWith('/StreamingPull')
            ? {
                ...properties,
                callOptions: {
                  ...properties.callOptions,
                  deadline: Date.now() + streamSeconds * 1000,
                },
              }
            : properties,
      }
    : {}),
});
const subscription = pubsub.subscription(env('PROBE_SUBSCRIPTION'), {
  flowControl: { maxMessages, maxBytes: 10 * 1024 * 1024, allowExcessMessages },
  maxExtensionTime: Duration.from({ seconds: 60 }),
  minAckDeadline: Duration.from({ seconds: lease }),
  maxAckDeadline: Duration.from({ seconds: lease }),
  batching: { maxMessages, maxMilliseconds: 10 },
  streamingOptions: { maxStreams: 1 },
});
// Handlers run at most `concurrency` at a time, however many messages the client holds.
let running = 0;
const waiting: Message[] = [];
const handle = (message: Message) => {
  running++;
  report({
    kind: 'received',
    index: Number(message.attributes.index),
    attempt: message.deliveryAttempt,
  });
  setTimeout(() => {
    message.ack();
    report({ kind: 'acked', index: Number(message.attributes.index) });
    running--;
    const next = waiting.shift();
    if (next) handle(next);
  }, handlerMs);
};
subscription.on('message', (message: Message) => {
  if (running < concurrency) handle(message);
  else waiting.push(message);
});
subscription.on('error', (error: Error) => {
  report({ kind: 'error', message: error.message });
});
report({ kind: 'ready' });

// Diagnostics (PROBE_TRACE=1): what reached the client at stream level and where it waits.
if (process.env.PROBE_TRACE === '1') {
  const inner = (subscription as unknown as { _subscriber: Record<string, unknown> })._subscriber;
  const onData = (inner._onData as (response: { receivedMessages?: unknown[] }) => void).bind(
    inner,
  );
  let streamed = 0;
  let responses = 0;
  inner._onData = (response: { receivedMessages?: unknown[] }) => {
    responses++;
    streamed += response.receivedMessages?.length ?? 0;
    onData(response);
  };
  const started = Date.now();
  setInterval(() => {
    const inventory = inner._inventory as { size: number; pending: number };
    process.stderr.write(
      `[${process.pid} ${((Date.now() - started) / 1000).toFixed(1)}s] responses ${responses} streamed ${streamed} inventory ${inventory.size} pending ${inventory.pending} deadline ${String(inner.ackDeadline)}\n`,
    );
  }, 1000).unref();
}
