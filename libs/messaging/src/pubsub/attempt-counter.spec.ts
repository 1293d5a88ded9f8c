import { AttemptCounter } from './attempt-counter';

describe('AttemptCounter', () => {
  it('numbers attempts from one and counts each failure', () => {
    const counter = new AttemptCounter();
    expect(counter.attemptOf('m')).toBe(1);
    expect(counter.failed('m')).toBe(1);
    expect(counter.failed('m')).toBe(2);
    expect(counter.attemptOf('m')).toBe(3);
  });

  it('forgets a message once it is settled', () => {
    const counter = new AttemptCounter();
    counter.failed('m');
    counter.settled('m');
    expect(counter.attemptOf('m')).toBe(1);
  });

  it('keeps at most its capacity, forgetting the message that failed longest ago', () => {
    const counter = new AttemptCounter(2);
    counter.failed('a');
    counter.failed('b');
    counter.failed('a');
    counter.failed('c');
    expect([counter.attemptOf('a'), counter.attemptOf('b'), counter.attemptOf('c')]).toEqual([
      3, 1, 2,
    ]);
  });
});
