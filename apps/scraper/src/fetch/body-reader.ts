import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  brotliDecompressSync,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  gunzipSync,
  inflateRawSync,
  inflateSync,
} from 'node:zlib';
import { ScrapeError } from './scrape-error';

export interface ReadBodyOptions {
  /** Content-Encoding header value, e.g. `gzip` or `gzip, br`. */
  contentEncoding?: string;
  /** Largest body in bytes, counted both on the wire and after decompression. */
  maxBytes: number;
  /** `truncate` keeps the first `maxBytes` (robots.txt); `fail` throws `too_large`. */
  overLimit: 'fail' | 'truncate';
  url: string;
}

export interface ReadBody {
  bytes: Buffer;
  truncated: boolean;
}

/** Small chunks keep a decompression bomb from inflating far past the limit before we stop it. */
const ZLIB_CHUNK = 16 * 1024;

function streamDecoderFor(coding: string, url: string): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ chunkSize: ZLIB_CHUNK });
    case 'deflate':
      return deflateDecoder();
    case 'br':
      return createBrotliDecompress({ chunkSize: ZLIB_CHUNK });
    default:
      throw new ScrapeError(
        'unsupported_content',
        `Unsupported Content-Encoding "${coding}" from ${url}`,
      );
  }
}

/** "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; the first byte tells. */
function deflateDecoder(): Transform {
  let inner: Transform | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!inner) {
        inner =
          ((chunk[0] ?? 0) & 0x0f) === 8
            ? createInflate({ chunkSize: ZLIB_CHUNK })
            : createInflateRaw({ chunkSize: ZLIB_CHUNK });
        inner.on('data', (data: Buffer) => this.push(data));
        inner.on('error', (error) => this.destroy(error));
      }
      if (inner.write(chunk)) callback();
      else inner.once('drain', () => callback());
    },
    flush(callback) {
      if (!inner) return callback();
      inner.once('end', () => callback());
      inner.end();
    },
  });
}

/** `pipeline` with a variable number of stages, which its overloads cannot type. */
const pipelineOf = pipeline as (...stages: unknown[]) => Promise<void>;

/** Thrown inside the pipeline to stop reading once the truncating limit is reached. */
class StopReading extends Error {}

/** The content codings of a response, in the order they are to be undone. */
function codingsOf(options: ReadBodyOptions): string[] {
  return (options.contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();
}

function tooLargeError(options: ReadBodyOptions): ScrapeError {
  return new ScrapeError(
    'too_large',
    `Body of ${options.url} exceeds the limit of ${options.maxBytes} bytes`,
    { retryable: false },
  );
}

type SyncDecoder = (bytes: Buffer, options: { maxOutputLength: number }) => Buffer;

/** The one-call decoder of a coding: zlib stops it as soon as its output passes the limit. */
function syncDecoderFor(coding: string, url: string): SyncDecoder {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync;
    case 'deflate':
      // zlib-wrapped as meant, or raw deflate as some servers send it; the first byte tells.
      return (bytes, limit) =>
        ((bytes[0] ?? 0) & 0x0f) === 8 ? inflateSync(bytes, limit) : inflateRawSync(bytes, limit);
    case 'br':
      return brotliDecompressSync;
    default:
      throw new ScrapeError(
        'unsupported_content',
        `Unsupported Content-Encoding "${coding}" from ${url}`,
      );
  }
}

/**
 * Reads a response body, enforcing `maxBytes` on the bytes on the wire and after each content
 * decoder. Stopping early destroys the source, which aborts the download.
 *
 * The wire bytes are kept as the chunks that arrive and decompressed in one zlib call when the
 * body is complete: for a page that is far cheaper than a chain of decompressing streams (the
 * pipeline alone allocates an AbortController and a DOMException per call), and zlib's
 * `maxOutputLength` stops a decompression bomb as soon as its output passes the limit. Only a
 * compressed body that is to be truncated rather than refused (robots.txt) is decompressed as
 * a stream, since a one-call decoder cannot hand back the part within the limit.
 */
export async function readBody(body: Readable, options: ReadBodyOptions): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let decoders: SyncDecoder[];
  try {
    const codings = codingsOf(options);
    decoders = codings.map((coding) => syncDecoderFor(coding, options.url));
    if (decoders.length > 0 && options.overLimit === 'truncate')
      return await readTruncatedStream(body, codings, options);
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size + chunk.length > options.maxBytes) {
        if (options.overLimit === 'fail') throw tooLargeError(options);
        chunks.push(chunk.subarray(0, options.maxBytes - size));
        size = options.maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    body.destroy();
  }
  let bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
  for (const decode of decoders) {
    try {
      bytes = decode(bytes, { maxOutputLength: options.maxBytes });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
        throw tooLargeError(options);
      throw new ScrapeError(
        'parse',
        `Could not decompress the body of ${options.url}: ${(error as Error).message}`,
      );
    }
  }
  return { bytes, truncated };
}

/** A compressed body through decompressing streams, keeping the first `maxBytes` of the output. */
async function readTruncatedStream(
  body: Readable,
  codings: string[],
  options: ReadBodyOptions,
): Promise<ReadBody> {
  const decoders = codings.map((coding) => streamDecoderFor(coding, options.url));
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    await pipelineOf(body, ...decoders, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        if (size + chunk.length > options.maxBytes) {
          chunks.push(chunk.subarray(0, options.maxBytes - size));
          size = options.maxBytes;
          truncated = true;
          throw new StopReading();
        }
        chunks.push(chunk);
        size += chunk.length;
      }
    });
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}
