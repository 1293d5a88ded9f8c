import winston from 'winston';
import { CloudLoggingTransport } from './cloud-logging-transport';
import { prepareEntry, prettyLine, stampTime } from './formats';
import { logNameOf } from './structured-entry';

export type Logger = winston.Logger;
export type LogFormat = 'json' | 'pretty';

export interface CreateLoggerOptions {
  /** Names the service in Error Reporting (`serviceContext.service`), the log name and pretty lines. */
  service: string;
  /** A winston npm level (error, warn, info, http, verbose, debug, silly); defaults to `LOG_LEVEL`, then `info`. */
  level?: string;
  env?: NodeJS.ProcessEnv;
  /** Defaults to `LOG_FORMAT` when set, else `json` on Cloud Run (`K_SERVICE` set) and `pretty` elsewhere. */
  format?: LogFormat;
}

const projectIds = new WeakMap<winston.Logger, string>();

/**
 * An entry whose fields are already safe to write (redacted by whoever built it), with the
 * time it was made: what the json format's `prepareEntry` and `stampTime` would have produced.
 */
export interface PreparedEntry {
  level: string;
  message: string;
  timestamp: Date;
  [field: string]: unknown;
}

/** Hands a prepared entry straight to the logger's Cloud Logging transport. */
export type PreparedEntryWriter = (entry: PreparedEntry) => void;

const preparedWriters = new WeakMap<
  winston.Logger,
  { transport: winston.transport; write: PreparedEntryWriter }
>();

/** What names the lines of a json logger: its service and revision, and the project they belong to. */
export interface JsonTransportSettings {
  service: string;
  projectId: string | undefined;
  version: string | undefined;
}

/** Makes the transport a json logger writes through. */
export type JsonTransportFactory = (settings: JsonTransportSettings) => winston.transport;

/**
 * A winston logger that writes one entry per line on stdout: Cloud Logging's structured JSON on
 * Cloud Run, a readable line elsewhere.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return createLoggerWith(options, cloudLoggingTransport);
}

/**
 * `createLogger` with the json format's transport made by `jsonTransport`: the equality spec
 * builds the same logger over @google-cloud/logging-winston's transport (ADR 0039).
 */
export function createLoggerWith(
  options: CreateLoggerOptions,
  jsonTransport: JsonTransportFactory,
): Logger {
  const env = options.env ?? process.env;
  const level = options.level ?? env.LOG_LEVEL ?? 'info';
  if (!(level in winston.config.npm.levels)) {
    throw new Error(
      `Unknown log level "${level}"; expected one of ${Object.keys(winston.config.npm.levels).join(', ')}`,
    );
  }
  const format = options.format ?? chooseFormat(env);
  const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  const transport =
    format === 'json'
      ? jsonTransport({ service: options.service, projectId, version: env.K_REVISION })
      : undefined;
  // winston runs the logger's format on every entry and leaves the level to the transports, so a
  // debug line at level info was redacted and formatted for nothing (13-40 µs each, one per
  // observation in analytics, ADR 0041): drop what no transport writes before anything reads it.
  const written = winston.format((info) => (logger.isLevelEnabled(info.level) ? info : false));
  const logger: winston.Logger = transport
    ? winston.createLogger({
        level,
        format: winston.format.combine(written(), prepareEntry(), stampTime()),
        transports: [transport],
      })
    : winston.createLogger({
        level,
        format: winston.format.combine(
          written(),
          prepareEntry(),
          prettyLine(options.service, Boolean(process.stdout.isTTY)),
        ),
        transports: [new winston.transports.Console()],
      });
  if (projectId) projectIds.set(logger, projectId);
  if (transport)
    preparedWriters.set(logger, { transport, write: preparedWriter(logger, transport) });
  return logger;
}

/**
 * Writes an entry the way `logger.log` would end, minus winston's stream pipeline and the
 * generic redaction of every field: for the one line per request, whose few caller-supplied
 * strings request-logging redacts itself. Honours the logger's and the transport's level and
 * `silent`, as winston does.
 */
function preparedWriter(logger: winston.Logger, transport: winston.transport): PreparedEntryWriter {
  const done = () => undefined;
  const levels = winston.config.npm.levels;
  return (entry) => {
    if (logger.silent || transport.silent || !logger.isLevelEnabled(entry.level)) return;
    if (transport.level && levels[transport.level]! < levels[entry.level]!) return;
    transport.log?.(entry, done);
  };
}

/**
 * The prepared-entry writer of a json logger, while the logger still writes through its own Cloud
 * Logging transport alone; otherwise undefined and entries go through `logger.log`. A child logger
 * has none: winston adds a child's metadata in the child's own `write`, which the writer skips.
 */
export function preparedWriterOf(logger: Logger): PreparedEntryWriter | undefined {
  const prepared = preparedWriters.get(logger);
  if (!prepared) return undefined;
  return logger.transports.length === 1 && logger.transports[0] === prepared.transport
    ? prepared.write
    : undefined;
}

/** The Google Cloud project the logger (or the logger it is a child of) was created for. */
export function projectIdOf(logger: Logger): string | undefined {
  // winston's child loggers inherit from their parent through the prototype chain.
  for (let current: object | null = logger; current; current = Object.getPrototypeOf(current)) {
    const projectId = projectIds.get(current as Logger);
    if (projectId) return projectId;
  }
  return undefined;
}

function chooseFormat(env: NodeJS.ProcessEnv): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.K_SERVICE ? 'json' : 'pretty';
}

function cloudLoggingTransport({
  service,
  projectId,
  version,
}: JsonTransportSettings): CloudLoggingTransport {
  return new CloudLoggingTransport({
    logName: logNameOf(projectId, service),
    serviceContext: { service, version },
  });
}
