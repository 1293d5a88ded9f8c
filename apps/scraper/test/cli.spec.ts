import { extractOffers } from '@shelfwatch/extraction';
import { runFetchCommand, type FetchCommandIo } from '../src/cli/fetch-command';
import { productPage } from './support/scrape';
import { startTestServer, type TestServer } from './support/test-server';

function captureIo(
  env: NodeJS.ProcessEnv = {},
): FetchCommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    env: { SCRAPER_HOST_MIN_DELAY_MS: '0', SCRAPER_MAX_ATTEMPTS: '1', ...env },
    stdout: { write: (chunk: string) => ((out += chunk), true) },
    stderr: { write: (chunk: string) => ((err += chunk), true) },
    out: () => out,
    err: () => err,
  };
}

describe('shelfwatch fetch', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    server.route('/p/toaster', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(productPage('Toaster', '24.00')),
    );
    server.route('/gone', (_req, res) => res.writeHead(404).end());
  });
  afterAll(() => server.close());

  it('prints the observation as JSON and exits 0', async () => {
    const io = captureIo();
    const code = await runFetchCommand(
      [`${server.url}/p/toaster`, '--allow-host', '127.0.0.1'],
      { extractOffers },
      io,
    );

    expect(code).toBe(0);
    const event = JSON.parse(io.out());
    expect(event).toMatchObject({
      type: 'observation.recorded',
      data: { offers: [{ name: 'Toaster' }] },
    });
  });

  it('refuses loopback unless it is allow-listed, exiting 1 and naming the class', async () => {
    const io = captureIo();
    const code = await runFetchCommand([`${server.url}/p/toaster`], { extractOffers }, io);

    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({
      type: 'scrape.failed',
      data: { errorClass: 'blocked_address' },
    });
    expect(io.err()).toMatch(/^scrape failed: blocked_address: /);
  });

  it('takes the allow-list from SCRAPER_ALLOW_HOSTS too, and names http_4xx', async () => {
    const io = captureIo({ SCRAPER_ALLOW_HOSTS: '127.0.0.1' });
    const code = await runFetchCommand(
      [`${server.url}/gone`, '--kind', 'product'],
      { extractOffers },
      io,
    );

    expect(code).toBe(1);
    expect(io.err()).toMatch(/scrape failed: http_4xx: HTTP 404/);
  });

  it('exits 2 with usage on a bad kind or a missing URL', async () => {
    const badKind = captureIo();
    const noUrl = captureIo();

    expect(
      await runFetchCommand(
        ['https://shop.example.com/', '--kind', 'page'],
        { extractOffers },
        badKind,
      ),
    ).toBe(2);
    expect(await runFetchCommand([], { extractOffers }, noUrl)).toBe(2);
    expect(badKind.err()).toMatch(/--kind must be product, listing or sitemap/);
    expect(noUrl.err()).toMatch(/Usage: shelfwatch fetch/);
  });
});
