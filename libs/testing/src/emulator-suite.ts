import { pubSubEmulatorAvailability } from './pubsub-emulator';

export const emulatorAvailability = pubSubEmulatorAvailability(process.env);

/**
 * Registers what a suite does when the Pub/Sub emulator cannot run here: a failing test under
 * `CI=true`, otherwise a skipped test whose name says why (and a warning on the console).
 */
export function reportMissingEmulator(suite: string): void {
  if (emulatorAvailability.available) return;
  const { reason } = emulatorAvailability;
  if (emulatorAvailability.required) {
    it(`${suite} needs the Pub/Sub emulator in CI`, () => {
      throw new Error(`CI=true and the Pub/Sub emulator cannot run: ${reason}`);
    });
    return;
  }
  console.warn(`Skipping ${suite} on the Pub/Sub emulator: ${reason}`);
  it.skip(`${suite} on the Pub/Sub emulator (skipped: ${reason})`, () => undefined);
}
