export type ReadinessCheck = () => Promise<void>;

export type CheckOutcome = 'ok' | 'failed' | 'timed out';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckOutcome>;
  failures: Array<{ name: string; outcome: CheckOutcome; error?: unknown }>;
}

/** Runs every check concurrently, each bounded by `timeoutMs`, and reports each one's outcome. */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => ({
      name,
      ...(await runOne(check, timeoutMs)),
    })),
  );
  const failures = results.filter((result) => result.outcome !== 'ok');
  return {
    ready: failures.length === 0,
    checks: Object.fromEntries(results.map(({ name, outcome }) => [name, outcome])),
    failures,
  };
}

async function runOne(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ outcome: CheckOutcome; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check().then(() => 'ok' as const), timedOut]);
    return { outcome };
  } catch (error) {
    return { outcome: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}
