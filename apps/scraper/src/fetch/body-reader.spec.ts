import { constants, gzipSync } from 'node:zlib';
import { gzipOutputChunk } from './body-reader';

describe('gzipOutputChunk', () => {
  const limit = 5 * 1024 * 1024;

  it('takes the size the gzip trailer states, plus one, for a page larger than the default chunk', () => {
    const page = Buffer.alloc(600_000, 'a');
    expect(gzipOutputChunk(gzipSync(page), limit)).toBe(600_001);
  });

  it('never goes below zlib default chunk when the last member of a multi-member body states 0 bytes', () => {
    const body = Buffer.concat([gzipSync(Buffer.alloc(2_000_000, 'a')), gzipSync(Buffer.alloc(0))]);
    expect(gzipOutputChunk(body, limit)).toBe(constants.Z_DEFAULT_CHUNK);
  });

  it('stays within the limit, plus one, whatever size the trailer states', () => {
    const body = gzipSync(Buffer.alloc(100, 'a'));
    body.writeUInt32LE(0xffffffff, body.length - 4);
    expect(gzipOutputChunk(body, limit)).toBe(limit + 1);
  });
});
