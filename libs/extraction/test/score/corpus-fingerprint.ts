/**
 * Prints a fingerprint of the shared real-pages corpus the score tests read: a SHA-256 over every
 * file's path and bytes, or that the folder is absent. The corpus lives
 * outside the workspace (`../shared`), where Nx hashes no file, so extraction's `test` target
 * takes this output as a runtime input: a changed, added or removed page reruns the tests
 * instead of replaying a cached pass.
 *
 * Usage: tsx libs/extraction/test/score/corpus-fingerprint.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { realPagesDir } from './corpora';

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesBelow(join(dir, entry.name)) : [join(dir, entry.name)],
    )
    .sort();
}

const dir = realPagesDir();
if (!existsSync(dir)) console.log('real-pages corpus absent');
else {
  const hash = createHash('sha256');
  for (const file of filesBelow(dir))
    hash.update(`${relative(dir, file)}\0`).update(readFileSync(file));
  console.log(`real-pages corpus ${hash.digest('hex')}`);
}
