import { gunzipSync } from 'node:zlib';
import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeText } from '../fetch/charset';
import type { FetchResponse } from '../fetch/http-fetcher';
import { ScrapeError } from '../fetch/scrape-error';
import { canonicalUrl } from './canonical-url';

export interface SitemapEntry {
  url: string;
  /** Milliseconds since the epoch, when the sitemap gave a parseable `lastmod`. */
  lastmod?: number;
}

export type SitemapDocument =
  { kind: 'index'; sitemaps: SitemapEntry[] } | { kind: 'urlset'; urls: SitemapEntry[] };

let xml: { parser: XMLParser; validator: typeof XMLValidator } | undefined;

/** fast-xml-parser, loaded when the first sitemap is read rather than at start (ADR 0021). */
function sitemapXml(): { parser: XMLParser; validator: typeof XMLValidator } {
  if (!xml) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { XMLParser: Parser, XMLValidator: Validator } =
      require('fast-xml-parser') as typeof import('fast-xml-parser');
    xml = {
      parser: new Parser({
        ignoreAttributes: true,
        removeNSPrefix: true,
        parseTagValue: false,
        processEntities: true,
        isArray: (name) => name === 'url' || name === 'sitemap',
      }),
      validator: Validator,
    };
  }
  return xml;
}

function isGzip(bytes: Buffer): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function entriesOf(nodes: unknown, base: string): SitemapEntry[] {
  if (!Array.isArray(nodes)) return [];
  const entries: SitemapEntry[] = [];
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    const loc = textOf(record.loc);
    const url = loc === undefined ? null : canonicalUrl(loc, base);
    if (url === null) continue;
    const lastmod = Date.parse(textOf(record.lastmod) ?? '');
    entries.push(Number.isNaN(lastmod) ? { url } : { url, lastmod });
  }
  return entries;
}

/**
 * Parses one sitemap document: XML `urlset` or `sitemapindex` (optionally gzipped, as `.xml.gz`
 * files are served without Content-Encoding) or the plain-text one-URL-per-line form.
 * `maxBytes` bounds the gunzipped size.
 */
export function parseSitemap(response: FetchResponse, maxBytes: number): SitemapDocument {
  let bytes = response.body;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new ScrapeError(
          'too_large',
          `Sitemap ${response.finalUrl} inflates past ${maxBytes} bytes`,
          {
            retryable: false,
          },
        );
      throw new ScrapeError('parse', `Sitemap ${response.finalUrl} is not valid gzip`, {
        retryable: false,
      });
    }
  }
  const { text } = decodeText(bytes, isGzip(response.body) ? undefined : response.contentType);
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('<')) {
    const urls = trimmed
      .split(/\r?\n/)
      .map((line) => canonicalUrl(line, response.finalUrl))
      .filter((url): url is string => url !== null)
      .map((url) => ({ url }));
    return { kind: 'urlset', urls };
  }
  const { parser, validator } = sitemapXml();
  if (validator.validate(trimmed) !== true)
    throw new ScrapeError('parse', `Sitemap ${response.finalUrl} is not well-formed XML`, {
      retryable: false,
    });
  const document = parser.parse(trimmed) as Record<string, Record<string, unknown> | undefined>;
  if (document.sitemapindex)
    return { kind: 'index', sitemaps: entriesOf(document.sitemapindex.sitemap, response.finalUrl) };
  if (document.urlset)
    return { kind: 'urlset', urls: entriesOf(document.urlset.url, response.finalUrl) };
  throw new ScrapeError('parse', `${response.finalUrl} is neither a urlset nor a sitemapindex`, {
    retryable: false,
  });
}

export interface WalkSitemapsOptions {
  /** Fetches one sitemap document (through robots, politeness and the guard). */
  fetch: (url: string) => Promise<FetchResponse>;
  maxDocuments: number;
  maxBodyBytes: number;
  maxUrls: number;
  /** Only URLs on this host are kept (the sitemap protocol's own rule). */
  host: string;
  onSkipped?: (url: string, error: unknown) => void;
}

function newestFirst(a: SitemapEntry, b: SitemapEntry): number {
  return (b.lastmod ?? -Infinity) - (a.lastmod ?? -Infinity);
}

/**
 * Walks sitemaps breadth-first from `roots`: index files queue their children (newest `lastmod`
 * first), url sets contribute page URLs. A failing root fails the walk; a failing child is
 * skipped. Returns canonical, de-duplicated URLs, newest `lastmod` first, at most `maxUrls`.
 */
export async function walkSitemaps(
  roots: string[],
  options: WalkSitemapsOptions,
): Promise<string[]> {
  const queue = [...roots];
  const queued = new Set(queue);
  const found = new Map<string, SitemapEntry>();
  for (let documents = 0; queue.length > 0 && documents < options.maxDocuments; documents += 1) {
    const url = queue.shift() as string;
    let sitemap: SitemapDocument;
    try {
      sitemap = parseSitemap(await options.fetch(url), options.maxBodyBytes);
    } catch (error) {
      if (roots.includes(url) && found.size === 0 && queue.length === 0) throw error;
      options.onSkipped?.(url, error);
      continue;
    }
    if (sitemap.kind === 'index') {
      for (const child of [...sitemap.sitemaps].sort(newestFirst)) {
        if (queued.has(child.url) || new URL(child.url).hostname !== options.host) continue;
        queued.add(child.url);
        queue.push(child.url);
      }
      continue;
    }
    for (const entry of sitemap.urls) {
      if (new URL(entry.url).hostname !== options.host) continue;
      const known = found.get(entry.url);
      if (!known || (entry.lastmod ?? -Infinity) > (known.lastmod ?? -Infinity))
        found.set(entry.url, entry);
    }
  }
  return [...found.values()]
    .sort(newestFirst)
    .slice(0, options.maxUrls)
    .map((entry) => entry.url);
}
