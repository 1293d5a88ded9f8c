import { ALL_ALERT_KINDS, newId } from '@shelfwatch/contracts';
import { createPrismaClient, type AlertKind, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { handleObservationRecorded } from '../src/index';
import { at, createTarget, emptyTables, observation, offer } from './events';

interface Rules {
  minChangeAmount?: string;
  minChangePercent?: string;
  targetPrice?: string | null;
  kinds?: AlertKind[];
}

const EVERY_KIND: AlertKind[] = [...ALL_ALERT_KINDS];

describe('alert rules per watch against a real PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  let targetId: string;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await emptyTables(prisma);
    targetId = await createTarget(prisma);
  });

  async function watchingAccount(rules: Rules): Promise<string> {
    const accountId = newId();
    await prisma.account.create({ data: { id: accountId, name: `account ${accountId}` } });
    await prisma.watch.create({
      data: {
        id: newId(),
        accountId,
        targetId,
        checkIntervalSeconds: 3600,
        minChangeAmount: rules.minChangeAmount ?? '0',
        minChangePercent: rules.minChangePercent ?? '0',
        targetPrice: rules.targetPrice ?? null,
        alertKinds: rules.kinds ?? EVERY_KIND,
      },
    });
    return accountId;
  }

  const alertsOf = async (accountId: string) =>
    (await prisma.alert.findMany({ where: { accountId }, orderBy: { id: 'asc' } })).map(
      (alert) => alert.kind,
    );

  it('a 3 % drop alerts "any drop", not "at least 5 %", and reaches a target above the new price', async () => {
    const anyDrop = await watchingAccount({});
    const atLeastFive = await watchingAccount({ minChangePercent: '5' });
    const targetAbove = await watchingAccount({ minChangePercent: '5', targetPrice: '98.00' });
    const targetBelow = await watchingAccount({ minChangePercent: '5', targetPrice: '90.00' });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('100.00')]));
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('97.00')]),
    );

    expect(await alertsOf(anyDrop)).toEqual(['new_product', 'price_drop']);
    expect(await alertsOf(atLeastFive)).toEqual(['new_product']);
    expect(await alertsOf(targetAbove)).toEqual(['new_product', 'target_price_reached']);
    expect(await alertsOf(targetBelow)).toEqual(['new_product']);
    const drop = await prisma.alert.findFirstOrThrow({
      where: { accountId: anyDrop, kind: 'price_drop' },
    });
    expect(drop.changePercent?.toFixed()).toBe('-3');
    // One price.changed per account that was told of the drop.
    expect(outcome.events.map((event) => event.data.changeKind)).toEqual(['drop']);
  });

  it('raises target_price_reached on the crossing only, not on every check below the target', async () => {
    const account = await watchingAccount({ targetPrice: '50', kinds: ['target_price_reached'] });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('60')]));
    await handleObservationRecorded(prisma, observation(targetId, at(1), [offer('49.99')]));
    await handleObservationRecorded(prisma, observation(targetId, at(2), [offer('45')]));
    await handleObservationRecorded(prisma, observation(targetId, at(3), [offer('55')]));
    await handleObservationRecorded(prisma, observation(targetId, at(4), [offer('50')]));

    expect(await alertsOf(account)).toEqual(['target_price_reached', 'target_price_reached']);
  });

  it('raises only the kinds a watch asks for, and an amount minimum per watch', async () => {
    const stockOnly = await watchingAccount({ kinds: ['out_of_stock', 'back_in_stock'] });
    const bigDrops = await watchingAccount({ minChangeAmount: '10', kinds: ['price_drop'] });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('100')]));
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('95', { availability: 'OutOfStock' })]),
    );
    await handleObservationRecorded(prisma, observation(targetId, at(2), [offer('80')]));

    expect(await alertsOf(stockOnly)).toEqual(['out_of_stock', 'back_in_stock']);
    expect(await alertsOf(bigDrops)).toEqual(['price_drop']);
  });
});
