import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appsAffectedSincePreviousCommit, appsWithDockerfile } from '../../container/affected-apps';
import { workspaceRoot } from '../../container/image-spec';

describe('which apps the container smoke test takes', () => {
  it('finds every app with a Dockerfile in this workspace', () => {
    expect(appsWithDockerfile(workspaceRoot)).toEqual(['analytics', 'api', 'notifier', 'scraper']);
  });

  describe('in a repository with a single commit', () => {
    let repo: string;

    beforeAll(() => {
      repo = mkdtempSync(join(tmpdir(), 'shelfwatch-first-commit-'));
      for (const app of ['one', 'two']) {
        mkdirSync(join(repo, 'apps', app), { recursive: true });
        writeFileSync(join(repo, 'apps', app, 'Dockerfile'), 'FROM scratch\n');
      }
      mkdirSync(join(repo, 'apps', 'no-image'));
      writeFileSync(join(repo, 'apps', 'no-image', 'README'), 'no image\n');
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo });
      git('init', '--quiet');
      git('config', 'user.email', 'test@shelfwatch.invalid');
      git('config', 'user.name', 'shelfwatch test');
      git('add', '.');
      git('commit', '--quiet', '-m', 'First');
    });

    afterAll(() => rmSync(repo, { recursive: true, force: true }));

    it('takes every app with an image, since there is nothing to compare with', () => {
      expect(appsAffectedSincePreviousCommit(repo)).toEqual({
        apps: ['one', 'two'],
        reason: 'no previous commit to compare with: all apps',
      });
    });
  });
});
