/** What a fault scenario counts: every scenario prints these and asserts the last three are zero. */
export interface FaultFigures {
  scenario: string;
  tried: number;
  survived: number;
  lost: number;
  duplicated: number;
  fiveXx: number;
  /** Anything else worth reading beside the counts (seconds to recover, restarts, ...). */
  notes?: Record<string, number | string>;
}

/** Prints one scenario's figures as a single greppable line (`FAULT-FIGURES {...}`). */
export function reportFigures(figures: FaultFigures): void {
  process.stdout.write(`FAULT-FIGURES ${JSON.stringify(figures)}\n`);
}

/** Polls `probe` every `everyMs` until it returns a value, or throws `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((wake) => setTimeout(wake, everyMs));
  }
}
