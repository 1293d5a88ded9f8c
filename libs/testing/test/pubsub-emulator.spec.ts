import { execFileSync } from 'node:child_process';
import {
  emulatorAvailability,
  pubSubEmulatorAvailability,
  reportMissingEmulator,
  startPubSubEmulator,
} from '../src/index';

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text));
}

describe('pubSubEmulatorAvailability', () => {
  it('says why the emulator cannot run without gcloud, and requires it under CI=true', () => {
    expect(pubSubEmulatorAvailability({ PATH: '/nonexistent' })).toEqual({
      available: false,
      required: false,
      reason: expect.stringContaining('`gcloud`'),
    });
    expect(pubSubEmulatorAvailability({ PATH: '/nonexistent', CI: 'true' })).toMatchObject({
      available: false,
      required: true,
    });
  });
});

describe('startPubSubEmulator', () => {
  reportMissingEmulator('starting and stopping the emulator');
  if (!emulatorAvailability.available) return;

  it('starts an answering emulator on a free loopback port and leaves no process behind', async () => {
    const emulator = await startPubSubEmulator({ projectId: 'shelfwatch-emulator-test' });
    const marker = `--host-port=${emulator.host}`;
    try {
      expect(emulator.host).toMatch(/^127\.0\.0\.1:\d+$/);
      const response = await fetch(`http://${emulator.host}/`);
      expect(response.ok).toBe(true);
      // gcloud plus the JVM it forked (whose arguments carry the port too).
      expect(processesMentioning(emulator.host).length).toBeGreaterThanOrEqual(1);
    } finally {
      await emulator.stop();
    }
    expect(processesMentioning(emulator.host)).toEqual([]);
    expect(processesMentioning(marker)).toEqual([]);
    await expect(fetch(`http://${emulator.host}/`)).rejects.toThrow();
  });
});
