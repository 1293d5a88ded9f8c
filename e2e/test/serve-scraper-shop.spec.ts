import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, isLoopbackPortFree } from '@shelfwatch/testing';
import { localPorts, startDemoShop, type DemoShop } from '@shelfwatch/tools';
import { freeLocalPortBase, localServeEnv, nxServe, processesIn } from './support/local-stack';

/*
 * `nx serve scraper` next to a demo shop someone else started (npm start, another checkout's
 * serve): it uses that shop instead of failing on the port, and leaves it running when it stops.
 * A port held by anything else is refused with a message that says what to change.
 */
describe('nx serve scraper and the demo shop port', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'shelfwatch-serve-scraper-'));
  });

  afterEach(async () => {
    await eventually('no process left in the data folder', () => processesIn(dataDir).length === 0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reuses a demo shop already running on its port and leaves it running when it stops', async () => {
    const env = localServeEnv(dataDir, await freeLocalPortBase());
    const ports = localPorts(env);
    const shop: DemoShop = await startDemoShop({ port: ports.demoShop });
    try {
      const served = nxServe('scraper', env);
      await eventually(
        'the scraper to be ready',
        async () =>
          (await fetch(`http://127.0.0.1:${ports.scraper}/ready`)).status === 200 || undefined,
        120_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${served.output()}`);
      });
      expect(served.output()).toContain(
        `[serve] reusing the demo shop already running on ${shop.url}`,
      );

      // SIGTERM to Nx alone: it forwards the signal and waits for the task, output included.
      process.kill(served.child.pid!, 'SIGTERM');
      await served.exited;

      expect(served.output()).toContain('[serve] scraper exited with code 0');
      expect((await fetch(`${shop.url}/robots.txt`)).status).toBe(200);
    } finally {
      await shop.close();
    }
  });

  it('refuses a demo shop port that something else holds, naming the variables to change', async () => {
    const env = localServeEnv(dataDir, await freeLocalPortBase());
    const ports = localPorts(env);
    const squatter: Server = createServer((_req, res) => res.end('not a shop'));
    await new Promise<void>((resolve) => squatter.listen(ports.demoShop, '127.0.0.1', resolve));
    try {
      const served = nxServe('scraper', env);
      await served.exited;

      // (Nx reports a continuous task that ended on its own as a success, so the message is
      // what shows the refusal.)
      expect(served.output()).toContain(
        `Port ${ports.demoShop} is taken by something that is not the demo shop: set DEMO_SHOP_PORT or SHELFWATCH_PORT`,
      );
      expect(served.output()).not.toContain('embedded PostgreSQL ready');
      expect(await isLoopbackPortFree(ports.scraper)).toBe(true);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
