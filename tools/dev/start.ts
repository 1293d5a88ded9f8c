/**
 * `npm start`: runs the local stack (tools/dev/stack.ts) in its own process group and stops it
 * cleanly on Ctrl-C. A terminal's Ctrl-C signals the whole foreground group at once; kept out of
 * it, the services drain first and the database stops last, instead of all dying together.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

const stack = fork(join(__dirname, 'stack.ts'), process.argv.slice(2), {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});

let firstSignalAt: number | undefined;
const stop = () => {
  const now = Date.now();
  if (firstSignalAt === undefined) {
    firstSignalAt = now;
    if (stack.connected) stack.send('stop');
  } else if (now - firstSignalAt > 2_000) {
    // Ctrl-C again, later (not the same Ctrl-C relayed by npm or tsx): stop at once.
    process.kill(-stack.pid!, 'SIGKILL');
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

stack.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
