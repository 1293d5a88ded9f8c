import { newId as defaultNewId } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { claimDueTargets } from './due-targets';
import type { OutboxWaker } from '../outbox/api-outbox';
import { failStaleRuns } from './stale-runs';

export interface SchedulerOptions {
  prisma: PrismaClient;
  /** Publishes the outbox; woken once a tick's runs and requests are committed. */
  relay: OutboxWaker;
  logger?: Logger;
  batchSize?: number;
  perHostLimit?: number;
  newId?: () => string;
  now?: () => Date;
  /** How long a run may stay unfinished before a tick fails it (default one hour). */
  runDeadlineMs?: number;
}

export interface TickResult {
  /** Runs queued by this tick, each with its scrape.requested in the outbox. */
  scheduled: number;
  runIds: string[];
  /** Runs past their deadline that this tick failed. */
  expired: number;
}

export type SchedulerTick = () => Promise<TickResult>;

/** One scheduling pass: claim due targets, queue their runs and their scrape.requested (outbox). */
export function createSchedulerTick(options: SchedulerOptions): SchedulerTick {
  const now = options.now ?? (() => new Date());
  return async () => {
    const at = now();
    const runs = await claimDueTargets(options.prisma, {
      now: at,
      batchSize: options.batchSize ?? 100,
      perHostLimit: options.perHostLimit ?? 10,
      newId: options.newId ?? defaultNewId,
    });
    if (runs.length > 0) options.relay.wake();
    const expired = await failStaleRuns(options.prisma, {
      now: at,
      ...(options.runDeadlineMs === undefined ? {} : { deadlineMs: options.runDeadlineMs }),
    });
    if (expired > 0) options.logger?.warn(`Failed ${expired} run(s) that never finished`);
    return { scheduled: runs.length, runIds: runs.map((run) => run.runId), expired };
  };
}

export interface SchedulerTimer {
  stop(): Promise<void>;
}

/**
 * Ticks every `intervalMs` for local runs (in the cloud, Cloud Scheduler calls the tick
 * endpoint instead). Ticks never overlap; a full batch ticks again at once so a backlog drains.
 */
export function startSchedulerTimer(
  tick: SchedulerTick,
  options: { intervalMs: number; batchSize?: number; logger?: Logger },
): SchedulerTimer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const batchSize = options.batchSize ?? 100;

  const run = async (): Promise<void> => {
    let again = false;
    try {
      const result = await tick();
      if (result.scheduled > 0)
        options.logger?.info(`Scheduler queued ${result.scheduled} scrape(s)`);
      again = result.scheduled >= batchSize;
    } catch (error) {
      options.logger?.error('Scheduler tick failed', { err: error });
    }
    if (!stopped) timer = setTimeout(schedule, again ? 0 : options.intervalMs);
  };
  const schedule = () => {
    running = run();
  };
  timer = setTimeout(schedule, 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
