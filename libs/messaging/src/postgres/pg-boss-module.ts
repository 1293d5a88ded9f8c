import type * as PgBossModule from 'pg-boss';
import { nativeRequire } from './native-require';

/**
 * `true` in the app bundles (esbuild's `define`, tools/nx-plugin's app targets); not defined
 * under Jest or tsx.
 */
declare const SHELFWATCH_APP_BUNDLE: boolean | undefined;

/**
 * pg-boss, loaded when the transport first connects (the Pub/Sub transport never loads it). In an
 * app bundle a plain `require`, which esbuild resolves and inlines (ADR 0048): pg-boss's ES modules
 * and cron, rrule and OpenTelemetry packages otherwise cost a start about 30 CPU ms of resolving
 * and linking. Elsewhere Node's own `require`, because Jest's registry cannot load ES modules.
 */
export function loadPgBoss(): typeof PgBossModule {
  return typeof SHELFWATCH_APP_BUNDLE === 'boolean' && SHELFWATCH_APP_BUNDLE
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild must see the specifier to inline it
      (require('pg-boss') as typeof PgBossModule)
    : (nativeRequire('pg-boss') as typeof PgBossModule);
}
