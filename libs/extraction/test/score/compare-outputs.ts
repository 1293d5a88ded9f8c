/**
 * Compares this checkout's whole extraction result with another checkout's on every real and
 * fixture page: the JSON of each result, byte for byte. A speed change that is meant to leave
 * output alone proves it here; a page whose output differs is listed with the first place the
 * two JSON texts part.
 *
 *   npx tsx libs/extraction/test/score/compare-outputs.ts --extraction <other>/libs/extraction/src/index.ts
 *
 * Exits 1 when any page differs, 2 when the other extractor or a corpus cannot be read.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixturePages, loadRealPages, type LabelledPage } from './corpora';

type Extract = (html: string, url: string, options?: Record<string, unknown>) => unknown;

async function extractorAt(path: string): Promise<Extract> {
  const module = (await import(resolve(path))) as { extractOffers?: Extract };
  if (typeof module.extractOffers !== 'function')
    throw new Error(`${path} exports no extractOffers`);
  return module.extractOffers;
}

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { extraction: { type: 'string' } } });
  if (!values.extraction) {
    console.error(
      'usage: compare-outputs.ts --extraction <other checkout>/libs/extraction/src/index.ts',
    );
    return 2;
  }
  const ours = await extractorAt(resolve(__dirname, '../../src/index.ts'));
  const theirs = await extractorAt(values.extraction);
  const pages: [string, LabelledPage][] = [
    ...loadRealPages().map((page): [string, LabelledPage] => ['real', page]),
    ...loadFixturePages().map((page): [string, LabelledPage] => ['fixture', page]),
  ];
  if (!pages.some(([corpus]) => corpus === 'real')) throw new Error('no real pages were read');
  let differing = 0;
  for (const [corpus, page] of pages) {
    const mine = JSON.stringify(ours(page.html, page.url, page.options));
    const other = JSON.stringify(theirs(page.html, page.url, page.options));
    if (mine === other) continue;
    differing++;
    const at = firstDifference(mine, other);
    console.log(`${corpus}/${page.id} differs at ${at}:`);
    console.log(`  this checkout: …${mine.slice(Math.max(0, at - 60), at + 100)}`);
    console.log(`  other:         …${other.slice(Math.max(0, at - 60), at + 100)}`);
  }
  console.log(
    `${pages.length - differing} of ${pages.length} pages give identical results (${pages.filter(([c]) => c === 'real').length} real, ${pages.filter(([c]) => c === 'fixture').length} fixtures)`,
  );
  return differing === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
