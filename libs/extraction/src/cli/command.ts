/** Where a command reads and writes; the real process streams, or buffers in tests. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/**
 * One `shelfwatch <name>` subcommand. Other modules (the scraper's `fetch`) add theirs by
 * passing more commands to `runCli`.
 */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A problem the user can fix (bad arguments, unreadable input): reported without a stack. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}
