import { createLogger } from '@shelfwatch/logging';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownTimeoutError, createHttpApp, lifecycleOf, startHttpServer } from '../src';
import { captureStdout } from './capture-stdout';
import { eventually } from '@shelfwatch/testing';

const logger = createLogger({ service: 'server-test', format: 'json', env: {} });

/** Resolves when the server is handling a /slow request: shutdown must begin only after that. */
let requestArrived: Promise<void>;
let markArrived: () => void;
beforeEach(() => {
  requestArrived = new Promise((resolve) => (markArrived = resolve));
});

function slowApp(delayMs: number, onResponseFinished?: () => void) {
  return createHttpApp({
    logger,
    routes: (app) => {
      app.get('/slow', async (_req, res) => {
        markArrived();
        // Stop waiting when the connection is force-closed, so no timer outlives the test.
        const connectionClosed = new AbortController();
        res.once('close', () => connectionClosed.abort());
        res.once('finish', () => onResponseFinished?.());
        try {
          await sleep(delayMs, undefined, { signal: connectionClosed.signal });
        } catch {
          return;
        }
        res.json({ finished: true });
      });
    },
  });
}

let stdout: ReturnType<typeof captureStdout>;
beforeEach(() => {
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

describe('startHttpServer', () => {
  it('listens on a free port when given port 0 and serves over loopback', async () => {
    const running = await startHttpServer(slowApp(0), {
      port: 0,
      host: '127.0.0.1',
      logger,
      signals: [],
    });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.url).not.toMatch(/:0$/);
      const response = await fetch(`${running.url}/health`);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      await running.shutdown('test over');
    }
  });

  it('on shutdown, stops being ready, lets in-flight requests finish, then runs closers in order', async () => {
    const closed: string[] = [];
    const app = slowApp(300, () => closed.push('response'));
    const running = await startHttpServer(app, {
      port: 0,
      host: '127.0.0.1',
      logger,
      signals: [],
      onShutdown: [
        async () => {
          closed.push('publisher');
        },
        async () => {
          throw new Error('pool already closed');
        },
        async () => {
          closed.push('pool');
        },
      ],
    });
    const inFlight = fetch(`${running.url}/slow`).then(async (response) => ({
      status: response.status,
      body: await response.json(),
    }));
    await requestArrived;
    await running.shutdown('test');

    expect(lifecycleOf(app).draining).toBe(true);
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
    expect(closed).toEqual(['response', 'publisher', 'pool']);
    expect(running.server.listening).toBe(false);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
    const messages = stdout.lines().map((line) => line.message);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Shutdown step 2 failed/)]),
    );
  });

  it('force-closes connections and rejects when draining exceeds the timeout', async () => {
    const running = await startHttpServer(slowApp(5000), {
      port: 0,
      host: '127.0.0.1',
      logger,
      signals: [],
      shutdownTimeoutMs: 200,
    });
    const inFlight = fetch(`${running.url}/slow`).then(
      () => 'answered',
      () => 'connection closed',
    );
    await requestArrived;
    await expect(running.shutdown('test')).rejects.toBeInstanceOf(ShutdownTimeoutError);
    expect(await inFlight).toBe('connection closed');
    const aborted = await eventually(
      'the abort',
      () =>
        stdout
          .lines()
          .find((line) => String(line.message).includes('closed before the response finished')),
      2_000,
      10,
    );
    expect(aborted).toMatchObject({ severity: 'ERROR', httpRequest: { requestUrl: '/slow' } });
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer(slowApp(0), {
      port: 0,
      host: '127.0.0.1',
      logger,
      signals: [],
    });
    try {
      const port = Number(new URL(first.url).port);
      await expect(
        startHttpServer(slowApp(0), { port, host: '127.0.0.1', logger, signals: [] }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.shutdown();
    }
  });
});
