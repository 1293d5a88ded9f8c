import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackPortFree, WorkspaceClone } from '@shelfwatch/testing';
import { freeLocalPortBase, processesIn } from './support/local-stack';

/*
 * `npm start` as a newcomer runs it, in a throwaway clone: the whole system comes up on
 * embedded defaults, the demo shop's prices move through all three services, Ctrl-C (SIGINT to
 * the terminal's process group) leaves nothing running, and a second start finds the data.
 * Mail goes to the local SMTP server, which keeps each message under `.data/mail/`.
 *
 * @long-running 150 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
const READY = /shelfwatch is ready in ([\d.]+) s/;

interface Started {
  child: ChildProcess;
  output: () => string;
  readySeconds: number;
  exited: Promise<number | null>;
}

describe('npm start on embedded defaults', () => {
  let clone: WorkspaceClone;
  let base: number;
  let api: string;
  let postgresPort: number;
  const readyTimes: number[] = [];

  beforeAll(async () => {
    clone = new WorkspaceClone();
    base = await freeLocalPortBase();
    api = `http://127.0.0.1:${base}`;
  });

  afterAll(() => {
    console.log(
      `npm start to ready: cold ${readyTimes[0]} s, warm ${readyTimes[1]} s (this machine, this run)`,
    );
    clone.remove();
  });

  async function start(): Promise<Started> {
    let output = '';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SHELFWATCH_PORT: String(base),
      DEMO_SHOP_PORT: String(base + 10),
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_CACHE_DIRECTORY: join(clone.dir, '.nx/cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(clone.dir, '.nx/workspace-data'),
    };
    for (const name of ['DATABASE_URL', 'PUBSUB_EMULATOR_HOST', 'SHELFWATCH_DATA_DIR', 'PORT'])
      delete env[name];
    // Its own process group, like a terminal's foreground job: SIGINT to the group is Ctrl-C.
    const child = spawn('npm', ['start'], {
      cwd: clone.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 240_000;
    while (!READY.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not get ready:\n${output.slice(-4000)}`);
      await new Promise((wake) => setTimeout(wake, 250));
    }
    return {
      child,
      output: () => output,
      readySeconds: Number(READY.exec(output)![1]),
      exited,
    };
  }

  async function interrupt(started: Started): Promise<void> {
    process.kill(-started.child.pid!, 'SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      started.exited,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), 60_000);
      }),
    ]);
    clearTimeout(timer);
    expect(code).not.toBe('timeout');
    // Everything it started is gone, and so are its ports.
    await new Promise((wake) => setTimeout(wake, 500));
    expect(processesIn(clone.dir)).toEqual([]);
    for (const port of [base, base + 1, base + 2, base + 3, base + 10, base + 15, postgresPort])
      expect({ port, free: await isLoopbackPortFree(port) }).toEqual({ port, free: true });
    expect(started.output()).toMatch(/stopped/);
  }

  let demoKey = '';
  const get = async (path: string) => {
    const response = await fetch(`${api}${path}`, {
      headers: { authorization: `Bearer ${demoKey}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { items: any[] };
  };

  it('runs the system, shows price changes, and stops everything on Ctrl-C', async () => {
    const started = await start();
    readyTimes.push(started.readySeconds);
    expect(started.output()).toContain('first start: watching the demo shop');
    demoKey = /demo api key (sw_\S+)/.exec(started.output())![1]!;
    const [, email, password] = /demo sign-in (\S+) \/ (\S+)/.exec(started.output())!;
    const signIn = await fetch(`${api}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(signIn.status).toBe(201);
    expect((await fetch(`${api}/v1/alerts`)).status).toBe(401);
    expect(started.output()).toContain(`${api}/openapi.json`);
    // The dashboard: npm start built it, the api serves it under / (e2e/test/web drives it).
    expect(started.output()).toContain(`dashboard    ${api}/`);
    const dashboard = await fetch(`${api}/`, { headers: { accept: 'text/html' } });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="root"></div>');
    postgresPort = Number(
      readFileSync(join(clone.dir, '.data/postgres/postmaster.pid'), 'utf8').split('\n')[3],
    );
    expect(postgresPort).toBeGreaterThan(0);

    const deadline = Date.now() + 240_000;
    let products: any[] = [];
    let pricesPerProduct: number[] = [];
    let changes: any[] = [];
    while (Date.now() < deadline) {
      products = (await get('/v1/products?page_size=100')).items;
      changes = (await get('/v1/alerts?page_size=100')).items.filter(
        (alert) => ['price_drop', 'price_rise'].includes(alert.kind) && alert.eventId,
      );
      if (products.length >= 30 && changes.length > 0) {
        pricesPerProduct = await Promise.all(
          products.map(
            async (product) => (await get(`/v1/products/${product.id}/prices`)).items.length,
          ),
        );
        if (pricesPerProduct.every((count) => count >= 2)) break;
      }
      await new Promise((wake) => setTimeout(wake, 2_000));
    }
    expect(products.length).toBeGreaterThanOrEqual(30);
    expect(Math.min(...pricesPerProduct)).toBeGreaterThanOrEqual(2);
    expect(changes.length).toBeGreaterThan(0);

    // An email recipient's confirmation mail lands in the local SMTP server as an .eml file,
    // its subject in the log, and its link confirms the address without signing in.
    const added = await fetch(`${api}/v1/email-recipients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
      body: JSON.stringify({ address: 'reader@example.test' }),
    });
    expect(added.status).toBe(201);
    const mailDir = join(clone.dir, '.data/mail');
    const deadlineForMail = Date.now() + 30_000;
    while (!(existsSync(mailDir) && readdirSync(mailDir).some((name) => name.endsWith('.eml'))))
      if (Date.now() > deadlineForMail) throw new Error('No .eml arrived under .data/mail');
      else await new Promise((wake) => setTimeout(wake, 250));
    const [file] = readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
    const eml = readFileSync(join(mailDir, file!), 'utf8');
    expect(eml).toContain('To: reader@example.test');
    expect(started.output()).toContain(
      'to reader@example.test: Confirm this address for shelfwatch alerts',
    );
    const link = /http:\/\/127\.0\.0\.1:\d+\/email\/verify\?token=[A-Za-z0-9_-]+/.exec(
      // Undo quoted-printable: soft line breaks, and "=" written as =3D.
      eml.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
    );
    expect(link).not.toBeNull();
    expect(new URL(link![0]).port).toBe(String(base));
    const confirmed = await fetch(link![0], { headers: { accept: 'application/json' } });
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { status: string }).status).toBe('verified');

    // The demo shop's price drops and restocks reach the confirmed address as mail: analytics
    // publishes alert.raised through its outbox, the notifier mails it once per recipient.
    const mails = () =>
      readdirSync(mailDir)
        .filter((name) => name.endsWith('.eml'))
        // Unfold long headers and undo quoted-printable before reading them.
        .map((name) =>
          readFileSync(join(mailDir, name), 'utf8')
            .replace(/\r?\n[ \t]+/g, ' ')
            .replace(/=\r?\n/g, '')
            .replace(/=3D/g, '='),
        );
    const bySubject = (prefix: string) =>
      mails().filter((text) => new RegExp(`^Subject: ${prefix}`, 'm').test(text));
    const deadlineForAlerts = Date.now() + 180_000;
    while (bySubject('Price drop: ').length === 0 || bySubject('Back in stock: ').length === 0)
      if (Date.now() > deadlineForAlerts)
        throw new Error(
          `No price drop and restock mail under .data/mail: ${mails()
            .map((text) => /^Subject: .*$/m.exec(text)?.[0])
            .join('; ')}`,
        );
      else await new Promise((wake) => setTimeout(wake, 1_000));
    const messageIds = mails().map((text) => /^Message-ID: (\S+)/m.exec(text)?.[1]);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    const alertMail = bySubject('Price drop: ')[0]!;
    expect(alertMail).toContain('Content-Type: text/html');
    const unsubscribe = /http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec(
      alertMail,
    );
    expect(unsubscribe).not.toBeNull();
    const unsubscribed = await fetch(unsubscribe![0], {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    expect(((await unsubscribed.json()) as { status: string }).status).toBe('unsubscribed');

    await interrupt(started);
  });

  it('starts again on the same data', async () => {
    const before = await (async () => {
      const started = await start();
      readyTimes.push(started.readySeconds);
      return started;
    })();
    expect(before.output()).not.toContain('first start');
    expect(before.output()).toContain(`demo api key ${demoKey}`);
    const products = (await get('/v1/products?page_size=100')).items;
    expect(products.length).toBeGreaterThanOrEqual(30);
    const prices = await get(`/v1/products/${products[0].id}/prices`);
    expect(prices.items.length).toBeGreaterThanOrEqual(2);
    await interrupt(before);
  });
});
