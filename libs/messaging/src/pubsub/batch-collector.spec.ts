import { BatchCollector } from './batch-collector';

// Jest's clock, not the machine's: on a loaded machine 5 real milliseconds can outlast maxWaitMs.
const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('BatchCollector', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands over a full batch at once and a short one after maxWaitMs', async () => {
    const batches: number[][] = [];
    const collector = new BatchCollector<number>(
      { maxItems: 3, maxWaitMs: 30, maxConcurrent: 2 },
      async (items) => void batches.push(items),
    );
    for (const item of [1, 2, 3, 4]) collector.add(item);
    expect(batches).toEqual([[1, 2, 3]]);
    await tick(5);
    expect(batches).toEqual([[1, 2, 3]]);
    await tick(60);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('runs at most maxConcurrent batches and starts the next when one ends', async () => {
    const releases: Array<() => void> = [];
    const started: number[][] = [];
    const collector = new BatchCollector<number>(
      { maxItems: 2, maxWaitMs: 20, maxConcurrent: 1 },
      (items) => {
        started.push(items);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    );
    for (const item of [1, 2, 3, 4, 5]) collector.add(item);
    expect(started).toEqual([[1, 2]]);
    releases.shift()!();
    await tick(1);
    expect(started).toEqual([
      [1, 2],
      [3, 4],
    ]);
    releases.shift()!();
    await tick(1);
    // The short rest waits for batch-mates first.
    expect(started).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await tick(40);
    expect(started).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives back what waits for batch-mates, and keeps counting slots after a failed batch', async () => {
    const started: number[][] = [];
    const collector = new BatchCollector<number>(
      { maxItems: 2, maxWaitMs: 1_000, maxConcurrent: 1 },
      async (items) => {
        started.push(items);
        throw new Error('settled by the caller');
      },
    );
    collector.add(1);
    collector.add(2);
    collector.add(3);
    expect(collector.takePending()).toEqual([3]);
    await tick(1);
    collector.add(4);
    collector.add(5);
    expect(started).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });
});
