import { setTimeout as sleep } from 'node:timers/promises';
import { HostLimiter, backoffDelayMs } from './host-limiter';

describe('HostLimiter', () => {
  it('never runs more than the per-host concurrency at once, while other hosts proceed', async () => {
    const limiter = new HostLimiter({ concurrency: 2, minDelayMs: 0 });
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const task = (host: string) =>
      limiter.run(host, async () => {
        running.set(host, (running.get(host) ?? 0) + 1);
        peak.set(host, Math.max(peak.get(host) ?? 0, running.get(host) ?? 0));
        await sleep(20);
        running.set(host, (running.get(host) ?? 0) - 1);
      });
    await Promise.all([...Array.from({ length: 6 }, () => task('a.example')), task('b.example')]);

    expect(peak.get('a.example')).toBe(2);
    expect(peak.get('b.example')).toBe(1);
  });

  it('spaces request starts to one host by the minimum delay', async () => {
    const limiter = new HostLimiter({ concurrency: 4, minDelayMs: 0 });
    const starts: number[] = [];
    await Promise.all(
      [1, 2, 3].map(() =>
        limiter.run('shop.example', async () => void starts.push(Date.now()), 100),
      ),
    );

    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(95);
    expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(95);
  });

  it('holds a paused host back (Retry-After)', async () => {
    const limiter = new HostLimiter({ concurrency: 1, minDelayMs: 0 });
    limiter.pause('shop.example', 150);
    const started = Date.now();
    await limiter.run('shop.example', async () => undefined);

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new HostLimiter({ concurrency: 1, minDelayMs: 0 });
    await expect(limiter.run('h', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(limiter.run('h', async () => 'next')).resolves.toBe('next');
  });
});

describe('backoffDelayMs', () => {
  it('doubles per attempt with jitter between half and all of the step, up to the cap', () => {
    expect(backoffDelayMs(1, 100, 60_000, () => 0)).toBe(50);
    expect(backoffDelayMs(1, 100, 60_000, () => 1)).toBe(100);
    expect(backoffDelayMs(4, 100, 60_000, () => 1)).toBe(800);
    expect(backoffDelayMs(4, 100, 60_000, () => 0.5)).toBe(600);
    expect(backoffDelayMs(30, 100, 5_000, () => 1)).toBe(5_000);
  });
});
