import { spawn, type ChildProcess } from 'node:child_process';
import {
  commandLineMatches,
  descendantsOf,
  findDescendantByArgv,
  processStartedAt,
} from '../../container/container-process';

describe('finding the app process below a runtime', () => {
  it('matches a bare program name against the path the runtime resolved', () => {
    expect(commandLineMatches(['/usr/local/bin/node', 'main.js'], ['node', 'main.js'])).toBe(true);
    expect(commandLineMatches(['node', 'main.js'], ['node', 'main.js'])).toBe(true);
    expect(
      commandLineMatches(
        ['buildah-chroot-exec', '/usr/local/bin/node', 'main.js'],
        ['node', 'main.js'],
      ),
    ).toBe(false);
    expect(commandLineMatches(['/usr/local/bin/node', 'other.js'], ['node', 'main.js'])).toBe(
      false,
    );
    expect(commandLineMatches(['/opt/node', 'main.js'], ['/usr/local/bin/node', 'main.js'])).toBe(
      false,
    );
  });

  it("places a process's start on the wall clock", () => {
    const startedAt = processStartedAt(process.pid) as number;
    const expected = Date.now() - process.uptime() * 1000;

    // The kernel counts in 10 ms ticks and Node's uptime starts a little after the process.
    expect(Math.abs(startedAt - expected)).toBeLessThan(1_000);
    expect(processStartedAt(2 ** 22 + 1)).toBeUndefined();
  });

  describe('in a real process tree', () => {
    let parent: ChildProcess;
    const marker = `shelfwatch-process-${process.pid}`;

    beforeAll(async () => {
      // sh forks node (the trailing `wait` keeps sh from exec-ing it), like buildah's runtime does.
      parent = spawn(
        '/bin/sh',
        ['-c', `"${process.execPath}" -e 'setInterval(() => {}, 1000)' ${marker} & wait`],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 10_000;
      while (descendantsOf(parent.pid as number).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

    afterAll(() => {
      for (const pid of descendantsOf(parent.pid as number)) process.kill(pid, 'SIGKILL');
      parent.kill('SIGKILL');
    });

    it('finds the grandchild by its command line, not the shell above it', () => {
      const found = findDescendantByArgv(parent.pid as number, [
        'node',
        '-e',
        'setInterval(() => {}, 1000)',
        marker,
      ]);

      expect(found).toBeDefined();
      expect(found).not.toBe(parent.pid);
      expect(descendantsOf(parent.pid as number)).toContain(found);
      expect(findDescendantByArgv(parent.pid as number, ['node', 'main.js'])).toBeUndefined();
    });
  });
});
