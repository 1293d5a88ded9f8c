/**
 * Scores extraction on the real-pages corpus and the team's fixture pages: precision, recall
 * and F1 per field of the primary offer, then every page that fails.
 *
 *   npx nx run extraction:score [-- --extraction /path/to/other/libs/extraction/src/index.ts]
 *
 * `--extraction` scores another checkout's extractor (e.g. a worktree of main) with the same
 * labels, for before/after figures in one run. `--quiet` leaves out the failing pages.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FIELDS, loadFixturePages, loadRealPages, type LabelledPage } from './corpora';
import { predictionOf, scoreCorpus, type CorpusScore } from './metrics';

type Extract = (
  html: string,
  url: string,
  options?: Record<string, unknown>,
) => { offers: never[]; primaryOffer?: number };

function table(title: string, score: CorpusScore): string {
  const lines = [`${title} (${score.pages} pages)`, '  field          precision  recall     F1'];
  for (const field of FIELDS) {
    const { precision, recall, f1, correct, predicted, labelled } = score.fields[field];
    lines.push(
      `  ${field.padEnd(14)} ${precision.toFixed(3).padStart(9)} ${recall.toFixed(3).padStart(7)} ${f1.toFixed(3).padStart(6)}   (${correct} right of ${predicted} predicted, ${labelled} labelled)`,
    );
  }
  return lines.join('\n');
}

function failures(score: CorpusScore): string {
  if (score.failures.length === 0) return '  no failing pages';
  return score.failures
    .map(
      ({ id, field, expected, got }) =>
        `  ${id.padEnd(48)} ${field.padEnd(13)} expected ${expected.padEnd(22)} got ${got}`,
    )
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { extraction: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  });
  const module = (await import(
    values.extraction ? resolve(values.extraction) : '../../src/index'
  )) as { extractOffers: Extract };
  const predict = (page: LabelledPage) =>
    predictionOf(module.extractOffers(page.html, page.url, page.options));
  const real = scoreCorpus(loadRealPages(), predict);
  const fixtures = scoreCorpus(loadFixturePages(), predict);
  console.log(values.extraction ? `extractor: ${values.extraction}` : 'extractor: this checkout');
  console.log(table('real pages', real));
  console.log(table('fixture pages', fixtures));
  if (!values.quiet) {
    console.log('\nfailing real pages:');
    console.log(failures(real));
    console.log('\nfailing fixture pages:');
    console.log(failures(fixtures));
  }
}

void main();
