// Our Cloud Logging lines against @google-cloud/logging-winston's (ADR 0039): the same scenario of
// log calls runs once through each writer, on a fixed clock, and the lines must be the same text
// but for the insert ids, which hold a per-process random part and are checked for their form.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCENARIO = path.join(__dirname, 'fixtures', 'equality-scenario.ts');
const INSERT_ID_KEY = 'logging.googleapis.com/insertId';

type Writer = 'ours' | 'logging-winston';

function linesOf(writer: Writer, env: Record<string, string>): string[] {
  const { METADATA_SERVER_DETECTION, PATH, HOME } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCENARIO], {
    env: { PATH, HOME, METADATA_SERVER_DETECTION, LOG_WRITER: writer, ...env },
    encoding: 'utf8',
    // A guard against a hung child only; a loaded CI machine takes a few seconds per run.
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter((line) => line !== '');
}

/** The insert ids, after checking their form and order; the lines with each id's place instead. */
function withoutInsertIds(lines: string[]): { ids: string[]; lines: string[] } {
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const ids = entries.map((entry) => String(entry[INSERT_ID_KEY]));
  return {
    ids,
    lines: entries.map((entry, index) => JSON.stringify({ ...entry, [INSERT_ID_KEY]: index })),
  };
}

describe.each([
  [
    'with a project and a revision',
    { GOOGLE_CLOUD_PROJECT: 'shelfwatch-test', K_REVISION: 'scenario-00001' },
  ],
  ['without either, under a service name that needs encoding', { SCENARIO_SERVICE: 'relay/v2 ü' }],
])('%s', (_name, env) => {
  let ours: ReturnType<typeof withoutInsertIds>;
  let reference: ReturnType<typeof withoutInsertIds>;

  beforeAll(() => {
    ours = withoutInsertIds(linesOf('ours', env));
    reference = withoutInsertIds(linesOf('logging-winston', env));
  });

  it('runs the whole scenario through both writers', () => {
    expect(reference.lines).toHaveLength(40);
    expect(ours.lines).toHaveLength(reference.lines.length);
    const messages = reference.lines.map(
      (line) => (JSON.parse(line) as { message: string }).message,
    );
    for (const expected of [
      /^at silly$/,
      /^from a grandchild$/,
      /^could not list products Error: database is gone\n\s+at /,
      /^GET \/products\?page=2 200 12\.0ms$/,
      /^GET \/through-a-child 200 /,
      /^done$/,
    ])
      expect(messages.some((message) => expected.test(message))).toBe(true);
  });

  it('writes the same lines as logging-winston, field for field and in the same order', () => {
    const parse = (lines: string[]) => lines.map((line) => JSON.parse(line) as unknown);
    expect(parse(ours.lines)).toEqual(parse(reference.lines));
    expect(ours.lines).toEqual(reference.lines);
  });

  it('gives every line a unique insert id in the client form, rising in the order written', () => {
    for (const { ids } of [ours, reference]) {
      for (const id of ids) expect(id).toMatch(/^[.0-9A-Z_a-z]{32}$/);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
    }
  });

  it('writes no secret of the scenario in any line', () => {
    const output = ours.lines.join('\n');
    for (const secret of [
      'hunter2',
      'child-s3cret',
      'by-hand-s3cret',
      'query-s3cret',
      'body-s3cret',
      's3cr3t-t0ken',
      'abc123',
      'k-123',
      'url-s3cret',
      'referer-s3cret',
      'agent-s3cret',
      'leaked.jwt.value',
      'Kq3_x-',
    ])
      expect(output).not.toContain(secret);
  });
});
