import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
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

function decoderFor(coding: string, url: string): Transform | null {
  switch (coding) {
    case 'identity':
    case '':
      return null;
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

class ByteCounter extends Transform {
  constructor(private readonly onBytes: (size: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.onBytes(chunk.length);
    this.push(chunk);
    callback();
  }
}

/** Thrown inside the pipeline to stop reading once a truncating limit is reached. */
class StopReading extends Error {}

/**
 * Reads a response body through its content decoders, enforcing `maxBytes` on the raw and the
 * decoded stream. Stopping early destroys the source, which aborts the download.
 */
export async function readBody(body: Readable, options: ReadBodyOptions): Promise<ReadBody> {
  const codings = (options.contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .reverse();
  const decoders = codings
    .map((coding) => decoderFor(coding, options.url))
    .filter((d): d is Transform => d !== null);
  const tooLarge = () =>
    new ScrapeError(
      'too_large',
      `Body of ${options.url} exceeds the limit of ${options.maxBytes} bytes`,
      { retryable: false },
    );
  let wireBytes = 0;
  const wireCounter = new ByteCounter((size) => {
    wireBytes += size;
    if (wireBytes > options.maxBytes && options.overLimit === 'fail')
      wireCounter.destroy(tooLarge());
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    await pipelineOf(body, wireCounter, ...decoders, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        if (size + chunk.length > options.maxBytes) {
          if (options.overLimit === 'fail') throw tooLarge();
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
  } finally {
    body.destroy();
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}
