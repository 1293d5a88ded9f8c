import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { queryRows, startEmbeddedPostgres } from '../src/index';

describe('startEmbeddedPostgres', () => {
  let tempDir: string;
  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-spec-'));
  });
  afterAll(() => rm(tempDir, { recursive: true, force: true }));

  it('keeps a persistent cluster’s data across stop and start on the same folder', async () => {
    const dataDir = path.join(tempDir, 'persistent');
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    try {
      await queryRows(first.url, 'CREATE TABLE kept (value text)');
      await queryRows(first.url, "INSERT INTO kept VALUES ('still here')");
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir, persistent: true });
    try {
      expect(await queryRows(second.url, 'SELECT value FROM kept')).toEqual([
        { value: 'still here' },
      ]);
    } finally {
      await second.stop();
    }
  });

  it('listens on 127.0.0.1 only, on the port it reports', async () => {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'loopback'),
      persistent: false,
    });
    try {
      const [settings] = await queryRows<{ listen_addresses: string; port: string }>(
        server.url,
        "SELECT current_setting('listen_addresses') AS listen_addresses, current_setting('port') AS port",
      );
      expect(settings).toEqual({ listen_addresses: '127.0.0.1', port: String(server.port) });
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
    } finally {
      await server.stop();
    }
  });

  it('rejects with PostgreSQL’s own reason when its port is taken, rather than hanging', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      await expect(
        startEmbeddedPostgres({
          dataDir: path.join(tempDir, 'taken-port'),
          persistent: false,
          port,
        }),
      ).rejects.toThrow(/did not start on 127\.0\.0\.1:\d+[\s\S]*could not bind/);
    } finally {
      holder.close();
    }
  });
});
