import { type PrismaClient, createPrismaClient } from '@shelfwatch/db';
import { handleObservationRecorded, handleScrapeFailed } from '../src/index';
import { at, createTarget, emptyTables, observation, offer, scrapeFailed } from './events';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

describe('handleScrapeFailed against a real PostgreSQL', () => {
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

  const target = () => prisma.target.findUniqueOrThrow({ where: { id: targetId } });
  const health = () => prisma.targetHealth.findUniqueOrThrow({ where: { targetId } });

  it('pauses a target whose page answered 404 three times in a row, with the reason', async () => {
    const first = await handleScrapeFailed(prisma, scrapeFailed(targetId, at(0), 404));
    const second = await handleScrapeFailed(prisma, scrapeFailed(targetId, at(1), 410));
    expect([first.targetPaused, second.targetPaused]).toEqual([false, false]);
    expect((await target()).status).toBe('active');

    const third = await handleScrapeFailed(prisma, scrapeFailed(targetId, at(2), 404));

    expect(third).toMatchObject({ targetPaused: true, consecutiveGone: 3, consecutiveFailures: 3 });
    expect(await target()).toMatchObject({ status: 'paused', nextCheckAt: null });
    const row = await health();
    expect(row.pauseReason).toMatch(/HTTP 404 on 3 consecutive checks/);
    expect(row.pausedAt).toBeInstanceOf(Date);
  });

  it('pauses a target the address guard refused three times in a row, naming the refusal', async () => {
    const refused = (minute: number) =>
      scrapeFailed(targetId, at(minute), undefined, {
        errorClass: 'blocked_address',
        message: 'Refusing to connect to intranet.example (10.0.0.5): private address',
      });
    await handleScrapeFailed(prisma, refused(0));
    await handleScrapeFailed(prisma, refused(1));
    const third = await handleScrapeFailed(prisma, refused(2));

    expect(third.targetPaused).toBe(true);
    expect(await target()).toMatchObject({ status: 'paused', nextCheckAt: null });
    expect((await health()).pauseReason).toMatch(
      /^Address refused: Refusing to connect to intranet\.example \(10\.0\.0\.5\): private address on 3 consecutive checks/,
    );
  });

  it('records on the failed run when the scraper started it', async () => {
    const failed = scrapeFailed(targetId, at(3), 503, { startedAt: at(2) });
    await prisma.scrapeRun.create({ data: { id: failed.data.runId, targetId, status: 'queued' } });

    await handleScrapeFailed(prisma, failed);

    expect(
      await prisma.scrapeRun.findUniqueOrThrow({ where: { id: failed.data.runId } }),
    ).toMatchObject({
      status: 'failed',
      startedAt: new Date(at(2)),
      finishedAt: new Date(at(3)),
    });
  });

  it('counts a redelivered failure once', async () => {
    const repeated = scrapeFailed(targetId, at(1), 404);
    await handleScrapeFailed(prisma, scrapeFailed(targetId, at(0), 404));
    await handleScrapeFailed(prisma, repeated);
    const again = await handleScrapeFailed(prisma, repeated);

    expect(again.duplicate).toBe(true);
    expect(await health()).toMatchObject({ consecutiveGone: 2, consecutiveFailures: 2 });
    expect((await target()).status).toBe('active');
  });

  it('starts the gone streak over after a successful check', async () => {
    await handleScrapeFailed(prisma, scrapeFailed(targetId, at(0), 404));
    await handleScrapeFailed(prisma, scrapeFailed(targetId, at(1), 404));
    await handleObservationRecorded(prisma, observation(targetId, at(2), [offer('10.00')]));
    await handleScrapeFailed(prisma, scrapeFailed(targetId, at(3), 404));

    expect(await health()).toMatchObject({ consecutiveGone: 1, consecutiveFailures: 1 });
    expect((await target()).status).toBe('active');
  });

  it('counts other failures without pausing, and ignores a failure older than the last success', async () => {
    await handleObservationRecorded(prisma, observation(targetId, at(5), [offer('10.00')]));
    await handleScrapeFailed(prisma, scrapeFailed(targetId, at(1), 404));
    for (const minute of [6, 7, 8, 9]) {
      await handleScrapeFailed(prisma, scrapeFailed(targetId, at(minute), 503));
    }

    expect(await health()).toMatchObject({
      consecutiveFailures: 4,
      consecutiveGone: 0,
      lastErrorClass: 'http_5xx',
      lastHttpStatus: 503,
    });
    expect((await target()).status).toBe('active');
  });

  it('marks the run failed with its cause, but never overrides a run that succeeded', async () => {
    const failed = scrapeFailed(targetId, at(0), undefined);
    const succeededRun = scrapeFailed(targetId, at(1), 500);
    await prisma.scrapeRun.createMany({
      data: [
        { id: failed.data.runId, targetId, status: 'running' },
        { id: succeededRun.data.runId, targetId, status: 'succeeded' },
      ],
    });

    await handleScrapeFailed(prisma, failed);
    await handleScrapeFailed(prisma, succeededRun);

    expect(
      await prisma.scrapeRun.findUniqueOrThrow({ where: { id: failed.data.runId } }),
    ).toMatchObject({ status: 'failed', errorClass: 'timeout', errorMessage: 'timed out' });
    expect(
      (await prisma.scrapeRun.findUniqueOrThrow({ where: { id: succeededRun.data.runId } })).status,
    ).toBe('succeeded');
  });

  it('accepts a failure of a target that no longer exists', async () => {
    await prisma.target.delete({ where: { id: targetId } });

    const outcome = await handleScrapeFailed(prisma, scrapeFailed(targetId, at(0), 404));

    expect(outcome).toMatchObject({ duplicate: false, targetPaused: false, consecutiveGone: null });
  });
});
