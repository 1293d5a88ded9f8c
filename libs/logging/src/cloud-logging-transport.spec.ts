import { PassThrough } from 'node:stream';
import { CloudLoggingTransport } from './cloud-logging-transport';
import { insertIdSequence } from './structured-entry';

function transportWritingLines(): { transport: CloudLoggingTransport; lines: () => string[] } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const transport = new CloudLoggingTransport({ logName: 'projects/p/logs/spec' }, out);
  return { transport, lines: () => text.split('\n').filter((line) => line !== '') };
}

describe('CloudLoggingTransport', () => {
  it('writes an entry JSON cannot hold with its BigInts and cycles as text, where logging-winston would drop it', () => {
    const { transport, lines } = transportWritingLines();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const shared = { id: 1 };
    transport.log(
      {
        level: 'info',
        message: 'rows counted',
        rows: 12345678901234567890n,
        cyclic,
        shared,
        again: shared,
      },
      () => undefined,
    );
    const [line = ''] = lines();
    expect(JSON.parse(line)).toMatchObject({
      severity: 'INFO',
      message: 'rows counted',
      metadata: {
        rows: '12345678901234567890',
        cyclic: { name: 'a', self: '[Circular]' },
        // A value met twice but not inside itself is no cycle.
        shared: { id: 1 },
        again: { id: 1 },
      },
    });
  });

  it('refuses a level Cloud Logging has no severity for, as logging-winston does', () => {
    const { transport } = transportWritingLines();
    expect(() => transport.log({ level: 'notice', message: 'x' }, () => undefined)).toThrow(
      'Unknown log level: notice',
    );
  });
});

describe('insertIdSequence', () => {
  it('makes unique 32-character ids that sort in the order they were made, across counter carries', () => {
    const next = insertIdSequence(65_000n);
    const ids = Array.from({ length: 1_000 }, () => next());
    for (const id of ids) expect(id).toMatch(/^[.0-9A-Z_a-z]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The random part is the process's own, so two sequences never make the same ids.
    expect(insertIdSequence(65_000n)().slice(11)).not.toBe(ids[0]?.slice(11));
  });
});
