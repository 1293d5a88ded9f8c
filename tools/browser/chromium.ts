/**
 * Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it) driven by
 * playwright-core: Playwright's own browser downloads cannot be reached here. Used by the
 * dashboard's browser suites (e2e/test/web) and its benchmark (tools/bench/web).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `No Chromium at ${path}: apt-get install -y chromium (or set CHROMIUM_PATH); .ci/run installs it`,
    );
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // As root (CI) Chromium has no user namespace for its sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}
