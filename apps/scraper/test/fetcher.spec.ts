import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { AddressGuard, createGuardedAgent } from '@shelfwatch/address-guard';
import iconv from 'iconv-lite';
import type { Agent } from 'undici';
import { HttpFetcher } from '../src/fetch/http-fetcher';
import { ScrapeError } from '../src/fetch/scrape-error';
import { selfSignedCertificate, startTestServer, type TestServer } from './support/test-server';

const LIMIT = 64 * 1024;

function makeFetcher(options: { ca?: string; allowHosts?: string[] } = {}): {
  fetcher: HttpFetcher;
  agent: Agent;
} {
  const guard = new AddressGuard({ allowHosts: options.allowHosts ?? ['127.0.0.1', 'localhost'] });
  const agent = createGuardedAgent(guard, {
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1500,
    bodyTimeoutMs: 1000,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const fetcher = new HttpFetcher({
    agent,
    userAgent: 'Mozilla/5.0 (compatible; shelfwatch/0.1; +https://shelfwatch.example/bot)',
    totalTimeoutMs: 2000,
    maxBodyBytes: LIMIT,
    maxRedirects: 5,
  });
  return { fetcher, agent };
}

async function failure(promise: Promise<unknown>): Promise<ScrapeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScrapeError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('HTTP fetcher against a misbehaving server', () => {
  let server: TestServer;
  let fetcher: HttpFetcher;
  let agent: Agent;

  beforeAll(async () => {
    server = await startTestServer();
    ({ fetcher, agent } = makeFetcher());
  });
  afterAll(async () => {
    await agent.close();
    await server.close();
  });

  it('names shelfwatch and its contact URL in the User-Agent and asks for compressed bodies', async () => {
    server.route('/hello', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    );
    const response = await fetcher.fetch(`${server.url}/hello`);

    const seen = server.requests.find((request) => request.path === '/hello');
    expect(response.status).toBe(200);
    expect(response.text().text).toBe('<p>hi</p>');
    expect(seen?.headers['user-agent']).toMatch(
      /shelfwatch\/[\d.]+; \+https:\/\/shelfwatch\.example\/bot/,
    );
    expect(seen?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    server.route(`/${encoding}`, (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding })
        .end(compress(Buffer.from('<h1>compressed</h1>'))),
    );
    const response = await fetcher.fetch(`${server.url}/${encoding}`);
    expect(response.text().text).toBe('<h1>compressed</h1>');
  });

  it('gives up on a slow drip when the total timeout passes', async () => {
    let sent = 0;
    server.route('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => {
        sent += 1;
        res.write('.');
      }, 200);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await failure(fetcher.fetch(`${server.url}/drip`));

    expect(error.errorClass).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(sent).toBeGreaterThan(3);
  });

  it('decodes raw deflate and a body encoded twice, in the order the header lists', async () => {
    server.route('/raw-deflate', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' })
        .end(deflateRawSync(Buffer.from('<h1>raw</h1>'))),
    );
    server.route('/twice', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip, br' })
        .end(brotliCompressSync(gzipSync(Buffer.from('<h1>twice</h1>')))),
    );
    expect((await fetcher.fetch(`${server.url}/raw-deflate`)).text().text).toBe('<h1>raw</h1>');
    expect((await fetcher.fetch(`${server.url}/twice`)).text().text).toBe('<h1>twice</h1>');
  });

  it('sizes its gunzip output by the gzip trailer without trusting it', async () => {
    const page = Buffer.from('<p>caf\u00e9 au lait</p>'.repeat(2000));
    const misstated = Buffer.from(gzipSync(page));
    misstated.writeUInt32LE(10, misstated.length - 4);
    server.route('/gzip-misstated', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(misstated),
    );
    // The last member's trailer states only its own size: the output outgrows the first chunk.
    server.route('/gzip-two-members', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(Buffer.concat([gzipSync(page), gzipSync(Buffer.from('<p>end</p>'))])),
    );
    expect((await failure(fetcher.fetch(`${server.url}/gzip-misstated`))).errorClass).toBe('parse');
    expect((await fetcher.fetch(`${server.url}/gzip-two-members`)).text().text).toBe(
      `${page.toString()}<p>end</p>`,
    );
  });

  it('reports a corrupt compressed body as a parse failure', async () => {
    server.route('/corrupt', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.from('<h1>cut</h1>'.repeat(100))).subarray(0, 30)),
    );
    const error = await failure(fetcher.fetch(`${server.url}/corrupt`));
    expect(error.errorClass).toBe('parse');
  });

  it('keeps the first bytes of a compressed body it truncates rather than refuses', async () => {
    const text = 'User-agent: *\nDisallow: /private\n'.repeat(10_000);
    server.route('/robots-gzip', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.from(text))),
    );
    const response = await fetcher.fetch(`${server.url}/robots-gzip`, {
      maxBodyBytes: 1000,
      overLimit: 'truncate',
    });
    expect(response.truncated).toBe(true);
    expect(response.body.toString()).toBe(text.slice(0, 1000));
  });

  it('drops a UTF-8 byte order mark from the text', async () => {
    server.route('/bom', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>Café</p>')])),
    );
    expect((await fetcher.fetch(`${server.url}/bom`)).text()).toEqual({
      text: '<p>Café</p>',
      charset: 'utf-8',
    });
  });

  it('stops reading an endless body at the size limit', async () => {
    let written = 0;
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const error = await failure(fetcher.fetch(`${server.url}/endless`));

    expect(error.errorClass).toBe('too_large');
    expect(error.retryable).toBe(false);
    expect(written).toBeLessThan(100 * LIMIT);
  });

  it('stops a gzip bomb shortly after the decompressed size passes the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    server.route('/bomb', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb),
    );
    const heapBefore = process.memoryUsage().rss;
    const error = await failure(fetcher.fetch(`${server.url}/bomb`));

    expect(bomb.length).toBeLessThan(LIMIT);
    expect(error.errorClass).toBe('too_large');
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a redirect loop after five hops', async () => {
    server.route('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end());
    const error = await failure(fetcher.fetch(`${server.url}/loop`));

    expect(error.errorClass).toBe('unsupported_content');
    expect(error.message).toMatch(/Too many redirects/);
    expect(server.requests.filter((request) => request.path === '/loop')).toHaveLength(6);
  });

  it('follows up to five redirects and reports the final URL', async () => {
    for (let hop = 1; hop <= 5; hop += 1)
      server.route(`/hop${hop}`, (_req, res) =>
        res.writeHead(301, { location: hop === 5 ? '/landed' : `/hop${hop + 1}` }).end(),
      );
    server.route('/landed', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('ok'),
    );
    const response = await fetcher.fetch(`${server.url}/hop1`);

    expect(response.finalUrl).toBe(`${server.url}/landed`);
    expect(response.url).toBe(`${server.url}/hop1`);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://[::1]:1/',
    'http://2852039166/',
  ])('refuses a redirect to the private address %s before connecting', async (location) => {
    server.route('/to-private', (_req, res) => res.writeHead(302, { location }).end());
    const error = await failure(fetcher.fetch(`${server.url}/to-private`));

    expect(error.errorClass).toBe('blocked_address');
    expect(error.retryable).toBe(false);
  });

  it('decodes a page whose header claims UTF-8 but whose bytes and meta tag are windows-1252', async () => {
    const html =
      '<html><head><meta charset="windows-1252"></head><body>Café crème – 12 €</body></html>';
    server.route('/wrong-charset', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(iconv.encode(html, 'windows-1252')),
    );
    const { text, charset } = (await fetcher.fetch(`${server.url}/wrong-charset`)).text();

    expect(charset).toBe('windows-1252');
    expect(text).toContain('Café crème – 12 €');
  });

  it('decodes Shift_JIS named only in the header', async () => {
    server.route('/sjis', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=Shift_JIS' })
        .end(iconv.encode('<p>価格 1,200円</p>', 'shift_jis')),
    );
    expect((await fetcher.fetch(`${server.url}/sjis`)).text().text).toBe('<p>価格 1,200円</p>');
  });

  it('reports a truncated response as a retryable connection failure', async () => {
    server.route('/truncated', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '10000' });
      res.write('<html><body>only part of it');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const error = await failure(fetcher.fetch(`${server.url}/truncated`));

    expect(error.errorClass).toBe('connect');
    expect(error.retryable).toBe(true);
  });

  it('hands back a 304 without a body', async () => {
    server.route('/cached', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { etag: '"v1"', 'content-type': 'text/html' }).end('fresh');
    });
    const response = await fetcher.fetch(`${server.url}/cached`, {
      headers: { 'if-none-match': '"v1"' },
    });

    expect(response.status).toBe(304);
    expect(response.body).toHaveLength(0);
    expect(response.headers.etag).toBe('"v1"');
  });

  it('classifies 4xx and 5xx answers, keeping Retry-After', async () => {
    server.route('/busy', (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
    server.route('/gone', (_req, res) => res.writeHead(410).end());
    server.route('/broken', (_req, res) => res.writeHead(502).end());

    const busy = await failure(fetcher.fetch(`${server.url}/busy`));
    const gone = await failure(fetcher.fetch(`${server.url}/gone`));
    const broken = await failure(fetcher.fetch(`${server.url}/broken`));

    expect([busy.errorClass, busy.retryable, busy.httpStatus, busy.retryAfterSeconds]).toEqual([
      'http_4xx',
      true,
      429,
      120,
    ]);
    expect([gone.errorClass, gone.retryable, gone.httpStatus]).toEqual(['http_4xx', false, 410]);
    expect([broken.errorClass, broken.retryable, broken.httpStatus]).toEqual([
      'http_5xx',
      true,
      502,
    ]);
  });

  it('reports a refused connection as retryable connect failure', async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(fetcher.fetch(`${url}/`));

    expect(error.errorClass).toBe('connect');
    expect(error.retryable).toBe(true);
  });
});

describe('HTTP fetcher over TLS', () => {
  const certificate = selfSignedCertificate();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ tls: certificate });
    server.route('/secure', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('secure'),
    );
  });
  afterAll(() => server.close());

  it('rejects a self-signed certificate as a non-retryable tls failure', async () => {
    const { fetcher, agent } = makeFetcher();
    try {
      const error = await failure(fetcher.fetch(`${server.url}/secure`));
      expect(error.errorClass).toBe('tls');
      expect(error.retryable).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('verifies the certificate against the host name while connecting to the checked address', async () => {
    const { fetcher, agent } = makeFetcher({
      ca: certificate.cert,
      allowHosts: ['localhost', '127.0.0.1'],
    });
    try {
      const response = await fetcher.fetch(`https://localhost:${server.port}/secure`);
      expect(response.text().text).toBe('secure');
    } finally {
      await agent.close();
    }
  });
});
