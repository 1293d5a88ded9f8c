import { isAddressRefusal } from '@shelfwatch/address-guard';
import type { ScrapeErrorClass } from '@shelfwatch/contracts';

export interface ScrapeErrorInit {
  retryable?: boolean;
  httpStatus?: number;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Classes that usually heal on their own, so a later attempt can succeed. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ScrapeErrorClass> = new Set([
  'dns',
  'connect',
  'timeout',
  'http_5xx',
]);

/** A failed scrape, classified the way `scrape.failed` reports it. */
export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';
  readonly errorClass: ScrapeErrorClass;
  readonly retryable: boolean;
  readonly httpStatus?: number;
  readonly retryAfterSeconds?: number;

  constructor(errorClass: ScrapeErrorClass, message: string, init: ScrapeErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.errorClass = errorClass;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(errorClass);
    this.httpStatus = init.httpStatus;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 408 and 429 are the client errors that a later try can get past. */
export function httpStatusError(
  status: number,
  url: string,
  retryAfterSeconds?: number,
): ScrapeError {
  const errorClass = status >= 500 ? 'http_5xx' : 'http_4xx';
  const retryable =
    status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);
  return new ScrapeError(errorClass, `HTTP ${status} from ${url}`, {
    retryable,
    httpStatus: status,
    retryAfterSeconds,
  });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'ENODATA']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const ZLIB_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR_BROTLI_DECOMPRESSION_FAILED']);
/** OpenSSL verification codes Node reports for an untrusted, expired or mismatched certificate. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/;

/** Error codes along the cause chain; duck-typed, as errors may come from another realm. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    const { code, errors, cause } = current as {
      code?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) codes.push(...errors.flatMap(codesOf));
    current = cause;
  }
  return codes;
}

/** Maps an error from undici, net, tls or zlib to its scrape error class. */
export function classifyError(error: unknown, url: string): ScrapeError {
  if (error instanceof ScrapeError) return error;
  // A name that does not resolve is a dns failure (it may come back); an address refused is final.
  if (isAddressRefusal(error))
    return error.reason === 'unresolvable host'
      ? new ScrapeError('dns', error.message, { cause: error.cause })
      : new ScrapeError('blocked_address', error.message, { retryable: false });
  const codes = codesOf(error);
  const detail =
    typeof (error as { message?: unknown })?.message === 'string'
      ? (error as { message: string }).message
      : String(error);
  const has = (set: ReadonlySet<string>) => codes.some((code) => set.has(code));
  if (has(DNS_CODES)) return new ScrapeError('dns', `DNS lookup failed for ${url}: ${detail}`);
  if (has(TIMEOUT_CODES)) return new ScrapeError('timeout', `Timed out fetching ${url}: ${detail}`);
  if (codes.some((code) => TLS_CODE.test(code)))
    return new ScrapeError('tls', `TLS failed for ${url}: ${detail}`, { retryable: false });
  if (has(ZLIB_CODES))
    return new ScrapeError('parse', `Could not decompress the body of ${url}: ${detail}`);
  if (has(CONNECT_CODES))
    return new ScrapeError('connect', `Connection to ${url} failed or closed early: ${detail}`);
  return new ScrapeError('connect', `Fetching ${url} failed: ${detail}`, { cause: error });
}
