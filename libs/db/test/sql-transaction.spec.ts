import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import {
  createPrismaClient,
  sqlPoolOf,
  withSqlTransaction,
  type PrismaClient,
  type SqlClient,
} from '../src/index';

const insertInboxRow = (client: SqlClient, eventId: string) =>
  client.query(
    `INSERT INTO processed_events (consumer, event_id, event_type) VALUES ('sql-test', $1, 'test')`,
    [eventId],
  );

const inboxRow = (prisma: PrismaClient, eventId: string) =>
  prisma.processedEvent.findFirst({ where: { consumer: 'sql-test', eventId } });

describe('withSqlTransaction on the pool under a Prisma client', () => {
  let database: TestDatabase<PrismaClient>;
  beforeAll(async () => {
    // One connection, and a pool that gives up waiting for it after 1 s.
    database = await createTestDatabase((options) =>
      createPrismaClient({ ...options, pool: { max: 1, connectionTimeoutMillis: 1_000 } }),
    );
  });
  afterAll(() => database.drop());

  const options = { maxWaitMs: 30_000, statementTimeoutMs: 30_000 };

  it('commits what the work wrote, visible to Prisma on the same pool', async () => {
    const eventId = randomUUID();
    const answer = await withSqlTransaction(sqlPoolOf(database.prisma), options, async (client) => {
      await insertInboxRow(client, eventId);
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await inboxRow(database.prisma, eventId)).not.toBeNull();
  });

  it('rolls back everything when the work throws, and hands the error on', async () => {
    const eventId = randomUUID();
    await expect(
      withSqlTransaction(sqlPoolOf(database.prisma), options, async (client) => {
        await insertInboxRow(client, eventId);
        throw new Error('poison');
      }),
    ).rejects.toThrow('poison');
    expect(await inboxRow(database.prisma, eventId)).toBeNull();
    // The connection went back to the pool usable.
    await withSqlTransaction(sqlPoolOf(database.prisma), options, (client) =>
      insertInboxRow(client, randomUUID()),
    );
  });

  it('waits for the only connection past the pool’s own timeout, up to its maxWaitMs', async () => {
    const pool = sqlPoolOf(database.prisma);
    const held = await pool.connect();
    let waited = false;
    const second = withSqlTransaction(pool, options, async (client) => {
      waited = true;
      await insertInboxRow(client, randomUUID());
    });
    // At least two of the pool's 1 s waits run out while the connection is held.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(waited).toBe(false);
    held.release();
    await second;
    expect(waited).toBe(true);
  });

  it('gives up once maxWaitMs is spent', async () => {
    const pool = sqlPoolOf(database.prisma);
    const held = await pool.connect();
    try {
      await expect(
        withSqlTransaction(pool, { ...options, maxWaitMs: 0 }, async () => undefined),
      ).rejects.toThrow(/timeout/i);
    } finally {
      held.release();
    }
  });

  it('rejects, and leaves the process and the pool working, when the server ends its connection', async () => {
    const pool = sqlPoolOf(database.prisma);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await expect(
        withSqlTransaction(pool, options, async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          await client.query('SELECT pg_sleep(1)');
        }),
      ).rejects.toThrow();
    } finally {
      await admin.end();
    }
    // The ended connection was discarded: the next transaction gets a fresh one.
    const eventId = randomUUID();
    await withSqlTransaction(pool, options, (client) => insertInboxRow(client, eventId));
    expect(await inboxRow(database.prisma, eventId)).not.toBeNull();
  });

  it('refuses a client that createPrismaClient did not make', () => {
    expect(() => sqlPoolOf({})).toThrow(/not made by createPrismaClient/);
  });
});
