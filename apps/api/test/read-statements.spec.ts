import { formatAmount, newId, type Money } from '@shelfwatch/contracts';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import {
  createTestAccount,
  startApiHarness,
  withKey,
  type ApiHarness,
  type TestAccount,
} from './api-harness';
import { epochMsSql } from '../src/read/sql-text';

/*
 * The hot reads answer from one SQL statement each with amounts and times formatted by
 * PostgreSQL (ADR 0022). These tests hold them to what the routes answered before: the same
 * rows read through Prisma's query builder and mapped as the old mappers did (Decimal#toFixed,
 * Date#toISOString), on the values most likely to differ: microseconds at millisecond
 * boundaries, amounts of every scale in currencies of 0, 2 and 3 minor units, null prices,
 * health times equal to the millisecond, paused targets, page tokens and filters.
 */

type Decimal = Prisma.Decimal;

function referenceMoney(amount: Decimal | null, currency: string | null): Money | null {
  return amount === null || !currency
    ? null
    : { amount: formatAmount(amount.toFixed(), currency), currency };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** GET /v1/watches/:id as it was mapped before the statement. */
async function referenceWatches(prisma: PrismaClient, accountId: string) {
  const rows = await prisma.watch.findMany({
    where: { accountId },
    include: { target: { include: { health: true } } },
    orderBy: { id: 'desc' },
  });
  return rows.map((row) => {
    const { target } = row;
    const health = target.health;
    const success = health?.lastSuccessAt ?? null;
    const failure = health?.lastFailureAt ?? null;
    const lastOutcome =
      success === null && failure === null
        ? null
        : failure !== null && (success === null || failure > success)
          ? 'failed'
          : 'succeeded';
    return {
      id: row.id,
      targetId: target.id,
      url: target.url,
      kind: target.kind,
      labels: row.labels,
      checkIntervalSeconds: row.checkIntervalSeconds,
      rules: {
        minChangeAmount: row.minChangeAmount.toFixed(),
        minChangePercent: row.minChangePercent.toFixed(),
        targetPrice: row.targetPrice?.toFixed() ?? null,
        kinds: row.alertKinds,
      },
      paused: row.pausedAt !== null,
      pausedAt: iso(row.pausedAt),
      health: {
        status: target.status,
        lastCheckedAt: iso(target.lastCheckedAt),
        lastOutcome,
        lastSuccessAt: iso(success),
        lastFailureAt: iso(failure),
        lastErrorClass: health?.lastErrorClass ?? null,
        lastErrorMessage: health?.lastErrorMessage ?? null,
        consecutiveFailures: health?.consecutiveFailures ?? 0,
        pauseReason:
          target.status !== 'paused'
            ? null
            : row.pausedAt
              ? 'You paused this watch.'
              : (health?.pauseReason ?? 'Paused by an operator.'),
      },
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

async function referenceAlerts(prisma: PrismaClient, where: Prisma.AlertWhereInput) {
  const rows = await prisma.alert.findMany({ where, orderBy: { id: 'desc' } });
  return rows.map((row) => ({
    id: row.id,
    productId: row.productId,
    targetId: row.targetId,
    watchId: row.watchId,
    kind: row.kind,
    previous: referenceMoney(row.previousAmount, row.previousCurrency),
    current: referenceMoney(row.currentAmount, row.currentCurrency),
    previousAvailability: row.previousAvailability,
    availability: row.currentAvailability,
    changePercent: row.changePercent?.toFixed() ?? null,
    observedAt: row.observedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    eventId: row.eventId,
  }));
}

async function referenceTargets(prisma: PrismaClient, where: Prisma.TargetWhereInput = {}) {
  const rows = await prisma.target.findMany({ where, orderBy: { id: 'desc' } });
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    host: row.host,
    kind: row.kind,
    selectors: row.selectors ?? null,
    checkIntervalSeconds: row.checkIntervalSeconds,
    status: row.status,
    nextCheckAt: iso(row.nextCheckAt),
    lastCheckedAt: iso(row.lastCheckedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

async function referencePrices(prisma: PrismaClient, productId: string) {
  const rows = await prisma.pricePoint.findMany({
    where: { productId },
    orderBy: [{ observedAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((row) => ({
    id: row.id,
    observedAt: row.observedAt.toISOString(),
    price: referenceMoney(row.amount, row.currency),
    listPrice: referenceMoney(row.listPrice, row.currency),
    availability: row.availability,
    notModified: row.notModified,
    runId: row.runId,
  }));
}

/** Every item of a list route, page by page (`page_size` small, so tokens are exercised). */
async function allPages(
  agent: ReturnType<typeof withKey>,
  path: string,
  query: Record<string, string | number> = {},
): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | null = null;
  do {
    const response = await agent
      .get(path)
      .query({ page_size: 2, ...query, ...(token ? { page_token: token } : {}) });
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    token = response.body.nextPageToken;
  } while (token);
  return items;
}

// Microseconds that round up, sit on a boundary or give binary-float trouble (.029 * 1000).
const TIMES = [
  '2026-03-01T10:00:00.999999Z',
  '2026-03-01T10:00:00.029999Z',
  '2026-03-01T10:00:00.0005Z',
  '2026-03-01T10:00:00Z',
  '1999-12-31T23:59:59.999500Z',
];
// Both sides of the years whose epoch milliseconds the reads compute in integers (1970-2100,
// ADR 0046), and far from them.
const FAR_TIMES = [
  '1850-06-01T12:00:00.123999Z',
  '1969-12-31T23:59:59.999500Z',
  '1970-01-01T00:00:00.000999Z',
  '2099-12-31T23:59:59.999999Z',
  '2100-01-01T00:00:00.000500Z',
  '2150-06-01T12:00:00.999999Z',
];
// A failure microseconds after a success, in the same millisecond: the Dates were equal.
const SAME_MS = ['2026-03-01T10:00:00.100200Z', '2026-03-01T10:00:00.100700Z'];

describe('the one-statement reads answer exactly what the query builder and the old mappers did', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let reader: TestAccount;
  let operator: TestAccount;
  let productId: string;
  const targetIds: string[] = [];

  const sql = (text: string) => prisma.$executeRawUnsafe(text);

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    reader = await createTestAccount(prisma);
    operator = await createTestAccount(prisma, { operator: true });
    const stranger = await createTestAccount(prisma);
    // Five targets: active and paused, with and without health, an error, equal times; the
    // reader paused two watches (of a paused and an active target).
    for (const [index, time] of TIMES.entries()) {
      const id = newId();
      targetIds.push(id);
      const paused = index % 2 === 1;
      await sql(`
        INSERT INTO targets (id, url, host, kind, selectors, check_interval_seconds, status,
                             next_check_at, last_checked_at, created_at, updated_at)
        VALUES ('${id}', 'https://shop.example.com/p/${index}', 'shop.example.com',
                '${index === 4 ? 'sitemap' : 'product'}',
                ${index === 0 ? `'{"price": ".amount", "name": "h1"}'` : 'NULL'}, ${600 + index},
                '${paused ? 'paused' : 'active'}', ${paused ? 'NULL' : `'${time}'`},
                ${index === 3 ? 'NULL' : `'${time}'`}, '${time}', '${time}')`);
      if (index < 4)
        await sql(`
          INSERT INTO target_health (target_id, consecutive_failures, last_success_at,
                                     last_failure_at, last_error_class, last_error_message,
                                     pause_reason, updated_at)
          VALUES ('${id}', ${index},
                  ${index === 0 ? `'${SAME_MS[0]}'` : index === 2 ? 'NULL' : `'${time}'`},
                  ${
                    index === 0
                      ? `'${SAME_MS[1]}'`
                      : index === 3
                        ? 'NULL'
                        : `'${time}'::timestamptz + interval '1 second'`
                  },
                  ${index === 1 ? `'http'` : 'NULL'}, ${index === 1 ? `'HTTP 503 "busy"\n'` : 'NULL'},
                  ${index === 3 ? `'Gone: 404 three times'` : 'NULL'}, now())`);
      await sql(`
        INSERT INTO watches (id, account_id, target_id, labels, check_interval_seconds,
                             min_change_amount, min_change_percent, target_price, alert_kinds,
                             paused_at, created_at, updated_at)
        VALUES ('${newId()}', '${reader.accountId}', '${id}',
                '${index % 2 === 0 ? '{kitchen,"a b"}' : '{}'}', ${600 + index},
                ${['0', '0.50', '10.000', '1e-7', '123456789012345678901234.5'][index]},
                ${['0', '5', '12.50', '0.001', '100'][index]},
                ${index === 2 ? 'NULL' : ['79.00', '0', 'NULL', '1000000', '0.10'][index]},
                '${index === 4 ? '{}' : '{price_drop,back_in_stock}'}',
                ${index === 1 || index === 2 ? `'${time}'` : 'NULL'}, '${time}', '${time}')`);
      await sql(`
        INSERT INTO watches (id, account_id, target_id, check_interval_seconds, alert_kinds, updated_at)
        VALUES ('${newId()}', '${stranger.accountId}', '${id}', 3600, '{}', now())`);
    }
    productId = newId();
    await sql(`
      INSERT INTO products (id, target_id, url, canonical_url, variant_key, host, name, currency,
                            latest_availability, latest_observed_at, first_seen_at, updated_at)
      VALUES ('${productId}', '${targetIds[0]}', 'https://shop.example.com/p/0',
              'https://shop.example.com/p/0', '', 'shop.example.com', 'Kettle', 'EUR', 'InStock',
              now(), now(), now())`);
    // Alerts in three currencies, amounts of every scale, null prices and percentages.
    const amounts: Array<[string | null, string | null, string | null]> = [
      ['20', 'EUR', '-12.5'],
      ['19.9', 'EUR', '0'],
      ['1500', 'JPY', '-0.333333333333'],
      ['1.5', 'KWD', '100.000'],
      [null, null, null],
      ['0.000', 'USD', '-100'],
      ['24.990', 'EUR', null],
    ];
    for (const [index, [amount, currency, percent]] of amounts.entries())
      await sql(`
        INSERT INTO alerts (id, product_id, target_id, kind, previous_amount, previous_currency,
                            current_amount, current_currency, previous_availability,
                            current_availability, change_percent, observed_at, source_event_id,
                            event_id, watch_id, account_id, created_at)
        VALUES ('${newId()}', '${productId}', ${index === 6 ? 'NULL' : `'${targetIds[0]}'`},
                '${index % 3 === 0 ? 'price_drop' : index % 3 === 1 ? 'back_in_stock' : 'new_product'}',
                ${amount === null ? 'NULL' : `${amount} * 2`}, ${currency === null ? 'NULL' : `'${currency}'`},
                ${amount ?? 'NULL'}, ${currency === null ? 'NULL' : `'${currency}'`},
                ${index === 4 ? 'NULL' : `'OutOfStock'`}, 'InStock',
                ${percent ?? 'NULL'}, '${TIMES[index % TIMES.length]}', '${newId()}',
                ${index % 2 === 0 ? `'${newId()}'` : 'NULL'}, NULL, '${reader.accountId}',
                '${TIMES[(index + 1) % TIMES.length]}')`);
    for (const [index, time] of FAR_TIMES.entries())
      await sql(`
        INSERT INTO alerts (id, product_id, target_id, kind, current_amount, current_currency,
                            current_availability, observed_at, source_event_id, account_id,
                            created_at)
        VALUES ('${newId()}', '${productId}', '${targetIds[0]}', 'price_drop', 9.99, 'EUR',
                'InStock', '${time}', '${newId()}', '${reader.accountId}',
                '${FAR_TIMES[FAR_TIMES.length - 1 - index]}')`);
    // A year of points with null prices among them and times at millisecond edges, and points
    // far in the past and future.
    await sql(`
      INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency,
                                availability, source_event_id)
      SELECT gen_random_uuid(), '${productId}', gen_random_uuid(), time::timestamptz, 9.99, 'EUR',
             'InStock', gen_random_uuid()
        FROM unnest(ARRAY['${FAR_TIMES.join("','")}']) AS time`);
    await sql(`
      INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency, list_price,
                                availability, not_modified, source_event_id)
      SELECT gen_random_uuid(), '${productId}', gen_random_uuid(),
             '2026-01-01'::timestamptz + make_interval(days => d) + make_interval(secs => d * 0.000999),
             CASE WHEN d % 5 = 0 THEN NULL ELSE 19.9 + d / 1000.0 END,
             CASE WHEN d % 11 = 0 THEN NULL ELSE 'EUR' END,
             CASE WHEN d % 3 = 0 THEN 29.900 ELSE NULL END,
             CASE WHEN d % 5 = 0 THEN 'OutOfStock' ELSE 'InStock' END::availability,
             d % 7 = 0, gen_random_uuid()
        FROM generate_series(1, 40) AS d`);
  });

  afterAll(() => harness.close());

  it('answers every watch, one by one and page by page, as before', async () => {
    const expected = await referenceWatches(prisma, reader.accountId);
    expect(expected).toHaveLength(TIMES.length);
    const agent = withKey(app, reader.apiKey.key);
    expect(await allPages(agent, '/v1/watches')).toEqual(expected);
    for (const watch of expected) {
      const response = await agent.get(`/v1/watches/${watch.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(watch);
    }
  });

  it('filters watches by label as before, and shows another account none of them', async () => {
    const agent = withKey(app, reader.apiKey.key);
    const labelled = (await referenceWatches(prisma, reader.accountId)).filter((watch) =>
      watch.labels.includes('a b'),
    );
    expect(labelled).toHaveLength(3);
    expect(await allPages(agent, '/v1/watches', { label: 'a b' })).toEqual(labelled);
    const [mine] = labelled;
    const other = withKey(app, operator.apiKey.key);
    expect((await other.get(`/v1/watches/${mine!.id}`)).status).toBe(404);
    expect(await allPages(other, '/v1/watches')).toEqual([]);
  });

  it('answers every alert, page by page and filtered, as before', async () => {
    const agent = withKey(app, reader.apiKey.key);
    const mine = { accountId: reader.accountId };
    expect(await allPages(agent, '/v1/alerts')).toEqual(await referenceAlerts(prisma, mine));
    expect(await allPages(agent, '/v1/alerts', { kind: 'back_in_stock' })).toEqual(
      await referenceAlerts(prisma, { ...mine, kind: 'back_in_stock' }),
    );
    expect(
      await allPages(agent, '/v1/alerts', { product_id: productId, kind: 'new_product' }),
    ).toEqual(await referenceAlerts(prisma, { ...mine, productId, kind: 'new_product' }));
    expect(await allPages(agent, '/v1/alerts', { product_id: newId() })).toEqual([]);
  });

  it('answers every target, one by one, page by page and filtered, as before', async () => {
    const agent = withKey(app, operator.apiKey.key);
    const expected = await referenceTargets(prisma);
    expect(await allPages(agent, '/v1/targets')).toEqual(expected);
    for (const target of expected)
      expect((await agent.get(`/v1/targets/${target.id}`)).body).toEqual(target);
    expect(await allPages(agent, '/v1/targets', { status: 'paused', kind: 'product' })).toEqual(
      await referenceTargets(prisma, { status: 'paused', kind: 'product' }),
    );
  });

  it('computes epoch milliseconds in SQL exactly as truncating the exact epoch would', async () => {
    // Random microsecond times from 1900 to 2150, and every microsecond of the seconds around
    // 1970, 2038 (2^31 s) and 2100, where the integer path starts, errs most and ends.
    const [{ n, differ }] = await prisma.$queryRawUnsafe<Array<{ n: number; differ: number }>>(`
      WITH v AS (
        SELECT '1900-01-01T00:00:00Z'::timestamptz
                 + make_interval(secs => floor(random() * 7889400000)::float8)
                 + make_interval(secs => floor(random() * 1000000) / 1000000) AS x
          FROM generate_series(1, 100000)
        UNION ALL
        SELECT edge::timestamptz + make_interval(secs => g / 1000000.0)
          FROM unnest(ARRAY['1969-12-31T23:59:59Z', '2038-01-19T03:14:07Z',
                            '2099-12-31T23:59:59Z']) AS edge,
               generate_series(0, 1999999, 11) AS g
      )
      SELECT count(*)::int AS n,
             count(*) FILTER (WHERE ${epochMsSql('x')} <> floor(extract(epoch FROM x) * 1000)::float8)::int
               AS differ
        FROM v`);
    expect(n).toBeGreaterThan(600_000);
    expect(differ).toBe(0);
  });

  it('answers the price history, page by page and whole, as before', async () => {
    const agent = withKey(app, reader.apiKey.key);
    const expected = await referencePrices(prisma, productId);
    expect(expected).toHaveLength(40 + FAR_TIMES.length);
    expect(await allPages(agent, `/v1/products/${productId}/prices`)).toEqual(expected);
    const whole = await agent.get(`/v1/products/${productId}/prices`).query({ page_size: 100 });
    expect(whole.body).toEqual({ productId, items: expected, nextPageToken: null });
  });
});
