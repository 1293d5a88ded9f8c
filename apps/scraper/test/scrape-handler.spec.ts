import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import type { Resolver } from '@shelfwatch/address-guard';
import { parseEvent } from '@shelfwatch/contracts';
import { extractOffers } from '@shelfwatch/extraction';
import type { ExtractOffers } from '../src/scrape/extractor';
import { createScraper, type Scraper, type ScraperSettings } from '../src/scraper';
import { testSettings } from './support/settings';
import { onlyEvent, productPage, scrapeRequest } from './support/scrape';
import { selfSignedCertificate, startTestServer, type TestServer } from './support/test-server';

const html = { 'content-type': 'text/html; charset=utf-8' };

describe('handleScrapeRequested', () => {
  let server: TestServer;
  let scraper: Scraper;
  let extractions: number;

  const countingExtractor: ExtractOffers = (page, url, options) => {
    extractions += 1;
    return extractOffers(page, url, options);
  };

  function useScraper(overrides: Partial<ScraperSettings> = {}, resolver?: Resolver): Scraper {
    scraper = createScraper({
      config: testSettings(overrides),
      extractOffers: countingExtractor,
      resolver,
    });
    return scraper;
  }
  const pathsSeen = () => server.requests.map((request) => request.path);

  beforeEach(async () => {
    extractions = 0;
    server = await startTestServer();
    useScraper();
  });
  afterEach(async () => {
    await scraper.close();
    await server.close();
  });

  describe('product pages', () => {
    it('records the offers with the validators the server sent', async () => {
      server.route('/p/espresso', (_req, res) =>
        res
          .writeHead(200, {
            ...html,
            etag: '"abc"',
            'last-modified': 'Wed, 21 Oct 2025 07:28:00 GMT',
          })
          .end(productPage('Espresso Machine', '199.00')),
      );
      const request = scrapeRequest(`${server.url}/p/espresso`);
      const event = onlyEvent(await scraper.handleScrapeRequested(request), 'observation.recorded');

      expect(event.data).toMatchObject({
        runId: request.data.runId,
        targetId: request.data.targetId,
        finalUrl: `${server.url}/p/espresso`,
        httpStatus: 200,
        notModified: false,
        etag: '"abc"',
        lastModified: 'Wed, 21 Oct 2025 07:28:00 GMT',
      });
      expect(event.data.offers[0]).toMatchObject({
        name: 'Espresso Machine',
        price: { amount: '199.00', currency: 'EUR' },
      });
      expect(event.source).toBe('shelfwatch/scraper');
      expect(event.correlationId).toBe(request.id);
    });

    it('prepares the extractor with the agent and then records pages as before', async () => {
      await scraper.close();
      let prepared = 0;
      scraper = createScraper({
        config: testSettings(),
        extractOffers: countingExtractor,
        prepareExtraction: () => void (prepared += 1),
      });
      scraper.prepare();
      expect(prepared).toBe(1);
      server.route('/p/kettle', (_req, res) =>
        res.writeHead(200, html).end(productPage('Kettle', '39.00')),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/kettle`)),
        'observation.recorded',
      );
      expect(event.data.offers[0]).toMatchObject({ name: 'Kettle' });
      expect(extractions).toBe(1);
    });

    it('reports when it started, before the page was requested and fetched', async () => {
      let requestedAt = 0;
      server.route('/p/timed', (_req, res) => {
        requestedAt = Date.now();
        res.writeHead(200, html).end(productPage('Timed', '1.00'));
      });
      const before = Date.now();
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/timed`)),
        'observation.recorded',
      );

      const startedAt = Date.parse(event.data.startedAt ?? '');
      expect(startedAt).toBeGreaterThanOrEqual(before);
      expect(startedAt).toBeLessThanOrEqual(requestedAt);
      expect(Date.parse(event.data.fetchedAt)).toBeGreaterThanOrEqual(requestedAt);
    });

    it('sends the last validators and records a 304 as not modified without extracting', async () => {
      server.route('/p/same', (req, res) => {
        if (
          req.headers['if-none-match'] === '"v1"' &&
          req.headers['if-modified-since'] === 'Tue, 01 Apr 2025 00:00:00 GMT'
        )
          res.writeHead(304, { etag: '"v2"' }).end();
        else res.writeHead(200, html).end(productPage('Same', '1.00'));
      });
      const request = scrapeRequest(`${server.url}/p/same`, 'product', {
        etag: '"v1"',
        lastModified: 'Tue, 01 Apr 2025 00:00:00 GMT',
      });
      const event = onlyEvent(await scraper.handleScrapeRequested(request), 'observation.recorded');

      expect(event.data).toMatchObject({
        httpStatus: 304,
        notModified: true,
        offers: [],
        etag: '"v2"',
        lastModified: 'Tue, 01 Apr 2025 00:00:00 GMT',
      });
      expect(extractions).toBe(0);
    });

    it('decodes a page whose header names the wrong charset', async () => {
      const page = productPage('Café crème', '4.50').replace(
        '<meta charset="utf-8">',
        '<meta charset="windows-1252">',
      );
      server.route('/p/cafe', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(iconv.encode(page, 'windows-1252')),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/cafe`)),
        'observation.recorded',
      );

      expect(event.data.offers[0]?.name).toBe('Café crème');
    });

    it('names the variant the URL selects as the primary offer and keeps every variant', async () => {
      const variant = (sku: string, id: number, availability: string) => ({
        '@type': 'Offer',
        sku,
        url: `${server.url}/p/shirt?variant=${id}`,
        price: '25.00',
        priceCurrency: 'EUR',
        availability: `https://schema.org/${availability}`,
      });
      const product = {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: 'Linen shirt',
        offers: [variant('SH-S', 11, 'OutOfStock'), variant('SH-M', 12, 'InStock')],
      };
      server.route('/p/shirt', (_req, res) =>
        res
          .writeHead(200, html)
          .end(
            `<html><head><script type="application/ld+json">${JSON.stringify(product)}</script></head><body><h1>Linen shirt</h1></body></html>`,
          ),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/shirt?variant=12`)),
        'observation.recorded',
      );

      expect(event.data.offers.map((offer) => offer.sku)).toEqual(['SH-S', 'SH-M']);
      expect(event.data.primaryOffer).toBe(1);
      expect(event.data.offers[1]).toMatchObject({ availability: 'InStock' });
    });

    function hostilePage(hostile: string): string {
      const product = {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: hostile,
        sku: hostile,
        mpn: hostile,
        brand: { '@type': 'Brand', name: hostile },
        color: hostile,
        offers: {
          '@type': 'Offer',
          price: '19.99',
          priceCurrency: 'EUR',
          availability: 'https://schema.org/InStock',
        },
      };
      return `<!doctype html><html><head><title>${hostile}</title><script type="application/ld+json">${JSON.stringify(product)}</script></head><body><h1>${hostile}</h1></body></html>`;
    }
    // What PostgreSQL's json columns refuse: NUL and unpaired surrogates (JSON escapes only those).
    const UNSTORABLE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

    it('records an offer whose fields hold NUL, lone surrogates and control characters, cleaned', async () => {
      const hostile = `\u0000bad\ud800${'x'.repeat(2_000)}\udfff\u0007`;
      server.route('/p/hostile', (_req, res) => res.writeHead(200, html).end(hostilePage(hostile)));
      const events = await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/hostile`));

      const event = onlyEvent(events, 'observation.recorded');
      expect(JSON.stringify(event)).not.toMatch(UNSTORABLE);
      const offer = event.data.offers[0]!;
      expect(offer.price).toEqual({ amount: '19.99', currency: 'EUR' });
      expect(offer.name).toMatch(/^bad\ufffdx+$/);
      expect(offer.name!.length).toBeLessThanOrEqual(1000);
      expect(offer.sku).toMatch(/^bad\ufffdx+$/);
      expect(offer.sku!.length).toBeLessThanOrEqual(256);
    });

    it('answers a page with 1 MB of NUL, lone surrogates and text in every field with one storable event', async () => {
      const hostile = `\u0000bad\ud800${'x'.repeat(1_000_000)}\udfff\u0007`;
      server.route('/p/huge', (_req, res) => res.writeHead(200, html).end(hostilePage(hostile)));
      useScraper({ SCRAPER_MAX_BODY_BYTES: 32 * 1024 * 1024 });
      const events = await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/huge`));

      // Extraction skips a JSON-LD block this large, so the page may have no offer left: then the
      // run ends as scrape.failed; either way the one event is valid and storable.
      expect(events).toHaveLength(1);
      const event = events[0]!;
      expect(['observation.recorded', 'scrape.failed']).toContain(event.type);
      expect(parseEvent(event.type, JSON.parse(JSON.stringify(event))).ok).toBe(true);
      expect(JSON.stringify(event)).not.toMatch(UNSTORABLE);
    });

    describe('with offers that break the contract', () => {
      const offer = (sku: string, gtin?: string) => ({
        sku,
        price: { amount: '9.99', currency: 'EUR' },
        availability: 'InStock' as const,
        ...(gtin === undefined ? {} : { gtin }),
      });
      function scraperExtracting(offers: ReturnType<typeof offer>[], primaryOffer?: number) {
        scraper = createScraper({
          config: testSettings(),
          extractOffers: () => ({ offers, confidence: 0.9, primaryOffer }),
        });
        server.route('/p/mixed', (_req, res) => res.writeHead(200, html).end('<html></html>'));
        return scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/mixed`));
      }
      beforeEach(() => scraper.close());

      it('drops each bad offer, keeps the others and points the primary offer at the same one', async () => {
        const events = await scraperExtracting(
          [offer('A', 'not-a-gtin'), offer('B'), offer('C', '12345678')],
          2,
        );

        const event = onlyEvent(events, 'observation.recorded');
        expect(event.data.offers.map((kept) => kept.sku)).toEqual(['B', 'C']);
        expect(event.data.primaryOffer).toBe(1);
        expect(event.data.confidence).toBe(0.9);
      });

      it('leaves the primary offer out when the offer it named is dropped', async () => {
        const events = await scraperExtracting([offer('A'), offer('B', 'x')], 1);

        const event = onlyEvent(events, 'observation.recorded');
        expect(event.data.offers.map((kept) => kept.sku)).toEqual(['A']);
        expect(event.data.primaryOffer).toBeUndefined();
      });

      it('fails with parse when every offer breaks it', async () => {
        const events = await scraperExtracting([offer('A', 'x'), offer('B', 'y')]);

        expect(onlyEvent(events, 'scrape.failed').data).toMatchObject({ errorClass: 'parse' });
      });
    });

    it('fails with parse when the page has no offer', async () => {
      server.route('/p/empty', (_req, res) =>
        res.writeHead(200, html).end('<html><body><p>Nothing for sale</p></body></html>'),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/empty`)),
        'scrape.failed',
      );

      expect(event.data).toMatchObject({ errorClass: 'parse', retryable: false });
    });

    it('fails with unsupported_content for a body that is not HTML', async () => {
      server.route('/p/image', (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100)),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/image`)),
        'scrape.failed',
      );

      expect(event.data).toMatchObject({ errorClass: 'unsupported_content', retryable: false });
      expect(extractions).toBe(0);
    });
  });

  describe('a misbehaving server ends in the right event, in bounded time', () => {
    async function failureFor(path: string) {
      const started = Date.now();
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}${path}`)),
        'scrape.failed',
      );
      return { ...event.data, elapsedMs: Date.now() - started };
    }

    it('slow drip: timeout', async () => {
      server.route('/drip', (_req, res) => {
        res.writeHead(200, html);
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      });
      const failure = await failureFor('/drip');

      expect(failure).toMatchObject({ errorClass: 'timeout', retryable: true });
      expect(failure.elapsedMs).toBeLessThan(4000);
    });

    it('endless body: too_large', async () => {
      server.route('/endless', (_req, res) => {
        res.writeHead(200, html);
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      });
      expect(await failureFor('/endless')).toMatchObject({
        errorClass: 'too_large',
        retryable: false,
      });
    });

    it('gzip bomb: too_large', async () => {
      const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, ' '));
      server.route('/bomb', (_req, res) =>
        res.writeHead(200, { ...html, 'content-encoding': 'gzip' }).end(bomb),
      );
      expect(await failureFor('/bomb')).toMatchObject({
        errorClass: 'too_large',
        retryable: false,
      });
    });

    it('redirect loop: unsupported_content after five redirects', async () => {
      server.route('/loop-a', (_req, res) => res.writeHead(301, { location: '/loop-b' }).end());
      server.route('/loop-b', (_req, res) => res.writeHead(301, { location: '/loop-a' }).end());
      const failure = await failureFor('/loop-a');

      expect(failure).toMatchObject({
        errorClass: 'unsupported_content',
        retryable: false,
        httpStatus: 301,
      });
      expect(pathsSeen().filter((path) => path.startsWith('/loop'))).toHaveLength(6);
    });

    it('redirect to a private address: blocked_address', async () => {
      server.route('/metadata', (_req, res) =>
        res.writeHead(302, { location: 'http://169.254.169.254/computeMetadata/v1/' }).end(),
      );
      const failure = await failureFor('/metadata');
      expect(failure).toMatchObject({
        errorClass: 'blocked_address',
        retryable: false,
      });
      expect(failure.message).toMatch(/169\.254\.169\.254: metadata address/);
      expect(Date.parse(failure.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(failure.failedAt));
    });

    it('truncated response: retryable connect failure', async () => {
      server.route('/cut', (_req, res) => {
        res.writeHead(200, { ...html, 'content-length': '5000' });
        res.write('<html><body>half');
        setTimeout(() => res.socket?.destroy(), 20);
      });
      expect(await failureFor('/cut')).toMatchObject({ errorClass: 'connect', retryable: true });
    });

    it('429 with a long Retry-After: retryable failure carrying retryAfterSeconds, without waiting', async () => {
      server.route('/busy', (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
      useScraper({ SCRAPER_MAX_ATTEMPTS: 3 });
      const failure = await failureFor('/busy');

      expect(failure).toMatchObject({
        errorClass: 'http_4xx',
        retryable: true,
        httpStatus: 429,
        retryAfterSeconds: 120,
      });
      expect(failure.elapsedMs).toBeLessThan(1000);
      expect(pathsSeen().filter((path) => path === '/busy')).toHaveLength(1);
    });

    it('429 with a short Retry-After: waits as told, then records the page', async () => {
      const seenAt: number[] = [];
      server.route('/soon', (_req, res) => {
        seenAt.push(Date.now());
        if (seenAt.length === 1) res.writeHead(429, { 'retry-after': '1' }).end();
        else res.writeHead(200, html).end(productPage('Soon', '3.00'));
      });
      useScraper({ SCRAPER_MAX_ATTEMPTS: 2 });
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/soon`)),
        'observation.recorded',
      );

      expect(event.data.offers).toHaveLength(1);
      expect((seenAt[1] as number) - (seenAt[0] as number)).toBeGreaterThanOrEqual(950);
    });

    it('5xx answers are retried with backoff until the page comes back', async () => {
      let calls = 0;
      server.route('/flaky', (_req, res) => {
        calls += 1;
        if (calls < 3) res.writeHead(503).end();
        else res.writeHead(200, html).end(productPage('Flaky', '5.00'));
      });
      useScraper({ SCRAPER_MAX_ATTEMPTS: 3, SCRAPER_BACKOFF_BASE_MS: 20 });
      onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/flaky`)),
        'observation.recorded',
      );

      expect(calls).toBe(3);
    });

    it('self-signed TLS: tls failure, not retryable', async () => {
      const tlsServer = await startTestServer({ tls: selfSignedCertificate() });
      try {
        tlsServer.route('/p', (_req, res) =>
          res.writeHead(200, html).end(productPage('Secure', '1.00')),
        );
        const event = onlyEvent(
          await scraper.handleScrapeRequested(scrapeRequest(`${tlsServer.url}/p`)),
          'scrape.failed',
        );
        expect(event.data).toMatchObject({ errorClass: 'tls', retryable: false });
      } finally {
        await tlsServer.close();
      }
    });
  });

  describe('robots.txt', () => {
    it('5xx robots.txt: disallowed for now, retryable, and the page is not fetched', async () => {
      server.route('/robots.txt', (_req, res) => res.writeHead(503).end());
      server.route('/p/1', (_req, res) => res.writeHead(200, html).end(productPage('P', '1.00')));
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/1`)),
        'scrape.failed',
      );

      expect(event.data).toMatchObject({
        errorClass: 'robots_disallowed',
        retryable: true,
        httpStatus: 503,
        retryAfterSeconds: 60,
      });
      expect(pathsSeen()).toEqual(['/robots.txt']);
    });

    it('a Disallow for our token: robots_disallowed, and the page is not fetched', async () => {
      server.route('/robots.txt', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('User-agent: *\nAllow: /\n\nUser-agent: shelfwatch\nDisallow: /private/\n'),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/private/p`)),
        'scrape.failed',
      );

      expect(event.data).toMatchObject({ errorClass: 'robots_disallowed', retryable: false });
      expect(pathsSeen()).toEqual(['/robots.txt']);
    });

    it('checks robots.txt again for every redirect hop', async () => {
      server.route('/robots.txt', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('User-agent: *\nDisallow: /hidden\n'),
      );
      server.route('/moved', (_req, res) => res.writeHead(301, { location: '/hidden/p' }).end());
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/moved`)),
        'scrape.failed',
      );

      expect(event.data.errorClass).toBe('robots_disallowed');
      expect(pathsSeen()).not.toContain('/hidden/p');
    });

    it('a missing robots.txt allows everything, and robots.txt is fetched once per origin', async () => {
      server.route('/p/a', (_req, res) => res.writeHead(200, html).end(productPage('A', '1.00')));
      server.route('/p/b', (_req, res) => res.writeHead(200, html).end(productPage('B', '2.00')));
      await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/a`));
      await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/b`));

      expect(pathsSeen()).toEqual(['/robots.txt', '/p/a', '/p/b']);
    });

    it('honours Crawl-delay between two requests to the same host', async () => {
      const seenAt = new Map<string, number>();
      server.route('/robots.txt', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('User-agent: shelfwatch\nCrawl-delay: 1\n'),
      );
      for (const path of ['/p/x', '/p/y'])
        server.route(path, (_req, res) => {
          seenAt.set(path, Date.now());
          res.writeHead(200, html).end(productPage(path, '1.00'));
        });
      await Promise.all([
        scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/x`)),
        scraper.handleScrapeRequested(scrapeRequest(`${server.url}/p/y`)),
      ]);
      const gap = Math.abs((seenAt.get('/p/y') as number) - (seenAt.get('/p/x') as number));

      // The delay holds between request starts; the server sees arrivals, and the first request's
      // new connection can arrive ~100 ms late on a loaded machine (920 ms seen in CI). Without
      // Crawl-delay the two requests would arrive together (no minimum delay, concurrency 2).
      expect(gap).toBeGreaterThanOrEqual(800);
    });
  });

  it('catches DNS rebinding: a name that first answered an allowed address and then a private one', async () => {
    await server.close();
    server = await startTestServer({ closeConnections: true });
    let lookups = 0;
    const rebinding: Resolver = async () => {
      lookups += 1;
      return [{ address: lookups === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    await scraper.close();
    useScraper({ SCRAPER_ALLOW_HOSTS: ['127.0.0.1'] }, rebinding);
    server.route('/p', (_req, res) => res.writeHead(200, html).end(productPage('Rebound', '1.00')));
    const event = onlyEvent(
      await scraper.handleScrapeRequested(scrapeRequest(`http://rebind.test:${server.port}/p`)),
      'scrape.failed',
    );

    expect(event.data).toMatchObject({ errorClass: 'blocked_address', retryable: false });
    expect(event.data.message).toContain('169.254.169.254');
    expect(pathsSeen()).toEqual(['/robots.txt']);
    expect(lookups).toBe(2);
  });

  describe('discovery', () => {
    const urlset = (entries: Array<[string, string?]>) =>
      `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries
        .map(
          ([loc, lastmod]) =>
            `<url><loc>${loc}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`,
        )
        .join('')}</urlset>`;

    it('walks a sitemap index with a gzipped child into canonical, de-duplicated URLs, newest first', async () => {
      const base = server.url;
      server.route('/sitemap.xml', (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/xml', etag: '"idx1"' }).end(
          `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
             <sitemap><loc>${base}/sm-old.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
             <sitemap><loc>${base}/sm-new.xml.gz</loc><lastmod>2025-06-01</lastmod></sitemap>
             <sitemap><loc>http://elsewhere.example/sm.xml</loc></sitemap>
           </sitemapindex>`,
        ),
      );
      server.route('/sm-new.xml.gz', (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/gzip' }).end(
          gzipSync(
            urlset([
              [`${base}/p/3`, '2025-06-01'],
              [`${base}/p/2?utm_source=sitemap#reviews`, '2025-05-01'],
              ['https://other-shop.example/p/9', '2025-06-02'],
            ]),
          ),
        ),
      );
      server.route('/sm-old.xml', (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/xml' }).end(
          urlset([
            [`${base}/p/1`, '2024-01-01'],
            [`${base}/p/2`, '2024-01-01'],
          ]),
        ),
      );
      const events = await scraper.handleScrapeRequested(
        scrapeRequest(`${base}/sitemap.xml`, 'sitemap'),
      );

      expect(events.map((event) => event.type)).toEqual([
        'observation.recorded',
        'products.discovered',
      ]);
      const [observation, discovered] = events;
      expect(observation?.data).toMatchObject({ notModified: false, offers: [], etag: '"idx1"' });
      expect(discovered?.data).toMatchObject({
        urls: [`${base}/p/3`, `${base}/p/2`, `${base}/p/1`],
      });
      expect(pathsSeen()).not.toContain('/elsewhere');
    });

    it('reads the sitemaps that robots.txt names for a sitemap target at the site root', async () => {
      server.route('/robots.txt', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(`User-agent: *\nAllow: /\nSitemap: ${server.url}/products.xml\n`),
      );
      server.route('/products.xml', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(urlset([[`${server.url}/p/7`]])),
      );
      const events = await scraper.handleScrapeRequested(
        scrapeRequest(`${server.url}/`, 'sitemap'),
      );

      expect(events.map((event) => event.type)).toEqual([
        'observation.recorded',
        'products.discovered',
      ]);
      expect(events[1]?.data).toMatchObject({ urls: [`${server.url}/p/7`] });
    });

    it('fails with parse on a sitemap that is not XML it understands', async () => {
      server.route('/broken.xml', (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<urlset><url><loc>x</url>'),
      );
      const event = onlyEvent(
        await scraper.handleScrapeRequested(scrapeRequest(`${server.url}/broken.xml`, 'sitemap')),
        'scrape.failed',
      );

      expect(event.data.errorClass).toBe('parse');
    });

    it('follows a listing through its next-page links, within the page bound', async () => {
      const page = (n: number) =>
        `<html><head><base href="/shop/"></head><body>
          <ul>${[1, 2, 3].map((i) => `<li class="tile"><a class="product" href="item-${n * 10 + i}?utm_medium=list#top">Item</a></li>`).join('')}
          <li class="tile"><a class="product" href="/shop/item-11">duplicate</a></li>
          <li class="tile"><a class="product" href="mailto:sales@example.com">mail</a></li></ul>
          <a class="next" href="/shop/list?page=${n + 1}">Next</a></body></html>`;
      server.route('/shop/list', (req, res) => {
        const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('page') ?? '1');
        res.writeHead(200, html).end(page(n));
      });
      useScraper({ SCRAPER_MAX_LISTING_PAGES: 2 });
      const events = await scraper.handleScrapeRequested(
        scrapeRequest(`${server.url}/shop/list?page=1`, 'listing', {
          selectors: { productLink: '.tile a.product', nextPage: 'a.next' },
        }),
      );

      expect(events.map((event) => event.type)).toEqual([
        'observation.recorded',
        'products.discovered',
      ]);
      expect(events[1]?.data).toMatchObject({
        urls: [11, 12, 13, 21, 22, 23].map((id) => `${server.url}/shop/item-${id}`),
      });
      expect(pathsSeen().filter((path) => path.startsWith('/shop/list'))).toHaveLength(2);
    });

    it('finds product links and rel=next on a listing without selector hints', async () => {
      server.route('/cat', (_req, res) =>
        res
          .writeHead(200, html)
          .end(
            `<html><head><link rel="next" href="/cat2"></head><body><a href="/products/a">A</a><a href="/about">About</a></body></html>`,
          ),
      );
      server.route('/cat2', (_req, res) =>
        res.writeHead(200, html).end(`<html><body><a href="/products/b">B</a></body></html>`),
      );
      const events = await scraper.handleScrapeRequested(
        scrapeRequest(`${server.url}/cat`, 'listing'),
      );

      expect(events[1]?.data).toMatchObject({
        urls: [`${server.url}/products/a`, `${server.url}/products/b`],
      });
    });
  });
});
