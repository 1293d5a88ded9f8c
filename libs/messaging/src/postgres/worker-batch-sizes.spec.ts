import fc from 'fast-check';
import { MAX_WORKERS_PER_SUBSCRIPTION, workerBatchSizes } from './worker-batch-sizes';

describe('workerBatchSizes', () => {
  it('gives each handler slot a worker of its own up to the worker limit', () => {
    expect(workerBatchSizes(1)).toEqual([1]);
    expect(workerBatchSizes(10)).toEqual(Array.from({ length: 10 }, () => 1));
    expect(workerBatchSizes(MAX_WORKERS_PER_SUBSCRIPTION)).toHaveLength(
      MAX_WORKERS_PER_SUBSCRIPTION,
    );
  });

  it('splits more slots than workers as evenly as it goes', () => {
    const sizes = workerBatchSizes(200);
    expect(sizes).toHaveLength(MAX_WORKERS_PER_SUBSCRIPTION);
    expect(new Set(sizes)).toEqual(new Set([12, 13]));
  });

  it('never holds more or fewer jobs than maxConcurrent, whatever it is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (maxConcurrent) => {
        const sizes = workerBatchSizes(maxConcurrent);
        expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(maxConcurrent);
        expect(sizes.length).toBeLessThanOrEqual(MAX_WORKERS_PER_SUBSCRIPTION);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
