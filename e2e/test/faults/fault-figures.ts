/** What a fault scenario counts; a figure a scenario does not measure is left out, never printed as 0. */
export interface FaultFigures {
  scenario: string;
  tried: number;
  survived: number;
  lost: number;
  duplicated?: number;
  fiveXx?: number;
  /** Anything else worth reading beside the counts (seconds to recover, restarts, ...). */
  notes?: Record<string, number | string>;
}

/** Prints one scenario's figures as a single greppable line (`FAULT-FIGURES {...}`). */
export function reportFigures(figures: FaultFigures): void {
  process.stdout.write(`FAULT-FIGURES ${JSON.stringify(figures)}\n`);
}
