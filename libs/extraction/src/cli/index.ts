import type { CliCommand } from './command';
import { extractCommand } from './extract-command';
import { parsePriceCommand } from './parse-price-command';

export { CliUsageError, type CliCommand, type CliIo } from './command';
export { runCli } from './run-cli';
export { extractCommand, parsePriceCommand };

/** The commands this library contributes to the `shelfwatch` CLI. */
export const extractionCommands: readonly CliCommand[] = [extractCommand, parsePriceCommand];
