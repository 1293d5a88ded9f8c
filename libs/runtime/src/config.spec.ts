import { z } from 'zod';
import { ConfigError, baseConfigSchema, parseConfig, wholeNumberSetting } from './config';

const appSchema = baseConfigSchema.extend({
  DATABASE_URL: z.url(),
  SCRAPE_CONCURRENCY: z.coerce.number().int().positive(),
});

function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(appSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the base defaults', () => {
    expect(parseConfig(baseConfigSchema, {})).toEqual({
      PORT: 8080,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      SHUTDOWN_TIMEOUT_MS: 9000,
    });
  });

  it('coerces and keeps the variables of an extended schema, ignoring unrelated ones', () => {
    const config = parseConfig(appSchema, {
      PORT: '3000',
      K_SERVICE: 'api',
      DATABASE_URL: 'postgres://shelf@127.0.0.1/shelf',
      SCRAPE_CONCURRENCY: '4',
      HOME: '/root',
    });
    expect(config).toMatchObject({ PORT: 3000, K_SERVICE: 'api', SCRAPE_CONCURRENCY: 4 });
    expect(config).not.toHaveProperty('HOME');
  });

  it('names every missing or invalid variable, one per line', () => {
    const error = configErrorFor({ PORT: 'abc', LOG_LEVEL: 'loud', SCRAPE_CONCURRENCY: '-1' });
    expect(error.variables).toEqual(['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'SCRAPE_CONCURRENCY']);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration: 4 environment variables are missing or invalid:');
    expect(lines).toContain('  PORT: expected a number between 1 and 65535, got "abc"');
    expect(lines).toContain('  DATABASE_URL: is required but not set');
    expect(lines.find((line) => line.startsWith('  LOG_LEVEL: '))).toMatch(/"info".*got "loud"$/);
    expect(lines.find((line) => line.startsWith('  SCRAPE_CONCURRENCY: '))).toMatch(/got "-1"$/);
    expect(error.issues.length).toBe(4);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig(baseConfigSchema, { PORT: '' }).PORT).toBe(8080);
    expect(configErrorFor({ DATABASE_URL: '', SCRAPE_CONCURRENCY: '1' }).variables).toEqual([
      'DATABASE_URL',
    ]);
  });

  it('never prints the value of a secret variable', () => {
    const schema = z.object({
      API_TOKEN: z.string().min(40),
      DATABASE_URL: z.url().startsWith('postgresql:'),
    });
    const error = (() => {
      try {
        parseConfig(schema, {
          API_TOKEN: 'short-secret',
          DATABASE_URL: 'mysql://user:hunter2@db/x',
        });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).toContain('API_TOKEN: ');
    expect(error.message).not.toContain('short-secret');
    expect(error.message).not.toContain('hunter2');
  });

  it('reads a whole-number setting within its bounds and names the bounds when it is not', () => {
    const schema = baseConfigSchema.extend({ BATCH: wholeNumberSetting(10, 1, 100) });
    expect(parseConfig(schema, {}).BATCH).toBe(10);
    expect(parseConfig(schema, { BATCH: '42' }).BATCH).toBe(42);
    for (const bad of ['0', '101', '2.5', 'many'])
      expect(() => parseConfig(schema, { BATCH: bad })).toThrow(
        'expected a whole number from 1 to 100',
      );
  });
});
