import { emulatorStreamsFor, streamingPullDeadline } from './emulator-streams';

type Transformer = (properties: {
  methodDefinition: { path: string };
  callOptions: { deadline?: Date | number };
}) => { methodDefinition: { path: string }; callOptions: { deadline?: Date | number } };

describe('streamingPullDeadline', () => {
  const transform = streamingPullDeadline(10)['grpc.callInvocationTransformer'] as Transformer;

  it('gives a StreamingPull call a deadline that many seconds away', () => {
    const before = Date.now();
    const changed = transform({
      methodDefinition: { path: '/google.pubsub.v1.Subscriber/StreamingPull' },
      callOptions: { deadline: before + 1_800_000 },
    });
    expect(changed.callOptions.deadline).toBeGreaterThanOrEqual(before + 10_000);
    expect(changed.callOptions.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it('leaves every other call as it is', () => {
    const acknowledge = {
      methodDefinition: { path: '/google.pubsub.v1.Subscriber/Acknowledge' },
      callOptions: { deadline: 42 },
    };
    expect(transform(acknowledge)).toBe(acknowledge);
  });
});

describe('emulatorStreamsFor', () => {
  it('opens one stream for a subscriber holding at most one emulator step of messages', () => {
    expect(emulatorStreamsFor(1)).toBe(1);
    expect(emulatorStreamsFor(10)).toBe(1);
    expect(emulatorStreamsFor(100)).toBe(1);
  });

  it('opens as many streams as refill the flow-control window in one step', () => {
    expect(emulatorStreamsFor(101)).toBe(2);
    expect(emulatorStreamsFor(400)).toBe(4);
  });

  it('never opens more than eight', () => {
    expect(emulatorStreamsFor(100_000)).toBe(8);
  });
});
