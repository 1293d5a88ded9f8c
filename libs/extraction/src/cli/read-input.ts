import { readFile } from 'node:fs/promises';
import { CliUsageError } from './command';

/** Inputs larger than this are refused rather than read into memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function readStream(stream: NodeJS.ReadableStream, label = 'stdin'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer =
        typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > MAX_INPUT_BYTES)
        throw new CliUsageError(`${label} is larger than ${MAX_INPUT_BYTES} bytes`);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(
      `cannot read ${label}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return Buffer.concat(chunks);
}

/** Reads a file, or stdin for "-"; any failure becomes a message naming the input. */
export async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (path === '-') return readStream(stdin);
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_INPUT_BYTES)
      throw new CliUsageError(`${path} is larger than ${MAX_INPUT_BYTES} bytes`);
    return buffer;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message);
    throw new CliUsageError(`cannot read ${path}: ${reason}`);
  }
}

/**
 * Decodes text input: UTF-8, or Windows-1252 for the older pages that are not valid UTF-8.
 * NUL bytes mean it is not text at all.
 */
export function decodeText(buffer: Buffer, label: string): string {
  if (buffer.includes(0)) throw new CliUsageError(`${label} is binary, not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}
