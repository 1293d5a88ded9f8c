import { Client } from 'pg';
import {
  createEmptyTestDatabase,
  createTestDatabase,
  dropTestDatabase,
  queryRows,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
  testDatabaseServerUrl,
} from '../src/index';

/** The smallest client createTestDatabase accepts: a pg connection behind `$disconnect`. */
function connectPg(options: { databaseUrl: string }) {
  const client = new Client({ connectionString: options.databaseUrl });
  const connected = client.connect();
  return {
    client,
    connected,
    $disconnect: async () => {
      await connected;
      await client.end();
    },
  };
}

describe('test databases cloned from a prepared template', () => {
  const prepared: string[] = [];

  beforeAll(async () => {
    await testDatabaseGlobalSetup({
      prepareTemplate: async (templateUrl) => {
        prepared.push(templateUrl);
        await queryRows(templateUrl, 'CREATE TABLE greeting (text text)');
        await queryRows(templateUrl, "INSERT INTO greeting VALUES ('from the template')");
      },
    });
  });

  afterAll(() => testDatabaseGlobalTeardown());

  it('prepares the template once, and each database starts from it', async () => {
    const first = await createTestDatabase(connectPg);
    const second = await createTestDatabase(connectPg);
    try {
      expect(prepared).toHaveLength(1);
      await first.prisma.connected;
      await first.prisma.client.query("INSERT INTO greeting VALUES ('only in the first')");
      expect(await queryRows(first.url, 'SELECT text FROM greeting ORDER BY text')).toEqual([
        { text: 'from the template' },
        { text: 'only in the first' },
      ]);
      expect(await queryRows(second.url, 'SELECT text FROM greeting')).toEqual([
        { text: 'from the template' },
      ]);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });

  it('drops a database and disconnects its client on drop()', async () => {
    const database = await createTestDatabase(connectPg);
    const name = new URL(database.url).pathname.slice(1);
    await database.drop();

    const rows = await queryRows(
      testDatabaseServerUrl(),
      `SELECT datname FROM pg_database WHERE datname = '${name}'`,
    );
    expect(rows).toEqual([]);
  });

  it('hands out empty databases for tests of migrations themselves', async () => {
    const url = await createEmptyTestDatabase();
    expect(
      await queryRows(
        url,
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
      ),
    ).toEqual([{ tables: 0 }]);
    await dropTestDatabase(url);
  });

  it('drops a database it handed out, and refuses to drop any database it did not make', async () => {
    const url = await createEmptyTestDatabase();
    const name = new URL(url).pathname.slice(1);
    const named = () =>
      queryRows(testDatabaseServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    expect(await named()).toHaveLength(1);

    await dropTestDatabase(url);
    expect(await named()).toHaveLength(0);
    await expect(dropTestDatabase(testDatabaseServerUrl())).rejects.toThrow(
      'Not a test database of this run: "postgres"',
    );
  });
});
