import { setTimeout as sleep } from 'node:timers/promises';

export interface HostLimiterOptions {
  /** Requests to one host running at the same time. */
  concurrency: number;
  /** Default minimum gap between two request starts to one host. */
  minDelayMs: number;
}

interface HostState {
  /** Tasks started and not yet finished. */
  active: number;
  /** Tasks waiting or running: the state is kept while any exist. */
  pending: number;
  nextStartAt: number;
  /** Starts are granted one at a time, in arrival order. */
  gate: Promise<void>;
  slotFreed?: () => void;
}

/** Per-host concurrency and spacing inside this instance (the scheduler spreads work globally). */
export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();

  constructor(private readonly options: HostLimiterOptions) {}

  /** Runs `task` once the host has a free slot and its minimum delay since the last start has passed. */
  async run<T>(
    host: string,
    task: () => Promise<T>,
    minDelayMs = this.options.minDelayMs,
  ): Promise<T> {
    const state = this.stateOf(host);
    state.pending += 1;
    const turn = state.gate.then(() => this.acquire(state, minDelayMs));
    state.gate = turn.catch(() => undefined);
    try {
      await turn;
    } catch (error) {
      state.pending -= 1;
      throw error;
    }
    try {
      return await task();
    } finally {
      state.active -= 1;
      state.pending -= 1;
      state.slotFreed?.();
      if (state.pending === 0) this.forgetLater(host, state);
    }
  }

  /** Holds back new requests to `host` for `ms` (Retry-After, backoff). */
  pause(host: string, ms: number): void {
    const state = this.stateOf(host);
    state.nextStartAt = Math.max(state.nextStartAt, Date.now() + ms);
  }

  private async acquire(state: HostState, minDelayMs: number): Promise<void> {
    while (state.active >= this.options.concurrency) {
      await new Promise<void>((resolve) => {
        state.slotFreed = resolve;
      });
    }
    const wait = state.nextStartAt - Date.now();
    if (wait > 0) await sleep(wait);
    state.active += 1;
    state.nextStartAt = Math.max(state.nextStartAt, Date.now() + minDelayMs);
  }

  private stateOf(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, pending: 0, nextStartAt: 0, gate: Promise.resolve() };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Idle hosts are dropped once their delay has passed, so the map does not grow without bound. */
  private forgetLater(host: string, state: HostState): void {
    const wait = Math.max(0, state.nextStartAt - Date.now());
    setTimeout(() => {
      if (this.hosts.get(host) === state && state.pending === 0 && state.nextStartAt <= Date.now())
        this.hosts.delete(host);
    }, wait + 1).unref();
  }
}

/** Exponential backoff with jitter: between half and all of `baseMs * 2^(attempt-1)`, capped. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  capMs = 60_000,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
