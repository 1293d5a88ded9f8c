import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';
import { createAccountWithCli } from '@shelfwatch/tools';
import { freeLocalPortBase, ownNxWorkspaceData } from './support/local-stack';

/**
 * `nx serve api` as a newcomer runs it: no DATABASE_URL, so an embedded PostgreSQL starts,
 * migrations apply, and the api serves the targets resource over real HTTP.
 */
describe('nx serve api on embedded defaults', () => {
  let child: ChildProcess;
  let output = '';
  let baseUrl: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shelfwatch-serve-'));
    // The api on the base port, and the local SMTP server 15 above it: never the fixed defaults,
    // which another suite or a developer's own stack may hold.
    const port = await freeLocalPortBase();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      PORT: String(port),
      SHELFWATCH_PORT: String(port),
      SHELFWATCH_DATA_DIR: dataDir,
      // Other tasks of the same test run write files; a watch-mode restart would race the test.
      SHELFWATCH_SERVE_WATCH: 'false',
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      ...ownNxWorkspaceData(dataDir),
    };
    delete env.DATABASE_URL;
    child = spawn(
      join(workspaceRoot, 'node_modules/.bin/nx'),
      ['serve', 'api', '--outputStyle=stream'],
      {
        cwd: workspaceRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));

    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${baseUrl}/ready`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`api did not become ready:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(() => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the metadata server, then creates, lists, reads, patches and deletes a target', async () => {
    expect((await globalThis.fetch(`${baseUrl}/v1/targets`)).status).toBe(401);
    const { apiKey } = await createAccountWithCli(env, {
      email: 'operator@example.com',
      operator: true,
    });
    const auth = { authorization: `Bearer ${apiKey}` };
    const json = { 'content-type': 'application/json', ...auth };
    const fetch = (url: string, init: RequestInit = {}) =>
      globalThis.fetch(url, { ...init, headers: { ...auth, ...init.headers } });
    // nx serve api allows loopback (where the demo shop lives) and refuses the metadata server;
    // a public name would need DNS, which tests never use.
    const refused = await fetch(`${baseUrl}/v1/targets`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ url: 'http://169.254.169.254/computeMetadata/v1/' }),
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { reason: string }).reason).toBe('metadata address');
    const created = await fetch(`${baseUrl}/v1/targets`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ url: 'http://127.0.0.1:9/p/1' }),
    });
    expect(created.status).toBe(201);
    const target = (await created.json()) as { id: string };

    const list = (await (await fetch(`${baseUrl}/v1/targets`)).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((item) => item.id)).toContain(target.id);

    expect((await fetch(`${baseUrl}/v1/targets/${target.id}`)).status).toBe(200);

    const patched = await fetch(`${baseUrl}/v1/targets/${target.id}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ status: 'paused' }),
    });
    expect(((await patched.json()) as { status: string }).status).toBe('paused');

    expect((await fetch(`${baseUrl}/v1/targets/${target.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await fetch(`${baseUrl}/v1/targets/${target.id}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
  });

  // Nx itself always reports an interrupted task with status 130; what must exit 0 is the api.
  it('on SIGTERM drains the api, which exits 0, and stops everything within 10 s', async () => {
    const started = Date.now();
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    process.kill(child.pid as number, 'SIGTERM');
    await exited;

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output).toContain('Shutdown complete');
    expect(output).toContain('[serve] api exited with code 0');
    expect(output).toContain('[serve] database stopped');
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();
  });
});
