import { runCaptured } from './command';

/** Bytes a folder takes on disk (`du`), 0 when it cannot be read. */
export function du(folder: string): number {
  const result = runCaptured('du', ['-sb', folder]);
  return result.status === 0 ? Number(result.stdout.split('\t')[0]) || 0 : 0;
}
