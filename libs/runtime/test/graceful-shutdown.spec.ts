import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'slow-server.ts');

/** Resolves with the first stdout line matching `pattern`, while collecting everything printed. */
function waitForLine(output: string[], child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = output
        .join('')
        .split('\n')
        .find((candidate) => pattern.test(candidate));
      if (line === undefined) return false;
      child.stdout?.off('data', check);
      resolve(line);
      return true;
    };
    if (check()) return;
    child.stdout?.on('data', check);
    child.once('exit', () =>
      reject(new Error(`exited before printing ${pattern}:\n${output.join('')}`)),
    );
  });
}

function connect(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the in-flight request, refuses new connections, runs the closers and exits 0', async () => {
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        METADATA_SERVER_DETECTION: 'none',
        GOOGLE_CLOUD_PROJECT: 'shelfwatch-test',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => output.push(chunk));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.once('exit', (code) => resolve({ code, at: Date.now() })),
    );

    try {
      const url = (await waitForLine(output, child, /^READY /)).slice('READY '.length);
      const port = Number(new URL(url).port);

      const inFlight = fetch(`${url}/slow`);
      await waitForLine(output, child, /^SLOW-STARTED$/);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await waitForLine(output, child, /Stopped accepting connections/);

      expect(await connect(port)).toBe('ECONNREFUSED');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ finished: true });

      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(10_000);

      const lines = output.join('').split('\n');
      const closerAt = lines.indexOf('CLOSER-RAN');
      const requestLoggedAt = lines.findIndex((line) => line.includes('"GET /slow 200'));
      expect(requestLoggedAt).toBeGreaterThan(-1);
      expect(closerAt).toBeGreaterThan(requestLoggedAt);
      const messages = lines
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { message: string }).message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'Received SIGTERM',
          'In-flight requests finished',
          'Shutdown complete',
        ]),
      );
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
