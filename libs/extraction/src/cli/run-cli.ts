import { CliUsageError, type CliCommand, type CliIo } from './command';

function help(commands: readonly CliCommand[], program: string): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: ${program} <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "${program} <command> --help" for a command's options.\n`;
}

/** Dispatches `argv` (without node and script) to a subcommand; resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  commands: readonly CliCommand[],
  io: CliIo,
  program = 'shelfwatch',
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(help(commands, program));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`${program}: unknown command "${name}"\n\n${help(commands, program)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${program} ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run([...rest], io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`${program} ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${program} ${command.name}: unexpected error: ${message}\n`);
    return 1;
  }
}
