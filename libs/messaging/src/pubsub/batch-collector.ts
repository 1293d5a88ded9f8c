export interface BatchCollectorLimits {
  /** Most items per batch. */
  maxItems: number;
  /** Longest the first item of a short batch waits for batch-mates, in ms. */
  maxWaitMs: number;
  /** Most batches running at once; full or due batches wait for a free slot. */
  maxConcurrent: number;
}

/**
 * Gathers items that arrive one by one (streaming-pull messages) into batches: a batch leaves when
 * it is full, or when its first item has waited `maxWaitMs`, and at most `maxConcurrent` run at
 * once. Whatever waits beyond that stays pending until a running batch ends (flow control upstream
 * keeps the pending count bounded).
 */
export class BatchCollector<T> {
  readonly #limits: BatchCollectorLimits;
  readonly #run: (items: T[]) => Promise<void>;
  #pending: T[] = [];
  #running = 0;
  #due = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(limits: BatchCollectorLimits, run: (items: T[]) => Promise<void>) {
    this.#limits = limits;
    this.#run = run;
  }

  add(item: T): void {
    this.#pending.push(item);
    this.#pump();
  }

  /** Takes every item not yet handed to a batch (at shutdown: to give them back). */
  takePending(): T[] {
    this.#clearTimer();
    return this.#pending.splice(0);
  }

  #pump(): void {
    while (this.#running < this.#limits.maxConcurrent && this.#pending.length > 0) {
      const full = this.#pending.length >= this.#limits.maxItems;
      if (!full && !this.#due && this.#limits.maxWaitMs > 0) {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#due = true;
          this.#pump();
        }, this.#limits.maxWaitMs);
        return;
      }
      this.#due = false;
      this.#clearTimer();
      const batch = this.#pending.splice(0, this.#limits.maxItems);
      this.#running++;
      // `run` settles its own failures (the transport nacks); this only keeps the slot count right.
      void this.#run(batch)
        .catch(() => undefined)
        .finally(() => {
          this.#running--;
          this.#pump();
        });
    }
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
