import { decodeText, type DecodedText } from './charset';
import { exchange, type RequestDispatcher } from './exchange';
import { parseRetryAfter } from './retry-after';
import { ScrapeError, classifyError, httpStatusError } from './scrape-error';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpFetcherOptions {
  /** Sends each hop: an undici Agent, or anything with its `dispatch`. */
  agent: RequestDispatcher;
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
      const maxBytes = options.maxBodyBytes ?? this.options.maxBodyBytes;
      const overLimit = options.overLimit ?? 'fail';
      const hopUrl = current.toString();
      const response = await exchange(
        this.options.agent,
        {
          origin: current.origin,
          path: `${current.pathname}${current.search}`,
          method: 'GET',
          headers: {
            'user-agent': this.options.userAgent,
            accept: options.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
            'accept-encoding': 'gzip, deflate, br',
            'accept-language': 'en;q=0.9, *;q=0.5',
            ...options.headers,
          },
        },
        signal,
        (headers) => ({
          contentEncoding: headers['content-encoding'],
          maxBytes,
          overLimit,
          url: hopUrl,
        }),
      );
      const { status, headers } = response;
      if (REDIRECT_STATUSES.has(status) && headers.location !== undefined) {
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
        return this.result(url, current, status, headers, Buffer.alloc(0), false);
      }
      if (response.body === undefined)
        throw httpStatusError(status, current.toString(), parseRetryAfter(headers['retry-after']));
      const { bytes, truncated } = response.body;
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
