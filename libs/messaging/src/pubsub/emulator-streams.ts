/**
 * How long a streaming pull stays open on the Pub/Sub emulator before the client reopens it. The
 * emulator (0.8.20) never notices that a subscriber was killed: the stream's server side keeps
 * leasing up to 100 messages every 50 ms to the dead connection until the stream's deadline, which
 * the client sets to 30 minutes, so about half of what comes back after each lease goes to the dead
 * stream again (ADR 0028). Ending every stream after this long bounds that to one period. The real
 * service ends a dead client's stream itself; there the client's own deadline stays.
 */
export const EMULATOR_STREAM_SECONDS = 10;

const STREAMING_PULL = '/google.pubsub.v1.Subscriber/StreamingPull';

/** The part of grpc-js's `CallProperties` this reads and changes. */
interface CallProperties {
  methodDefinition: { path: string };
  callOptions: { deadline?: Date | number };
}

/**
 * Client options (grpc-js's `callInvocationTransformer`, passed through google-gax) that give every
 * StreamingPull call a deadline `seconds` from when it opens; other calls are left as they are.
 * The client treats the stream's end at its deadline as routine and reopens it at once.
 */
export function streamingPullDeadline(seconds: number): Record<string, unknown> {
  return {
    'grpc.callInvocationTransformer': <T extends CallProperties>(properties: T): T =>
      properties.methodDefinition.path === STREAMING_PULL
        ? {
            ...properties,
            callOptions: { ...properties.callOptions, deadline: Date.now() + seconds * 1000 },
          }
        : properties,
  };
}
