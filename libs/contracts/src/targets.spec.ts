import { newId } from './ids';
import {
  CreateTargetRequestSchema,
  ListTargetsQuerySchema,
  SelectorHintsSchema,
  TargetListSchema,
  TargetSchema,
  UpdateTargetRequestSchema,
} from './targets';

const messages = (result: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) => (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('CreateTargetRequestSchema', () => {
  it('fills in defaults: a product checked hourly, active', () => {
    expect(CreateTargetRequestSchema.parse({ url: 'https://shop.example.com/p/1' })).toEqual({
      url: 'https://shop.example.com/p/1',
      kind: 'product',
      checkIntervalSeconds: 3600,
      status: 'active',
    });
  });

  it('keeps explicit values and selector hints', () => {
    const request = {
      url: 'https://shop.example.com/c/coffee',
      kind: 'listing',
      selectors: { productLink: 'a.product', nextPage: 'a[rel=next]' },
      checkIntervalSeconds: 60,
      status: 'paused',
    };
    expect(CreateTargetRequestSchema.parse(request)).toEqual(request);
  });

  it('rejects unknown fields and names them', () => {
    const result = CreateTargetRequestSchema.safeParse({
      url: 'https://shop.example.com/p/1',
      checkInterval: 60,
      owner: 'x',
    });
    expect(result.success).toBe(false);
    expect(messages(result)).toEqual([': unknown field "checkInterval"; unknown field "owner"']);
  });

  it('rejects unknown selector hints and names them', () => {
    const result = CreateTargetRequestSchema.safeParse({
      url: 'https://shop.example.com/p/1',
      selectors: { title: 'h1' },
    });
    expect(result.success).toBe(false);
    expect(messages(result)).toEqual(['selectors: unknown field "title"']);
  });

  it('requires a url and explains an invalid one', () => {
    expect(messages(CreateTargetRequestSchema.safeParse({}))).toEqual(['url: must be a string']);
    expect(messages(CreateTargetRequestSchema.safeParse({ url: 'ftp://x.example/p' }))).toEqual([
      'url: must use http or https',
    ]);
  });

  it.each([
    [59, 'checkIntervalSeconds: must be at least 60 seconds'],
    [604_801, 'checkIntervalSeconds: must be at most 604800 seconds (7 days)'],
    [90.5, 'checkIntervalSeconds: must be an integer number of seconds'],
    ['3600', 'checkIntervalSeconds: must be an integer number of seconds'],
  ])('rejects checkIntervalSeconds %j', (checkIntervalSeconds, message) => {
    expect(
      messages(
        CreateTargetRequestSchema.safeParse({
          url: 'https://shop.example.com/p/1',
          checkIntervalSeconds,
        }),
      ),
    ).toEqual([message]);
  });

  it('rejects an unknown kind or status', () => {
    expect(
      CreateTargetRequestSchema.safeParse({ url: 'https://shop.example.com/p/1', kind: 'feed' })
        .success,
    ).toBe(false);
    expect(
      CreateTargetRequestSchema.safeParse({
        url: 'https://shop.example.com/p/1',
        status: 'deleted',
      }).success,
    ).toBe(false);
  });
});

describe('SelectorHintsSchema', () => {
  it('rejects empty selectors', () => {
    expect(messages(SelectorHintsSchema.safeParse({ price: '  ' }))).toEqual([
      'price: must not be empty',
    ]);
  });
});

describe('UpdateTargetRequestSchema', () => {
  it('accepts a partial change and null to clear selectors', () => {
    expect(UpdateTargetRequestSchema.parse({ status: 'paused' })).toEqual({ status: 'paused' });
    expect(UpdateTargetRequestSchema.parse({ selectors: null, checkIntervalSeconds: 120 })).toEqual(
      { selectors: null, checkIntervalSeconds: 120 },
    );
  });

  it('requires at least one change', () => {
    expect(messages(UpdateTargetRequestSchema.safeParse({}))).toEqual([
      ': must contain at least one of: selectors, checkIntervalSeconds, status',
    ]);
  });

  it('explains that url and kind cannot be changed', () => {
    expect(
      messages(
        UpdateTargetRequestSchema.safeParse({
          url: 'https://shop.example.com/p/2',
          status: 'paused',
        }),
      ),
    ).toEqual([': "url" cannot be changed; delete the target and create a new one']);
    expect(
      messages(UpdateTargetRequestSchema.safeParse({ kind: 'listing', colour: 'red' })),
    ).toEqual([
      ': "kind" cannot be changed; delete the target and create a new one; unknown field "colour"',
    ]);
  });
});

describe('ListTargetsQuerySchema', () => {
  it('defaults page_size to 20', () => {
    expect(ListTargetsQuerySchema.parse({})).toEqual({ page_size: 20 });
  });

  it('coerces query-string numbers and keeps filters', () => {
    expect(
      ListTargetsQuerySchema.parse({
        page_size: '100',
        page_token: 'abc',
        kind: 'sitemap',
        status: 'active',
      }),
    ).toEqual({
      page_size: 100,
      page_token: 'abc',
      kind: 'sitemap',
      status: 'active',
    });
  });

  it.each([
    ['0', 'page_size: must be at least 1'],
    ['101', 'page_size: must be at most 100'],
    ['2.5', 'page_size: must be an integer'],
  ])('rejects page_size=%s', (page_size, message) => {
    expect(messages(ListTargetsQuerySchema.safeParse({ page_size }))).toEqual([message]);
  });

  it('rejects non-numeric and repeated page_size', () => {
    expect(ListTargetsQuerySchema.safeParse({ page_size: 'ten' }).success).toBe(false);
    expect(ListTargetsQuerySchema.safeParse({ page_size: ['10', '20'] }).success).toBe(false);
  });

  it('rejects unknown query parameters and names them', () => {
    expect(messages(ListTargetsQuerySchema.safeParse({ limit: '10', offset: '5' }))).toEqual([
      ': unknown query parameters: limit, offset',
    ]);
  });
});

describe('TargetSchema', () => {
  it('describes the target resource as the api returns it', () => {
    const target = {
      id: newId(),
      url: 'https://shop.example.com/p/1',
      host: 'shop.example.com',
      kind: 'product',
      selectors: null,
      checkIntervalSeconds: 3600,
      status: 'active',
      nextCheckAt: '2025-01-31T12:00:00.000Z',
      lastCheckedAt: null,
      createdAt: '2025-01-31T11:00:00.000Z',
      updatedAt: '2025-01-31T11:00:00.000Z',
    };
    expect(TargetListSchema.parse({ items: [target], nextPageToken: null })).toEqual({
      items: [target],
      nextPageToken: null,
    });
    expect(
      TargetSchema.safeParse({ ...target, createdAt: '2025-01-31T12:00:00+01:00' }).success,
    ).toBe(false);
  });
});
