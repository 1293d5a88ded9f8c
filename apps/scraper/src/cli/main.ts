import { extractionCommands, runCli, type CliCommand } from '@shelfwatch/extraction';
import { defaultExtractOffers } from '../extraction';
import { FETCH_USAGE, runFetchCommand } from './fetch-command';

/** `npx shelfwatch <command>`: the extraction commands plus `fetch`, the scraper's own path. */
const fetchCommand: CliCommand = {
  name: 'fetch',
  summary:
    'fetch one page through the scraper (guard, robots, politeness, extraction) and print the event',
  usage: FETCH_USAGE,
  run: (args) =>
    // The fetch command streams to the process's own stdout/stderr, like the other commands.
    runFetchCommand(
      args,
      { extractOffers: defaultExtractOffers },
      {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      },
    ),
};

void runCli(process.argv.slice(2), [...extractionCommands, fetchCommand], {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
}).then((code) => {
  process.exitCode = code;
});
