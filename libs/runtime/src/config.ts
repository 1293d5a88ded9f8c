import { isSensitiveKey, redactString } from '@shelfwatch/logging';
import { z } from 'zod';

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

const PORT_RANGE = 'expected a number between 1 and 65535';

/** A whole-number setting from `min` to `max` (coerced from the environment's string), with a default. */
export function wholeNumberSetting(fallback: number, min: number, max: number) {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
    .default(fallback);
}

/** Variables every service reads; apps `.extend()` it with their own. */
export const baseConfigSchema = z.object({
  PORT: z.coerce
    .number({ error: PORT_RANGE })
    .int({ error: PORT_RANGE })
    .min(1, { error: PORT_RANGE })
    .max(65535, { error: PORT_RANGE })
    .default(8080),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Set by Cloud Run: the service name. Its presence switches logs to Cloud Logging's JSON. */
  K_SERVICE: z.string().optional(),
  /** Set by Cloud Run: the revision, reported to Error Reporting as the service version. */
  K_REVISION: z.string().optional(),
  GOOGLE_CLOUD_PROJECT: z.string().optional(),
  /** Kept under Cloud Run's 10 s between SIGTERM and SIGKILL. */
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int({ error: 'expected a whole number of milliseconds' })
    .min(0, { error: 'expected a non-negative number of milliseconds' })
    .default(9000),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Thrown when the environment does not satisfy a config schema; its message names every bad variable. */
export class ConfigError extends Error {
  readonly issues: z.core.$ZodIssue[];
  /** Names of the missing or invalid variables, in schema order. */
  readonly variables: string[];

  constructor(issues: z.core.$ZodIssue[], env: NodeJS.ProcessEnv) {
    const lines = new Map<string, string[]>();
    for (const issue of issues) {
      const variable = issue.path.length ? issue.path.map(String).join('.') : '(environment)';
      const problems = lines.get(variable) ?? [];
      problems.push(describeIssue(issue, env[variable]));
      lines.set(variable, problems);
    }
    const summary = `${lines.size} environment ${lines.size === 1 ? 'variable is' : 'variables are'} missing or invalid`;
    const details = [...lines].map(
      ([variable, problems]) => `  ${variable}: ${problems.join('; ')}`,
    );
    super([`Invalid configuration: ${summary}:`, ...details].join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.variables = [...lines.keys()];
  }
}

/**
 * Parses the environment with `schema`, reading empty variables as unset. Throws a `ConfigError`
 * naming every missing or invalid variable at once, never just the first.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) throw new ConfigError(result.error.issues, present);
  return result.data;
}

/** `parseConfig` for a service's entry point: on bad config, prints why and exits with status 1. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // No logger exists yet (its settings are part of the config); on Cloud Run one JSON line keeps
    // the whole report in one log entry.
    process.stderr.write(
      env.K_SERVICE
        ? `${JSON.stringify({ severity: 'CRITICAL', message: error.message })}\n`
        : `${error.message}\n`,
    );
    process.exit(1);
  }
}

function describeIssue(issue: z.core.$ZodIssue, value: string | undefined): string {
  // A rule across variables (custom) says itself why an unset variable is needed.
  if (value === undefined)
    return issue.code === 'custom' ? issue.message : 'is required but not set';
  const message = issue.message.replace(/^Invalid input: /, '');
  const shown = isSensitiveKey(String(issue.path[0] ?? ''))
    ? '[REDACTED]'
    : JSON.stringify(redactString(value));
  return `${message}, got ${shown}`;
}
