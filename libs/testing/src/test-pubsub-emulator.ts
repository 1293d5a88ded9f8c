import { randomBytes } from 'node:crypto';
import {
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  type PubSubEmulator,
} from './pubsub-emulator';

/** Set by `pubSubEmulatorGlobalSetup` for the Jest workers: the run's emulator, `host:port`. */
export const testEmulatorHostVariable = 'SHELFWATCH_TEST_PUBSUB_EMULATOR_HOST';

const stateKey = Symbol.for('shelfwatch.testing.testPubSubEmulator');
type GlobalWithEmulator = typeof globalThis & { [stateKey]?: PubSubEmulator };

/**
 * Jest `globalSetup`: one Pub/Sub emulator for the whole run, instead of a JVM per test file.
 * Where the emulator cannot run it starts nothing, and each suite reports that itself
 * (`reportMissingEmulator`: a failure under `CI=true`, a skip elsewhere).
 */
export async function pubSubEmulatorGlobalSetup(): Promise<void> {
  if (!pubSubEmulatorAvailability(process.env).available) return;
  const emulator = await startPubSubEmulator();
  (globalThis as GlobalWithEmulator)[stateKey] = emulator;
  process.env[testEmulatorHostVariable] = emulator.host;
}

/** Jest `globalTeardown`: stops the run's emulator, if setup started one. */
export async function pubSubEmulatorGlobalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithEmulator;
  const emulator = holder[stateKey];
  delete holder[stateKey];
  delete process.env[testEmulatorHostVariable];
  await emulator?.stop();
}

/**
 * The emulator for one test file: a project of the file's own on the run's shared emulator. The
 * emulator keeps each project's topics and subscriptions apart, so files running side by side
 * never receive each other's messages; `stop()` leaves the shared emulator running. Without the
 * global setup this throws rather than quietly starting a JVM per file again.
 */
export function testPubSubEmulator(): PubSubEmulator {
  const host = process.env[testEmulatorHostVariable];
  if (!host) {
    const availability = pubSubEmulatorAvailability(process.env);
    throw new Error(
      availability.available
        ? `No shared Pub/Sub emulator (${testEmulatorHostVariable} is unset): point globalSetup/globalTeardown in jest.config.cjs at files that call pubSubEmulatorGlobalSetup/pubSubEmulatorGlobalTeardown from @shelfwatch/testing.`
        : `Cannot use the Pub/Sub emulator: ${availability.reason}`,
    );
  }
  return {
    host,
    projectId: `shelfwatch-test-${randomBytes(4).toString('hex')}`,
    stop: async () => undefined,
  };
}
