import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';

const script = join(workspaceRoot, 'tools/db/prisma-generate.ts');
const tsx = join(workspaceRoot, 'node_modules/.bin/tsx');

/** Modification times of every generated file, by path. */
function generatedFiles(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[path] = statSync(path).mtimeMs;
    }
  };
  walk(join(dir, 'src/generated'));
  return files;
}

describe('db:prisma-generate', () => {
  let dbCopy: string;
  const generate = () =>
    execFileSync(tsx, [script, dbCopy], {
      encoding: 'utf8',
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });

  beforeAll(() => {
    // Inside the checkout (tmp/ is git-ignored), so the copy resolves the installed Prisma.
    mkdirSync(join(workspaceRoot, 'tmp'), { recursive: true });
    dbCopy = mkdtempSync(join(workspaceRoot, 'tmp', 'prisma-generate-'));
    const db = join(workspaceRoot, 'libs/db');
    for (const entry of ['prisma.config.ts', 'prisma/schema.prisma'])
      cpSync(join(db, entry), join(dbCopy, entry), { recursive: true });
  });

  afterAll(() => rmSync(dbCopy, { recursive: true, force: true }));

  it('generates the client when there is none, then leaves every file untouched while the schema is unchanged', () => {
    generate();
    const first = generatedFiles(dbCopy);
    expect(Object.keys(first).some((path) => path.endsWith('prisma/client.ts'))).toBe(true);

    const output = generate();

    expect(output).toContain('not regenerated');
    expect(generatedFiles(dbCopy)).toEqual(first);
  });

  it('regenerates once the schema changes', () => {
    const before = generatedFiles(dbCopy);
    appendFileSync(join(dbCopy, 'prisma/schema.prisma'), '\n// changed by the test\n');

    const output = generate();

    expect(output).not.toContain('not regenerated');
    const after = generatedFiles(dbCopy);
    const clientFile = Object.keys(after).find((path) => path.endsWith('prisma/client.ts'))!;
    expect(after[clientFile]).toBeGreaterThan(before[clientFile]!);
  });
});
