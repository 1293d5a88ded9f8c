import { inspect } from 'node:util';
import winston from 'winston';
import { REDACTED, isSensitiveKey, redact, redactString } from './redact';
import { SPAN_ID_KEY, TRACE_KEY, TRACE_SAMPLED_KEY } from './trace-context';

type Info = winston.Logform.TransformableInfo & Record<string, unknown>;

// Keys under which callers conventionally pass the error an entry is about: `log.error('...', { err })`.
const ERROR_KEYS = ['err', 'error'];

/**
 * Makes every entry safe and useful before any transport sees it: the stack of an error passed as
 * `err`/`error` moves to `stack` (which the Cloud Logging transport appends to the message for
 * Error Reporting), and secrets are masked in every field, the message and the stack.
 */
export const prepareEntry = winston.format((info: Info) => {
  const nestedError = ERROR_KEYS.map((key) => info[key]).find(
    (value): value is Error => value instanceof Error,
  );
  if (nestedError && typeof info.stack !== 'string') {
    info.stack = nestedError.stack;
    if (!info.message) info.message = nestedError.message;
  }
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    info[key] = isSensitiveKey(key) ? REDACTED : redact(info[key]);
  }
  // Errors logged directly carry message and stack as non-enumerable own properties.
  if (typeof info.message === 'string') info.message = redactString(info.message);
  if (typeof info.stack === 'string') info.stack = redactString(info.stack);
  if (nestedError) {
    for (const key of ERROR_KEYS) {
      const serialized = info[key] as Record<string, unknown> | undefined;
      if (serialized && typeof serialized === 'object') delete serialized.stack;
    }
  }
  return info;
});

/** The Cloud Logging transport writes a `Date` timestamp as the entry's time: when the call happened. */
export const stampTime = winston.format((info: Info) => {
  info.timestamp = new Date();
  return info;
});

const HIDDEN_IN_PRETTY = new Set([
  'level',
  'message',
  'timestamp',
  'stack',
  'service',
  TRACE_KEY,
  SPAN_ID_KEY,
  TRACE_SAMPLED_KEY,
]);

/** A readable single line per entry for terminals: time, level, service, message, then the remaining fields. */
export function prettyLine(service: string, colors: boolean): winston.Logform.Format {
  return winston.format.printf((info) => {
    const entry = info as Info;
    const level = entry.level.toUpperCase().padEnd(5);
    const time = new Date().toISOString().slice(11, 23);
    const fields = Object.fromEntries(
      Object.entries(entry).filter(
        ([key, value]) => value !== undefined && !HIDDEN_IN_PRETTY.has(key),
      ),
    );
    const details = Object.keys(fields).length
      ? ` ${inspect(fields, { breakLength: Infinity, colors, depth: 6 })}`
      : '';
    // Stack frames stay on the entry's line, separated by ' | ', so one entry never spans lines.
    const stack = typeof entry.stack === 'string' ? ` ${entry.stack.replace(/\n\s*/g, ' | ')}` : '';
    const trace =
      typeof entry[TRACE_KEY] === 'string'
        ? ` trace=${String(entry[TRACE_KEY]).split('/').pop()}`
        : '';
    return `${time} ${colors ? winston.format.colorize().colorize(entry.level, level) : level} [${service}] ${String(entry.message)}${details}${stack}${trace}`;
  });
}
