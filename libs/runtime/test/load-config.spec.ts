import { spawnSync } from 'node:child_process';
import path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'load-config.ts');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('loadConfigOrExit', () => {
  it('starts the service when the environment is valid', () => {
    const result = start({ PORT: '9090', DATABASE_URL: 'postgres://127.0.0.1/shelf' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('CONFIG OK port=9090\n');
  });

  it('fails fast with status 1, naming every bad variable', () => {
    const result = start({ PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('  PORT: expected a number between 1 and 65535, got "abc"');
    expect(result.stderr).toContain('  DATABASE_URL: is required but not set');
  });

  it('reports as one structured log entry on Cloud Run', () => {
    const result = start({ PORT: 'abc', K_SERVICE: 'api' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]) as { severity: string; message: string };
    expect(entry.severity).toBe('CRITICAL');
    expect(entry.message).toMatch(/PORT: .*\n {2}DATABASE_URL: is required/);
  });
});
