/**
 * Most pg-boss workers one single-message subscription runs. Each idle worker polls on its own
 * and every NOTIFY wakes them all, so past this count the workers share the slots instead.
 */
export const MAX_WORKERS_PER_SUBSCRIPTION = 16;

/**
 * How many jobs each of a single-message subscription's workers fetches at a time: one each up to
 * `MAX_WORKERS_PER_SUBSCRIPTION` workers, then `maxConcurrent` split as evenly as it goes. The
 * sizes add up to `maxConcurrent`, which so still bounds the handlers running at once.
 */
export function workerBatchSizes(maxConcurrent: number): number[] {
  const workers = Math.min(maxConcurrent, MAX_WORKERS_PER_SUBSCRIPTION);
  const base = Math.floor(maxConcurrent / workers);
  const larger = maxConcurrent % workers;
  return Array.from({ length: workers }, (_, index) => base + (index < larger ? 1 : 0));
}
