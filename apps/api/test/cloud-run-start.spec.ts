import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseConfig } from '@shelfwatch/runtime';
import { apiConfigSchema } from '../src/config';

const MAIN = path.join(__dirname, '..', 'src', 'main.ts');

const cloudRun = {
  K_SERVICE: 'api',
  DATABASE_URL: 'postgres://127.0.0.1:1/never-reached',
  MESSAGING_TRANSPORT: 'postgres',
  METADATA_SERVER_DETECTION: 'none',
  GOOGLE_CLOUD_PROJECT: 'shelfwatch-ci',
};

describe('the api on Cloud Run', () => {
  it('refuses to start with a scheduler tick but no identity for its caller, naming both settings', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...cloudRun, SCHEDULER_MODE: 'http' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const entry = JSON.parse(result.stderr.trim()) as { severity: string; message: string };
    expect(entry.severity).toBe('CRITICAL');
    expect(entry.message).toMatch(
      /SCHEDULER_TICK_AUDIENCE: is required on Cloud Run \(K_SERVICE is set\): POST \/internal\/scheduler\/tick/,
    );
    expect(entry.message).toContain('SCHEDULER_TICK_SERVICE_ACCOUNT: is required on Cloud Run');
  });

  it('needs no tick identity when the tick is off, and both when one is set', () => {
    expect(parseConfig(apiConfigSchema, { ...cloudRun, SCHEDULER_MODE: 'off' })).toMatchObject({
      SCHEDULER_MODE: 'off',
    });
    expect(() =>
      parseConfig(apiConfigSchema, { ...cloudRun, SCHEDULER_TICK_AUDIENCE: 'api-scheduler' }),
    ).toThrow(
      /SCHEDULER_TICK_SERVICE_ACCOUNT: SCHEDULER_TICK_AUDIENCE and SCHEDULER_TICK_SERVICE_ACCOUNT must be set together/,
    );
    expect(
      parseConfig(apiConfigSchema, {
        ...cloudRun,
        SCHEDULER_TICK_AUDIENCE: 'api-scheduler',
        SCHEDULER_TICK_SERVICE_ACCOUNT: 'scheduler@shelfwatch.iam.gserviceaccount.com',
      }),
    ).toMatchObject({ SCHEDULER_MODE: 'timer' });
  });
});
