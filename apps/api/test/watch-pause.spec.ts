import { derivedId, newId } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { handleProductsDiscovered } from '../src/discovery/handle-products-discovered';
import { createSchedulerTick } from '../src/scheduling/scheduler';
import {
  createTwoAccounts,
  startApiHarness,
  type ApiHarness,
  type TwoAccounts,
} from './api-harness';

const PAGE = 'https://shop.example.com/p/kettle';
const MINUTE = 60_000;

describe('pausing and resuming a watch', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let asAlice: TwoAccounts['asAlice'];
  let asBob: TwoAccounts['asBob'];

  beforeAll(async () => {
    harness = await startApiHarness();
    prisma = harness.prisma;
    ({ asAlice, asBob } = await createTwoAccounts(harness, 'pause'));
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    await prisma.$executeRawUnsafe(
      'TRUNCATE outbox_events, scrape_runs, watches, targets, processed_events CASCADE',
    );
  });

  /** One scheduler tick at `at`: the target ids it requested a scrape of, read from the outbox. */
  async function tickAt(at: Date): Promise<string[]> {
    const result = await createSchedulerTick({
      prisma,
      relay: { wake: () => undefined },
      now: () => at,
    })();
    const requested = await prisma.outboxEvent.findMany({
      where: { eventId: { in: result.runIds.map((id) => derivedId(id, 'scrape.requested')) } },
    });
    expect(requested).toHaveLength(result.runIds.length);
    const runs = await prisma.scrapeRun.findMany({ where: { id: { in: result.runIds } } });
    return runs.map((run) => run.targetId);
  }

  it('stops requesting scrapes while paused and requests one at once on resume', async () => {
    const created = await asAlice
      .post('/v1/watches')
      .send({ url: PAGE, checkIntervalSeconds: 600 });
    expect(created.status).toBe(201);
    const { id, targetId } = created.body;
    const start = new Date();
    expect(await tickAt(start)).toEqual([targetId]);

    const paused = await asAlice.patch(`/v1/watches/${id}`).send({ paused: true });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      paused: true,
      health: { status: 'paused', pauseReason: 'You paused this watch.' },
    });
    expect(Date.parse(paused.body.pausedAt)).toBeGreaterThanOrEqual(start.getTime() - 1000);
    // Intervals pass, nothing is requested.
    for (const minutes of [10, 20, 120])
      expect(await tickAt(new Date(start.getTime() + minutes * MINUTE))).toEqual([]);

    // Pausing twice keeps the first pause's time.
    const again = await asAlice.patch(`/v1/watches/${id}`).send({ paused: true });
    expect(again.body.pausedAt).toBe(paused.body.pausedAt);

    const resumed = await asAlice.patch(`/v1/watches/${id}`).send({ paused: false });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      paused: false,
      pausedAt: null,
      health: { status: 'active', pauseReason: null },
    });
    const resumedAt = new Date();
    expect(await tickAt(resumedAt)).toEqual([targetId]);
    expect(await tickAt(new Date(resumedAt.getTime() + 9 * MINUTE))).toEqual([]);
    expect(await tickAt(new Date(resumedAt.getTime() + 10 * MINUTE))).toEqual([targetId]);
  });

  it('schedules a shared page at the shortest interval of its active watches only', async () => {
    const fast = await asAlice.post('/v1/watches').send({ url: PAGE, checkIntervalSeconds: 600 });
    const slow = await asBob.post('/v1/watches').send({ url: PAGE, checkIntervalSeconds: 3600 });
    const targetId = fast.body.targetId;
    expect(slow.body.targetId).toBe(targetId);
    const interval = async () =>
      (await prisma.target.findUniqueOrThrow({ where: { id: targetId } })).checkIntervalSeconds;
    expect(await interval()).toBe(600);

    // Alice's 10 minutes pause: Bob's hour schedules the page; it stays active for him.
    await asAlice.patch(`/v1/watches/${fast.body.id}`).send({ paused: true });
    expect(await interval()).toBe(3600);
    const start = new Date();
    expect(await tickAt(start)).toEqual([targetId]);
    expect(await tickAt(new Date(start.getTime() + 30 * MINUTE))).toEqual([]);
    expect(await tickAt(new Date(start.getTime() + 60 * MINUTE))).toEqual([targetId]);
    const bobsView = await asBob.get(`/v1/watches/${slow.body.id}`);
    expect(bobsView.body).toMatchObject({ paused: false, health: { status: 'active' } });
    const alicesView = await asAlice.get(`/v1/watches/${fast.body.id}`);
    expect(alicesView.body).toMatchObject({ paused: true, health: { status: 'active' } });

    // Bob pauses too: no active watch is left, so the page is not checked at all.
    await asBob.patch(`/v1/watches/${slow.body.id}`).send({ paused: true });
    expect(await prisma.target.findUniqueOrThrow({ where: { id: targetId } })).toMatchObject({
      status: 'paused',
      nextCheckAt: null,
    });
    expect(await tickAt(new Date(start.getTime() + 24 * 60 * MINUTE))).toEqual([]);

    // Alice resumes: checked at once and every 10 minutes again.
    await asAlice.patch(`/v1/watches/${fast.body.id}`).send({ paused: false });
    expect(await interval()).toBe(600);
    const resumedAt = new Date();
    expect(await tickAt(resumedAt)).toEqual([targetId]);
    expect(await tickAt(new Date(resumedAt.getTime() + 10 * MINUTE))).toEqual([targetId]);
  });

  it('keeps a shared page active when one account pauses while another resumes at the same time', async () => {
    const alices = await asAlice.post('/v1/watches').send({ url: PAGE, checkIntervalSeconds: 600 });
    const bobs = await asBob.post('/v1/watches').send({ url: PAGE, checkIntervalSeconds: 600 });
    const targetId = alices.body.targetId;
    await asBob.patch(`/v1/watches/${bobs.body.id}`).send({ paused: true });
    for (let round = 0; round < 10; round++) {
      // Alice pauses the last active watch while Bob resumes his; then the other way round.
      const [pausing, resuming] = round % 2 === 0 ? [alices, bobs] : [bobs, alices];
      const [asPausing, asResuming] = round % 2 === 0 ? [asAlice, asBob] : [asBob, asAlice];
      const answers = await Promise.all([
        asPausing.patch(`/v1/watches/${pausing.body.id}`).send({ paused: true }),
        asResuming.patch(`/v1/watches/${resuming.body.id}`).send({ paused: false }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const target = await prisma.target.findUniqueOrThrow({ where: { id: targetId } });
      expect({ round, status: target.status, due: target.nextCheckAt !== null }).toEqual({
        round,
        status: 'active',
        due: true,
      });
    }
  });

  it('answers 404 when another account pauses or resumes a watch, and leaves it as it was', async () => {
    const mine = await asAlice.post('/v1/watches').send({ url: PAGE });
    for (const paused of [true, false]) {
      const answer = await asBob.patch(`/v1/watches/${mine.body.id}`).send({ paused });
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toBe(`Your account has no watch with id ${mine.body.id}`);
    }
    const row = await prisma.watch.findUniqueOrThrow({ where: { id: mine.body.id } });
    expect(row.pausedAt).toBeNull();
    expect((await prisma.target.findUniqueOrThrow({ where: { id: row.targetId } })).status).toBe(
      'active',
    );
  });

  it('rejects a paused flag that is not a boolean with a 400 naming the field', async () => {
    const mine = await asAlice.post('/v1/watches').send({ url: PAGE });
    const answer = await asAlice.patch(`/v1/watches/${mine.body.id}`).send({ paused: 'yes' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ path: 'body.paused', message: 'must be true or false' }),
    ]);
    const row = await prisma.watch.findUniqueOrThrow({ where: { id: mine.body.id } });
    expect(row.pausedAt).toBeNull();
  });

  it('shows paused watches in the list and gives a paused sitemap watch paused product watches', async () => {
    const sitemap = await asAlice
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/sitemap.xml', kind: 'sitemap', labels: ['all'] });
    const other = await asAlice.post('/v1/watches').send({ url: PAGE });
    await asAlice.patch(`/v1/watches/${sitemap.body.id}`).send({ paused: true });
    // Bob keeps the sitemap checked, so its products are still discovered.
    await asBob
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/sitemap.xml', kind: 'sitemap' });

    await handleProductsDiscovered(prisma, {
      id: newId(),
      type: 'products.discovered',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'shelfwatch/scraper',
      data: {
        runId: newId(),
        sourceTargetId: sitemap.body.targetId,
        urls: ['https://shop.example.com/p/toaster'],
        discoveredAt: new Date().toISOString(),
      },
    });

    const list = await asAlice.get('/v1/watches');
    const byUrl = new Map<string, { paused: boolean; health: { status: string } }>(
      list.body.items.map((item: { url: string }) => [item.url, item]),
    );
    expect(byUrl.get('https://shop.example.com/sitemap.xml')).toMatchObject({ paused: true });
    expect(byUrl.get(PAGE)).toMatchObject({ paused: false });
    expect(byUrl.get('https://shop.example.com/p/toaster')).toMatchObject({
      paused: true,
      health: { status: 'active' },
    });
    expect(other.status).toBe(201);
  });
});
