import {
  MAX_DISCOVERED_URLS,
  InvalidEventError,
  MAX_OFFERS_PER_OBSERVATION,
  OfferSchema,
  createEvent,
  sanitizeOffer,
  derivedId,
  type EventOf,
  type Offer,
  type ScrapeRequested,
} from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import { canonicalUrl } from '../discovery/canonical-url';
import { walkListing } from '../discovery/listing';
import { walkSitemaps } from '../discovery/sitemap';
import type { FetchResponse } from '../fetch/http-fetcher';
import { ScrapeError } from '../fetch/scrape-error';
import type { ExtractOffers } from './extractor';
import type { PoliteFetcher } from './polite-fetcher';

export const SCRAPER_EVENT_SOURCE = 'shelfwatch/scraper';

export type ScrapeRequestedEvent = EventOf<'scrape.requested'>;
export type ScraperEvent =
  EventOf<'observation.recorded'> | EventOf<'scrape.failed'> | EventOf<'products.discovered'>;

/** Turns one scrape.requested into the events it produces; never throws for a failed scrape. */
export type ScrapeHandler = (request: ScrapeRequestedEvent) => Promise<ScraperEvent[]>;

export interface ScrapeHandlerDeps {
  fetcher: PoliteFetcher;
  extractOffers: ExtractOffers;
  maxBodyBytes: number;
  maxListingPages: number;
  maxSitemaps: number;
  logger?: Logger;
  now?: () => Date;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const SITEMAP_TYPES = /^(application|text)\/([\w.+-]*xml|plain|x-gzip|gzip|octet-stream)\b/i;

function mediaTypeOk(response: FetchResponse, accepted: RegExp): void {
  const contentType = response.contentType?.trim();
  if (contentType === undefined || contentType === '') return; // sniffed by the parser
  if (!accepted.test(contentType))
    throw new ScrapeError(
      'unsupported_content',
      `${response.finalUrl} is ${contentType.split(';')[0]}, not a page we can read`,
      { retryable: false, httpStatus: response.status },
    );
}

function conditionalHeaders(request: ScrapeRequested): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.etag !== undefined) headers['if-none-match'] = request.etag;
  if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
  return headers;
}

interface ValidOffers {
  offers: Offer[];
  /** Where the extractor's primary offer ended up; undefined when it was dropped or not named. */
  primaryOffer: number | undefined;
}

/** The offers (already sanitised) that pass the contract on their own, at most the maximum. */
function validOffers(offers: Offer[], primary: number | undefined, logger?: Logger): ValidOffers {
  const valid: ValidOffers = { offers: [], primaryOffer: undefined };
  offers.forEach((offer, index) => {
    if (valid.offers.length >= MAX_OFFERS_PER_OBSERVATION) return;
    const parsed = OfferSchema.safeParse(offer);
    if (parsed.success) {
      if (index === primary) valid.primaryOffer = valid.offers.length;
      valid.offers.push(parsed.data);
    } else
      logger?.warn('Dropping an extracted offer that breaks the contract', {
        issues: parsed.error.issues,
      });
  });
  return valid;
}

/** Sitemap targets pointing at a site root or robots.txt are walked from robots.txt's Sitemap lines. */
function usesRobotsSitemaps(url: URL): boolean {
  return url.pathname === '/' || url.pathname === '/robots.txt';
}

/** The scrape.failed answering a request; its id derives from the request's (ADR 0006). */
export function scrapeFailedEvent(
  request: ScrapeRequestedEvent,
  error: ScrapeError,
  failedAt: Date,
  startedAt?: string,
): EventOf<'scrape.failed'> {
  const data = request.data;
  return createEvent(
    'scrape.failed',
    {
      runId: data.runId,
      targetId: data.targetId,
      url: data.url,
      ...(startedAt === undefined ? {} : { startedAt }),
      failedAt: failedAt.toISOString(),
      errorClass: error.errorClass,
      retryable: error.retryable,
      message: error.message.slice(0, 2000),
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
      ...(error.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: error.retryAfterSeconds }),
    },
    {
      id: derivedId(request.id, 'scrape.failed'),
      source: SCRAPER_EVENT_SOURCE,
      ...(request.traceparent === undefined ? {} : { traceparent: request.traceparent }),
      correlationId: request.correlationId ?? request.id,
    },
  );
}

