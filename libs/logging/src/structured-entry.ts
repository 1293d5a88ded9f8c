import { randomFillSync } from 'node:crypto';
import { SPAN_ID_KEY, TRACE_KEY, TRACE_SAMPLED_KEY } from './trace-context';

/** Cloud Logging's structured-log keys for an entry's labels and its de-duplication id. */
export const LABELS_KEY = 'logging.googleapis.com/labels';
export const INSERT_ID_KEY = 'logging.googleapis.com/insertId';

// winston keeps the level an entry was logged at here, whatever a format did to `level`.
const LEVEL = Symbol.for('level');

// winston's npm levels as Cloud Logging severities, as @google-cloud/logging-winston maps them.
const SEVERITY_OF_LEVEL: Readonly<Record<string, string>> = {
  error: 'ERROR',
  warn: 'WARNING',
  info: 'INFO',
  http: 'INFO',
  verbose: 'DEBUG',
  debug: 'DEBUG',
  silly: 'DEBUG',
};

// Fields Cloud Logging reads from the top of the line; everything else stays under `metadata`.
const PROMOTED_KEYS = new Set([
  TRACE_KEY,
  SPAN_ID_KEY,
  TRACE_SAMPLED_KEY,
  'httpRequest',
  'labels',
  'timestamp',
  'logName',
]);

export interface StructuredEntryContext {
  /** `projects/<project>/logs/<log>`, as every line names its log. */
  readonly logName: string;
  /** Error Reporting's `serviceContext`, on entries that carry a stack. */
  readonly serviceContext?: { readonly service: string; readonly version?: string };
}

/**
 * The log name Cloud Logging's client gives a log: the project's path and the name, URL-encoded
 * unless it already is; `{{projectId}}` stands for an unknown project, as in the client.
 */
export function logNameOf(projectId: string | undefined, name: string): string {
  return `projects/${projectId || '{{projectId}}'}/logs/${decodeURIComponent(name) === name ? encodeURIComponent(name) : name}`;
}

/**
 * A winston entry as the object of one structured log line, in the shape (fields and their
 * order) @google-cloud/logging-winston's transport writes with `redirectToStdout` and
 * `useMessageField: false`: severity, message (with the stack appended), timestamp as seconds
 * and nanos, the trace fields, httpRequest and labels promoted, every other field under
 * `metadata`. `test/cloud-logging-equality.spec.ts` holds the two to the same lines.
 */
export function structuredEntry(
  info: Readonly<Record<string | symbol, unknown>>,
  context: StructuredEntryContext,
): Record<string, unknown> {
  const { message, level, splat: _splat, stack, ...metadata } = info as Record<string, unknown>;
  const npmLevel = (info[LEVEL] as string | undefined) || level;
  const severity = SEVERITY_OF_LEVEL[String(npmLevel)];
  if (severity === undefined) throw new Error(`Unknown log level: ${String(npmLevel)}`);
  if (stack) metadata.stack = stack;

  const entry: Record<string, unknown> = {
    timestamp: secondsAndNanos(
      metadata.timestamp instanceof Date ? metadata.timestamp : new Date(),
    ),
  };
  // A caller's own `logName` only decides where the field sits; its value is always the log's.
  if (metadata.logName) entry.logName = context.logName;
  if (metadata.httpRequest) entry.httpRequest = metadata.httpRequest;
  entry.severity = severity;
  if (metadata.labels) entry[LABELS_KEY] = Object.assign({}, metadata.labels);
  entry[INSERT_ID_KEY] = nextInsertId();
  if (metadata[TRACE_KEY]) entry[TRACE_KEY] = metadata[TRACE_KEY];
  if (metadata[SPAN_ID_KEY]) entry[SPAN_ID_KEY] = metadata[SPAN_ID_KEY];
  if (TRACE_SAMPLED_KEY in metadata)
    entry[TRACE_SAMPLED_KEY] = metadata[TRACE_SAMPLED_KEY] === true;
  // Error Reporting picks up a stack from the message, and wants to know whose it is.
  if (stack) entry.serviceContext = context.serviceContext;
  const text = String(message || '');
  entry.message = stack ? `${text}${text ? ' ' : ''}${String(stack)}` : text;
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(metadata)) if (!PROMOTED_KEYS.has(key)) rest[key] = metadata[key];
  entry.metadata = rest;
  entry.logName = context.logName;
  return entry;
}

/** A protobuf Timestamp as Cloud Logging's client computes it from a Date. */
function secondsAndNanos(date: Date): { seconds: number; nanos: number } {
  const seconds = date.getTime() / 1000;
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.floor((seconds - whole) * 1e9) };
}

const INSERT_ID_ALPHABET = '.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * Insert ids as Cloud Logging's client makes them: a 64-bit counter and 128 random bits fixed per
 * process, 32 characters of an alphabet in ASCII order, so ids are unique across instances and
 * sort in the order the entries were made (Cloud Logging drops an entry whose timestamp and
 * insertId repeat another's).
 */
export function insertIdSequence(counterStart = 0n): () => string {
  const bytes = Buffer.alloc(24);
  randomFillSync(bytes, 8, 16);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, counterStart));
  return () => {
    bytes.writeBigUInt64BE(BigInt.asUintN(64, bytes.readBigUInt64BE() + 1n));
    let id = '';
    for (let offset = 0; offset < bytes.length; offset += 3) {
      const group = bytes.readUIntBE(offset, 3);
      for (const shift of [18, 12, 6, 0]) id += INSERT_ID_ALPHABET.charAt((group >> shift) & 63);
    }
    return id;
  };
}

// One sequence per process, like the client's, shared by every logger.
const nextInsertId = insertIdSequence();
