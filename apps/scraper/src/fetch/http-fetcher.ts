import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { readBody } from './body-reader';
import { decodeText, type DecodedText } from './charset';
import { parseRetryAfter } from './retry-after';
import { ScrapeError, classifyError, httpStatusError } from './scrape-error';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpFetcherOptions {
  /** Sends each hop: an undici Agent, or anything with its promise-returning `request`. */
  agent: { request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> };
  userAgent: string;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
}

export interface FetchOptions {
  /** Extra request headers, e.g. If-None-Match. */
  headers?: Record<string, string>;
  accept?: string;
  /** Overrides the fetcher's body limit (robots.txt reads at most 500 KiB). */
  maxBodyBytes?: number;
  overLimit?: 'fail' | 'truncate';
  /** Called before following a redirect, so the caller can check robots.txt for the new URL. */
  beforeRedirect?: (url: URL) => Promise<void>;
}

export interface FetchResponse {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  contentType: string | undefined;
  body: Buffer;
  truncated: boolean;
  /** The body decoded to text with its charset (header, BOM or markup). */
  text(): DecodedText;
}

/** Drops a body we will not read; the abort error it raises is expected. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * GETs a URL through the guarded agent: follows at most `maxRedirects` redirects (each hop gets
 * a fresh connection check from the agent), decompresses, limits size and time. Any status other
 * than 2xx or 304 becomes a classified ScrapeError.
 */
export class HttpFetcher {
  constructor(private readonly options: HttpFetcherOptions) {}

  get userAgent(): string {
    return this.options.userAgent;
  }

  async fetch(url: string, options: FetchOptions = {}): Promise<FetchResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.totalTimeoutMs);
    try {
      return await this.follow(url, options, controller.signal);
    } catch (error) {
      if (timedOut)
        throw new ScrapeError(
          'timeout',
          `Fetching ${url} took longer than ${this.options.totalTimeoutMs} ms`,
        );
      throw classifyError(error, url);
    } finally {
      clearTimeout(timer);
    }
  }

  private async follow(
    url: string,
    options: FetchOptions,
    signal: AbortSignal,
  ): Promise<FetchResponse> {
    let current = new URL(url);
    for (let hop = 0; ; hop += 1) {
      const response = await this.options.agent.request({
        origin: current.origin,
        path: `${current.pathname}${current.search}`,
        method: 'GET',
        signal,
        headers: {
          'user-agent': this.options.userAgent,
          accept: options.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
          'accept-language': 'en;q=0.9, *;q=0.5',
          ...options.headers,
        },
      });
      const status = response.statusCode;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        const text = headerValue(value);
        if (text !== undefined) headers[name] = text;
      }
      if (REDIRECT_STATUSES.has(status) && headers.location !== undefined) {
        discard(response.body);
        if (hop >= this.options.maxRedirects)
          throw new ScrapeError(
            'unsupported_content',
            `Too many redirects from ${url} (more than ${this.options.maxRedirects})`,
            { retryable: false, httpStatus: status },
          );
        const next = URL.canParse(headers.location, current.toString())
          ? new URL(headers.location, current)
          : null;
        if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:'))
          throw new ScrapeError(
            'unsupported_content',
            `Redirect from ${current} to an unusable location`,
            {
              retryable: false,
              httpStatus: status,
            },
          );
        next.hash = '';
        await options.beforeRedirect?.(next);
        current = next;
        continue;
      }
      if (status === 304) {
        discard(response.body);
        return this.result(url, current, status, headers, Buffer.alloc(0), false);
      }
      if (status < 200 || status >= 300) {
        discard(response.body);
        throw httpStatusError(status, current.toString(), parseRetryAfter(headers['retry-after']));
      }
      const { bytes, truncated } = await readBody(response.body, {
        contentEncoding: headers['content-encoding'],
        maxBytes: options.maxBodyBytes ?? this.options.maxBodyBytes,
        overLimit: options.overLimit ?? 'fail',
        url: current.toString(),
      });
      return this.result(url, current, status, headers, bytes, truncated);
    }
  }

  private result(
    url: string,
    finalUrl: URL,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
    truncated: boolean,
  ): FetchResponse {
    const contentType = headers['content-type'];
    let decoded: DecodedText | undefined;
    return {
      url,
      finalUrl: finalUrl.toString(),
      status,
      headers,
      contentType,
      body,
      truncated,
      text: () => (decoded ??= decodeText(body, contentType)),
    };
  }
}
