import { ListProductsQuerySchema } from './read/products';
import { SelectorHintsSchema } from './targets';
import { isStorableText } from './text';
import { TimestampSchema } from './time';
import { CreateWatchRequestSchema } from './watches';
import { ListPricesQuerySchema } from './read/products';

const NUL = '\u0000';
const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDC00';

describe('text a caller sends must be storable', () => {
  it.each([
    ['plain text', 'h1.title', true],
    ['an emoji (a proper surrogate pair)', 'price 💶', true],
    ['NUL', `h1${NUL}`, false],
    ['a lone high surrogate', `a${LONE_HIGH}b`, false],
    ['a lone low surrogate', `${LONE_LOW}b`, false],
    ['a high surrogate at the end', `a${LONE_HIGH}`, false],
  ])('%s', (_case, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });

  it.each([NUL, LONE_HIGH, LONE_LOW])('rejects %j in a selector hint at the contract', (bad) => {
    const result = SelectorHintsSchema.safeParse({ price: `.price${bad}` });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['price'],
      message: 'must not contain NUL characters or unpaired surrogates',
    });
  });

  it.each([
    ['host', NUL],
    ['host', LONE_HIGH],
    ['q', NUL],
    ['q', `espresso${LONE_LOW}`],
  ])('rejects a %s query holding %j', (parameter, bad) => {
    const result = ListProductsQuerySchema.safeParse({ [parameter]: bad });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([parameter]);
  });

  it('rejects NUL in a watch label and in its selectors', () => {
    const result = CreateWatchRequestSchema.safeParse({
      url: 'https://shop.example.com/p/1',
      labels: [`kitchen${NUL}`],
      selectors: { name: `h1${LONE_HIGH}` },
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'labels.0',
      'selectors.name',
    ]);
  });
});

describe('times a caller sends must be in range', () => {
  it.each([
    '0000-01-01T00:00:00Z',
    '0000-12-31T23:59:59.999Z',
    '10000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-01-31T12:00:00+02:00',
  ])('rejects %s', (time) => {
    expect(TimestampSchema.safeParse(time).success).toBe(false);
  });

  it.each(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2025-01-31T12:00:00Z'])(
    'accepts %s',
    (time) => {
      expect(TimestampSchema.safeParse(time).success).toBe(true);
    },
  );

  it('rejects year 0000 in a price history filter, naming the parameter', () => {
    const result = ListPricesQuerySchema.safeParse({ from: '0000-01-01T00:00:00Z' });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['from'],
      message: 'must be a time from the year 0001 to 9999',
    });
  });
});
