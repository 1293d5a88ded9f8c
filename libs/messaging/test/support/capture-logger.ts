import { createLogger, type Logger } from '@shelfwatch/logging';

export interface CapturedLog {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** A real logger whose entries are collected instead of printed, so tests can assert on them. */
export function captureLogger(): { logger: Logger; entries: CapturedLog[] } {
  const logger = createLogger({ service: 'messaging-test', level: 'debug', format: 'pretty' });
  for (const transport of logger.transports) transport.silent = true;
  const entries: CapturedLog[] = [];
  logger.on('data', (entry: CapturedLog) => entries.push(entry));
  return { logger, entries };
}
