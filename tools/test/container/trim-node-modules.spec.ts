import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * tools/container/trim-node-modules.cjs as each Dockerfile's `dependencies` stage runs it: plain
 * `node`, in the folder holding bundle.js and the freshly installed node_modules.
 */
const trimmer = join(__dirname, '../../container/trim-node-modules.cjs');

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the node_modules trimmer of the app images', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelfwatch-trim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(file: string, text = ''): void {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }

  it('drops sources, declarations, maps, Markdown and the query compilers bundle.js does not name', () => {
    write(
      'bundle.js',
      'require("@prisma/client/runtime/query_compiler_fast_bg.postgresql.js");\n' +
        "const wasm = 'query_compiler_fast_bg.postgresql.wasm-base64.js';\n",
    );
    for (const file of [
      'node_modules/pg/lib/index.js',
      'node_modules/pg/lib/index.d.ts',
      'node_modules/pg/lib/index.js.map',
      'node_modules/pg/README.md',
      'node_modules/pg/package.json',
      'node_modules/zod/src/types.ts',
      'node_modules/zod/v4/types.d.cts',
      'node_modules/zod/v4/types.d.mts',
      'node_modules/zod/v4/types.cjs',
      'node_modules/@prisma/client/runtime/query_compiler_fast_bg.postgresql.js',
      'node_modules/@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.js',
      'node_modules/@prisma/client/runtime/query_compiler_fast_bg.mysql.js',
      'node_modules/@prisma/client/runtime/query_compiler_bg.postgresql.mjs',
      'node_modules/@prisma/client/runtime/client.js',
    ])
      write(file);

    execFileSync(process.execPath, [trimmer], { cwd: dir });

    expect(
      filesBelow(dir)
        .map((file) => relative(dir, file))
        .sort(),
    ).toEqual([
      'bundle.js',
      'node_modules/@prisma/client/runtime/client.js',
      'node_modules/@prisma/client/runtime/query_compiler_fast_bg.postgresql.js',
      'node_modules/@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.js',
      'node_modules/pg/lib/index.js',
      'node_modules/pg/package.json',
      'node_modules/zod/v4/types.cjs',
    ]);
  });

  it('keeps the ES module compilers a bundle imports, and drops their CommonJS twins', () => {
    write(
      'bundle.js',
      'import("@prisma/client/runtime/query_compiler_small_bg.postgresql.mjs");\n' +
        'import("@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs");\n',
    );
    const runtime = 'node_modules/@prisma/client/runtime';
    for (const build of ['fast', 'small'])
      for (const part of ['', '.wasm-base64'])
        for (const extension of ['js', 'mjs'])
          write(`${runtime}/query_compiler_${build}_bg.postgresql${part}.${extension}`);

    execFileSync(process.execPath, [trimmer], { cwd: dir });

    expect(readdirSync(join(dir, runtime)).sort()).toEqual([
      'query_compiler_small_bg.postgresql.mjs',
      'query_compiler_small_bg.postgresql.wasm-base64.mjs',
    ]);
  });

  it('fails without the bundle beside it rather than trimming blind', () => {
    write('node_modules/pg/lib/index.js');
    expect(() => execFileSync(process.execPath, [trimmer], { cwd: dir, stdio: 'pipe' })).toThrow(
      /bundle\.js/,
    );
  });
});
