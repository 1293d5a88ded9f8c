import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPackages, START_PACKAGES, type Lockfile } from './bundled-packages';

const lockfile = (packages: Lockfile['packages']): Lockfile => ({ packages });

describe('the third-party packages an app bundle inlines', () => {
  it('follows each root into everything it loads, nested copies before hoisted ones', () => {
    const inlined = bundledPackages(
      lockfile({
        '': {},
        'node_modules/web': { dependencies: { router: '^2', cookie: '^0.7' } },
        'node_modules/router': { dependencies: { 'path-to-regexp': '^8' } },
        'node_modules/path-to-regexp': {},
        'node_modules/web/node_modules/cookie': { dependencies: { 'cookie-helper': '^1' } },
        'node_modules/cookie-helper': {},
        'node_modules/cookie': { dependencies: { unrelated: '^1' } },
        'node_modules/unrelated': {},
        'node_modules/not-a-root': {},
      }),
      ['web'],
    );
    expect(inlined).toEqual(['cookie', 'cookie-helper', 'path-to-regexp', 'router', 'web']);
  });

  it('leaves data packages external when every package that loads them finds the root copy', () => {
    const inlined = bundledPackages(
      lockfile({
        'node_modules/web': { dependencies: { 'mime-types': '^3', 'iconv-lite': '^0.7' } },
        'node_modules/mime-types': { dependencies: { 'mime-db': '^1.54' } },
        'node_modules/mime-db': {},
        'node_modules/iconv-lite': { dependencies: { 'safer-buffer': '^2' } },
        'node_modules/safer-buffer': {},
      }),
      ['web'],
    );
    expect(inlined).toEqual(['mime-types', 'safer-buffer', 'web']);
  });

  it('inlines a data package that some loader resolves to a nested copy, so it keeps its version', () => {
    const inlined = bundledPackages(
      lockfile({
        'node_modules/web': { dependencies: { 'mime-types': '^3' } },
        'node_modules/mime-types': { dependencies: { 'mime-db': '^1.54' } },
        'node_modules/mime-types/node_modules/mime-db': {},
        'node_modules/mime-db': {},
      }),
      ['web'],
    );
    expect(inlined).toEqual(['mime-db', 'mime-types', 'web']);
  });

  it('counts optional dependencies and skips ones that are not installed', () => {
    const inlined = bundledPackages(
      lockfile({
        'node_modules/web': { optionalDependencies: { colour: '^1', absent: '^1' } },
        'node_modules/colour': {},
      }),
      ['web', 'not-installed'],
    );
    expect(inlined).toEqual(['colour', 'web']);
  });

  it('never inlines pg, nor what only pg loads, though an inlined package depends on it', () => {
    const inlined = bundledPackages(
      lockfile({
        'node_modules/queue': { dependencies: { pg: '^8', cron: '^5' } },
        'node_modules/pg': { dependencies: { 'pg-protocol': '^1' } },
        'node_modules/pg-protocol': {},
        'node_modules/cron': {},
      }),
      ['queue'],
    );
    expect(inlined).toEqual(['cron', 'queue']);
  });

  it('inlines express, winston, zod and pg-boss from the workspace lockfile, and keeps pg and Prisma out', () => {
    const workspaceLock = JSON.parse(
      readFileSync(join(__dirname, '../../../../package-lock.json'), 'utf8'),
    ) as Lockfile;
    const inlined = bundledPackages(workspaceLock, START_PACKAGES);
    expect(inlined).toEqual(
      expect.arrayContaining([
        'express',
        'winston',
        'zod',
        'body-parser',
        'pg-boss',
        'cron-parser',
      ]),
    );
    for (const external of [
      'pg',
      'pg-protocol',
      'pg-pool',
      '@prisma/client',
      'zod-openapi',
      'mime-db',
    ])
      expect(inlined).not.toContain(external);
  });
});
