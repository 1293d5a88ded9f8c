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
 * The emulator for one test file. With the run's shared emulator (global setup ran), a project of
 * the file's own on it: the emulator keeps each project's topics and subscriptions apart, so
 * files running side by side never receive each other's messages, and `stop()` leaves the shared
 * emulator running. Without it, an emulator of the file's own, which `stop()` stops.
 */
export async function testPubSubEmulator(): Promise<PubSubEmulator> {
  const host = process.env[testEmulatorHostVariable];
  if (!host) return startPubSubEmulator();
  return {
    host,
    projectId: `shelfwatch-test-${randomBytes(4).toString('hex')}`,
    stop: async () => undefined,
  };
}
