import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typecheckSolution } from './solution';

/** Two composite projects, `app` referencing `lib`, each behind a solution tsconfig.json. */
function workspace(sources: { lib: string; app: string }) {
  const root = mkdtempSync(join(tmpdir(), 'typecheck-solution-'));
  const project = (name: string, source: string, references: string[]) => {
    mkdirSync(join(root, name, 'src'), { recursive: true });
    writeFileSync(join(root, name, 'src/index.ts'), source);
    writeFileSync(
      join(root, name, 'tsconfig.lib.json'),
      JSON.stringify({
        compilerOptions: {
          composite: true,
          emitDeclarationOnly: true,
          strict: true,
          types: [],
          lib: ['es2023'],
          rootDir: 'src',
          outDir: 'out-tsc',
        },
        include: ['src/**/*.ts'],
        references: references.map((path) => ({ path })),
      }),
    );
    writeFileSync(
      join(root, name, 'tsconfig.json'),
      JSON.stringify({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
    );
    return join(root, name, 'tsconfig.json');
  };
  const lib = project('lib', sources.lib, []);
  const app = project('app', sources.app, ['../lib/tsconfig.lib.json']);
  return { root, lib, app };
}

const goodLib = 'export const answer: number = 42;\n';
const goodApp =
  "import { answer } from '../../lib/src/index';\nexport const doubled = answer * 2;\n";

describe('typecheckSolution', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('passes every project of a clean solution', () => {
    const { root, lib, app } = workspace({ lib: goodLib, app: goodApp });
    roots.push(root);
    const { results, output } = typecheckSolution([lib, app]);
    expect(results.get(lib)).toEqual({ success: true, output: '' });
    expect(results.get(app)).toEqual({ success: true, output: '' });
    expect(output).toBe('');
  });

  it('fails a project with a type error and every project that references it', () => {
    const { root, lib, app } = workspace({
      lib: "export const answer: number = 'forty-two';\n",
      app: goodApp,
    });
    roots.push(root);
    const { results, output } = typecheckSolution([lib, app]);
    expect(results.get(lib)?.success).toBe(false);
    expect(results.get(lib)?.output).toContain('TS2322');
    // tsc --build app/tsconfig.json builds lib too, and fails with it.
    expect(results.get(app)?.success).toBe(false);
    expect(results.get(app)?.output).toContain('TS2322');
    expect(output.match(/TS2322/g)).toHaveLength(1);
  });

  it('fails only the project whose own sources have the error', () => {
    const { root, lib, app } = workspace({
      lib: goodLib,
      app: "import { answer } from '../../lib/src/index';\nexport const shout: string = answer;\n",
    });
    roots.push(root);
    const { results } = typecheckSolution([lib, app]);
    expect(results.get(lib)).toEqual({ success: true, output: '' });
    expect(results.get(app)?.success).toBe(false);
    expect(results.get(app)?.output).toContain('TS2322');
  });

  it('fails the entry whose config cannot be read, and only that one', () => {
    const { root, lib } = workspace({ lib: goodLib, app: goodApp });
    roots.push(root);
    const missing = join(root, 'missing/tsconfig.json');
    const { results, output } = typecheckSolution([lib, missing]);
    expect(results.get(missing)?.success).toBe(false);
    expect(results.get(missing)?.output).toContain('missing');
    expect(results.get(lib)).toEqual({ success: true, output: '' });
    expect(output).toContain('missing');
  });
});