export function createScrapeHandler(deps: ScrapeHandlerDeps): ScrapeHandler {
  const now = deps.now ?? (() => new Date());

  return async (request) => {
    const data = request.data;
    const startedAt = now().toISOString();
    // Ids derive from the request's, so a redelivered request yields the same events again and
    // the consumers' inboxes drop the repeat: one observation per request, however often it runs.
    const envelope = (type: ScraperEvent['type']) => ({
      id: derivedId(request.id, type),
      source: SCRAPER_EVENT_SOURCE,
      ...(request.traceparent === undefined ? {} : { traceparent: request.traceparent }),
      correlationId: request.correlationId ?? request.id,
    });
    const observation = (
      response: Pick<FetchResponse, 'finalUrl' | 'status' | 'headers'>,
      offers: Offer[],
      confidence: number,
      primaryOffer?: number,
    ): EventOf<'observation.recorded'> =>
      createEvent(
        'observation.recorded',
        {
          runId: data.runId,
          targetId: data.targetId,
          url: data.url,
          finalUrl: response.finalUrl,
          startedAt,
          fetchedAt: now().toISOString(),
          httpStatus: response.status,
          notModified: response.status === 304,
          // A 304 may omit validators; the ones we sent then still hold.
          etag: response.headers.etag ?? (response.status === 304 ? data.etag : undefined),
          lastModified:
            response.headers['last-modified'] ??
            (response.status === 304 ? data.lastModified : undefined),
          offers,
          ...(primaryOffer === undefined ? {} : { primaryOffer }),
          confidence,
        },
        envelope('observation.recorded'),
      );
    const discovered = (urls: string[]): EventOf<'products.discovered'>[] =>
      urls.length === 0
        ? []
        : [
            createEvent(
              'products.discovered',
              {
                runId: data.runId,
                sourceTargetId: data.targetId,
                discoveredAt: now().toISOString(),
                urls: urls.slice(0, MAX_DISCOVERED_URLS),
              },
              envelope('products.discovered'),
            ),
          ];

    try {
      const target = new URL(data.url);
      if (data.kind === 'sitemap' && usesRobotsSitemaps(target)) {
        const rules = await deps.fetcher.robots.rulesFor(target);
        const roots = rules.sitemaps.length > 0 ? rules.sitemaps : [`${target.origin}/sitemap.xml`];
        let first: FetchResponse | undefined;
        const urls = await walkSitemaps(roots, {
          fetch: async (url) => {
            const response = await deps.fetcher.fetch(url, {
              accept: 'application/xml,text/xml,*/*;q=0.5',
            });
            mediaTypeOk(response, SITEMAP_TYPES);
            first ??= response;
            return response;
          },
          maxDocuments: deps.maxSitemaps,
          maxBodyBytes: deps.maxBodyBytes,
          maxUrls: MAX_DISCOVERED_URLS,
          host: target.hostname,
          onSkipped: (url, error) => deps.logger?.warn(`Skipping sitemap ${url}`, { err: error }),
        });
        if (!first) throw new ScrapeError('parse', `No sitemap of ${target.origin} could be read`);
        return [
          observation({ finalUrl: data.url, status: 200, headers: {} }, [], 1),
          ...discovered(urls),
        ];
      }

      const first = await deps.fetcher.fetch(data.url, {
        headers: conditionalHeaders(data),
        accept:
          data.kind === 'sitemap'
            ? 'application/xml,text/xml,*/*;q=0.5'
            : 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      });
      if (first.status === 304) return [observation(first, [], 1)];

      if (data.kind === 'product') {
        mediaTypeOk(first, HTML_TYPES);
        let extraction;
        try {
          extraction = deps.extractOffers(first.text().text, first.finalUrl, {
            ...(data.selectors === undefined ? {} : { selectors: data.selectors }),
          });
        } catch (error) {
          throw new ScrapeError('parse', `Extraction failed on ${first.finalUrl}`, {
            retryable: false,
            cause: error,
          });
        }
        const confidence = Math.min(1, Math.max(0, extraction.confidence));
        const noOffer = () =>
          new ScrapeError('parse', `No offer found on ${first.finalUrl}`, {
            retryable: false,
            httpStatus: first.status,
          });
        // The event's own validation checks every offer: when all pass, that is the only check.
        // Only an event that fails is built again from the offers that pass one by one, so the
        // ones that break the contract are dropped (and logged) rather than the whole page.
        // Pages carry anything: NUL, lone surrogates, megabytes in a name. Cleaned first, so the
        // observation is publishable and stored instead of failing at the queue.
        const cleaned = extraction.offers.map(sanitizeOffer);
        if (cleaned.length === 0) throw noOffer();
        if (cleaned.length <= MAX_OFFERS_PER_OBSERVATION) {
          try {
            return [observation(first, cleaned, confidence, extraction.primaryOffer)];
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
          }
        }
        const { offers, primaryOffer } = validOffers(cleaned, extraction.primaryOffer, deps.logger);
        if (offers.length === 0) throw noOffer();
        return [observation(first, offers, confidence, primaryOffer)];
      }

      if (data.kind === 'listing') {
        mediaTypeOk(first, HTML_TYPES);
        const walk = await walkListing(first.url, {
          fetch: async (url) => {
            if (url === canonicalUrl(first.url) || url === first.finalUrl) return first;
            const response = await deps.fetcher.fetch(url);
            mediaTypeOk(response, HTML_TYPES);
            return response;
          },
          productLink: data.selectors?.productLink,
          nextPage: data.selectors?.nextPage,
          maxPages: deps.maxListingPages,
          maxUrls: MAX_DISCOVERED_URLS,
        });
        return [observation(first, [], 1), ...discovered(walk.urls)];
      }

      mediaTypeOk(first, SITEMAP_TYPES);
      const urls = await walkSitemaps([first.url], {
        fetch: async (url) => {
          if (url === first.url) return first;
          const response = await deps.fetcher.fetch(url, {
            accept: 'application/xml,text/xml,*/*;q=0.5',
          });
          mediaTypeOk(response, SITEMAP_TYPES);
          return response;
        },
        maxDocuments: deps.maxSitemaps,
        maxBodyBytes: deps.maxBodyBytes,
        maxUrls: MAX_DISCOVERED_URLS,
        host: target.hostname,
        onSkipped: (url, error) => deps.logger?.warn(`Skipping sitemap ${url}`, { err: error }),
      });
      return [observation(first, [], 1), ...discovered(urls)];
    } catch (error) {
      if (!(error instanceof ScrapeError)) throw error;
      deps.logger?.info(`Scrape of ${data.url} failed: ${error.errorClass}`, {
        errorClass: error.errorClass,
        retryable: error.retryable,
      });
      return [scrapeFailedEvent(request, error, now(), startedAt)];
    }
  };
}
