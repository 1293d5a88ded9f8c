import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractOffers } from '../../src/index';
import {
  FIELDS,
  loadFixturePages,
  loadOverrides,
  loadRealPages,
  type Field,
  type LabelledPage,
} from './corpora';
import { predictionOf, scoreCorpus } from './metrics';

type Floors = Record<'real-pages' | 'fixture-pages', Record<Field, number>>;
const floors = JSON.parse(readFileSync(join(__dirname, 'score-floors.json'), 'utf8')) as Floors;

const predict = (page: LabelledPage) =>
  predictionOf(extractOffers(page.html, page.url, page.options));

describe.each([
  ['real-pages', loadRealPages] as const,
  ['fixture-pages', loadFixturePages] as const,
])('extraction scores on %s', (corpus, load) => {
  const score = scoreCorpus(load(), predict);

  it.each(FIELDS)('%s F1 stays at or above its recorded floor', (field) => {
    expect(score.pages).toBeGreaterThan(50);
    expect(score.fields[field].f1).toBeGreaterThanOrEqual(floors[corpus][field]);
  });
});

describe('real-pages label overrides', () => {
  it('give a reason for every corrected label', () => {
    const overrides = loadOverrides();
    expect(Object.keys(overrides).length).toBeGreaterThan(0);
    for (const override of Object.values(overrides))
      expect(override.reason.length).toBeGreaterThan(20);
  });
});
