/**
 * How long a streaming pull stays open on the Pub/Sub emulator before the client reopens it. The
 * emulator (0.8.20) never notices that a subscriber was killed: the stream's server side keeps
 * leasing up to 100 messages every 50 ms to the dead connection until the stream's deadline, which
 * the client sets to 30 minutes, so about half of what comes back after each lease goes to the dead
 * stream again (ADR 0028). Ending every stream after this long bounds that to one period. The real
 * service ends a dead client's stream itself; there the client's own deadline stays.
 */
export const EMULATOR_STREAM_SECONDS = 10;

/**
 * What one emulator stream delivers per step: every 50 ms its thread leases up to 100 messages
 * (`MessageBacklog.pull`, ADR 0028), so one stream carries at most 2,000 messages a second,
 * however fast the handlers are. Measured with a backlog of 4,000 and nothing but acks
 * (ADR 0041): 1 stream 1,737-1,965/s, 2 streams 2,029-3,617/s, 4 streams 3,268-7,489/s.
 */
export const EMULATOR_MESSAGES_PER_STREAM_STEP = 100;

/** The most streams one subscriber opens to the emulator. */
const MAX_EMULATOR_STREAMS = 8;

/**
 * Streams for a pull subscriber on the emulator holding up to `held` messages: enough that one
 * 50 ms step of the emulator can refill the whole flow-control window, so the emulator's pace per
 * stream does not become the subscriber's. What the client runs stays bounded by flow control
 * (shared by its streams); a stream of a killed subscriber still ends at its deadline
 * (`streamingPullDeadline`). Against the real service one stream suffices: it honours flow
 * control and has no such step.
 */
export function emulatorStreamsFor(held: number): number {
  return Math.min(
    MAX_EMULATOR_STREAMS,
    Math.max(1, Math.ceil(held / EMULATOR_MESSAGES_PER_STREAM_STEP)),
  );
}

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
