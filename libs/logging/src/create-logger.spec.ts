import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from './create-logger';

/** A logger at `level` writing its lines into `lines`, and a field that counts its reads. */
function observedLogger(level: string) {
  const logger = createLogger({ service: 'spec', level, format: 'json' });
  const lines: string[] = [];
  logger.clear();
  logger.add(
    new winston.transports.Stream({
      stream: new Writable({
        objectMode: true,
        write(chunk: unknown, _encoding, done) {
          lines.push(JSON.stringify(chunk));
          done();
        },
      }),
    }),
  );
  let reads = 0;
  const detail = {
    get note() {
      reads++;
      return 'read';
    },
  };
  return { logger, lines, detail, reads: () => reads };
}

describe('createLogger', () => {
  it('drops an entry below its level before any format reads its fields', () => {
    const { logger, lines, detail, reads } = observedLogger('info');
    logger.debug('not written', { detail });
    expect(reads()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('formats and writes an entry at or above its level', () => {
    const { logger, lines, detail, reads } = observedLogger('info');
    logger.info('written', { detail });
    expect(reads()).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('written');
  });

  it('follows a level changed after creation', () => {
    const { logger, lines, detail } = observedLogger('info');
    logger.level = 'debug';
    logger.debug('now written', { detail });
    expect(lines).toHaveLength(1);
  });
});
