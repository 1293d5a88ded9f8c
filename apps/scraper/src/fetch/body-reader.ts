import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  brotliDecompressSync,
  constants as zlibConstants,
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

/** Stops reading once the truncating limit is reached (thrown in the pipeline, or the abort reason). */
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

/**
 * The output chunk for gunzipping `bytes` in one piece: the size the gzip trailer states (ISIZE,
 * the last four bytes) plus one, within the limit, and never below zlib's default 16 KiB. That
 * default makes a 600 KB page 37 chunks and a copy of them all. The trailer only ever enlarges
 * the chunk: in a multi-member body zlib checks only the last member's trailer, so a page could
 * state a tiny size and make every chunk tiny. `maxOutputLength` still stops a bomb after at most
 * one chunk past the limit.
 */
export function gzipOutputChunk(bytes: Buffer, maxOutputLength: number): number {
  const stated = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return Math.max(zlibConstants.Z_DEFAULT_CHUNK, Math.min(stated, maxOutputLength) + 1);
}

/** The one-call decoder of a coding: zlib stops it as soon as its output passes the limit. */
function syncDecoderFor(coding: string, url: string): SyncDecoder {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return (bytes, limit) =>
        gunzipSync(bytes, { ...limit, chunkSize: gzipOutputChunk(bytes, limit.maxOutputLength) });
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
 * Decompresses a body's wire bytes in one zlib call per coding: for a page that is far cheaper
 * than a chain of decompressing streams (the pipeline alone allocates an AbortController and a
 * DOMException per call), and zlib's `maxOutputLength` stops a decompression bomb as soon as its
 * output passes the limit.
 */
function decodeContent(wire: Buffer, decoders: SyncDecoder[], options: ReadBodyOptions): Buffer {
  let bytes = wire;
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
  return bytes;
}

/**
 * Collects a response body as undici hands over its chunks (a dispatch handler's data
 * callbacks, without a Readable per response), enforcing `maxBytes` on the bytes on the wire and
 * after each content decoder. `done` settles once: with the body, or with the error that ended
 * it. Stopping early aborts the download through `abort`.
 *
 * Only a compressed body that is to be truncated rather than refused (robots.txt) is decompressed
 * as a stream, since a one-call decoder cannot hand back the part within the limit.
 */
export class BodyCollector {
  readonly done: Promise<ReadBody>;
  private settle!: { resolve: (body: ReadBody) => void; reject: (error: unknown) => void };
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  /** The server sent the whole body. */
  private ended = false;
  private readonly decoders: SyncDecoder[];
  /** Set for the streamed (truncating, compressed) case: the chunks go in here instead. */
  private readonly stream: Readable | undefined;

  constructor(
    private readonly options: ReadBodyOptions,
    private readonly control: { abort(reason: Error): void; pause(): void; resume(): void },
  ) {
    this.done = new Promise<ReadBody>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    const codings = codingsOf(options);
    this.decoders = codings.map((coding) => syncDecoderFor(coding, options.url));
    if (this.decoders.length > 0 && options.overLimit === 'truncate') {
      this.stream = new Readable({ read: () => control.resume() });
      readTruncatedStream(this.stream, codings, options).then(
        (body) => {
          this.finish(body);
          // The limit may have been reached before the download ended: nothing more is read.
          if (!this.ended) control.abort(new StopReading());
        },
        (error: unknown) => this.stop(error instanceof Error ? error : new Error(String(error))),
      );
    }
  }

  push(chunk: Buffer): void {
    if (this.settled) return;
    if (this.stream) {
      if (!this.stream.push(chunk)) this.control.pause();
      return;
    }
    if (this.size + chunk.length > this.options.maxBytes) {
      if (this.options.overLimit === 'fail') {
        this.stop(tooLargeError(this.options));
        return;
      }
      this.chunks.push(chunk.subarray(0, this.options.maxBytes - this.size));
      this.size = this.options.maxBytes;
      this.finish(this.body(true));
      this.control.abort(new StopReading());
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  end(): void {
    this.ended = true;
    if (this.settled) return;
    if (this.stream) return void this.stream.push(null);
    try {
      this.finish(this.body(false));
    } catch (error) {
      this.fail(error);
    }
  }

  /** The download failed (or was aborted): the error ends the body, unless it had ended already. */
  fail(error: unknown): void {
    this.stream?.destroy(error instanceof Error ? error : new Error(String(error)));
    if (this.settled) return;
    this.settled = true;
    this.settle.reject(error);
  }

  /** Fails with `error` and aborts the download, unless it has ended. */
  stop(error: Error): void {
    this.fail(error);
    if (!this.ended) this.control.abort(error);
  }

  private body(truncated: boolean): ReadBody {
    const wire =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    return { bytes: decodeContent(wire, this.decoders, this.options), truncated };
  }

  private finish(body: ReadBody): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.resolve(body);
  }
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
