import { httpUrlProblem, SelectorHintsSchema } from '@shelfwatch/contracts';
import { parseArgs } from 'node:util';
import { extractOffers } from '../extract';
import { CliUsageError, type CliCommand } from './command';
import { decodeText, readInput } from './read-input';
import { formatTable } from './table';

const USAGE =
  'extract <file.html|-> --url <page-url> [--format json|table] [--currency <code>] [--selectors <json>]';

function parseSelectors(text: string | undefined) {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliUsageError('--selectors must be a JSON object, e.g. {"price":".price"}');
  }
  const parsed = SelectorHintsSchema.safeParse(json);
  if (!parsed.success)
    throw new CliUsageError(
      `--selectors: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  return parsed.data;
}

/** `shelfwatch extract`: prints the offers found in a saved page. */
export const extractCommand: CliCommand = {
  name: 'extract',
  summary: 'Extract product offers from an HTML file (or - for stdin) as JSON or a table',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          url: { type: 'string' },
          format: { type: 'string', default: 'json' },
          currency: { type: 'string' },
          selectors: { type: 'string' },
        },
      });
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: shelfwatch ${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1)
      throw new CliUsageError(`expected one input file (or -)\nUsage: shelfwatch ${USAGE}`);
    if (!values.url)
      throw new CliUsageError(`--url <page-url> is required\nUsage: shelfwatch ${USAGE}`);
    const urlProblem = httpUrlProblem(values.url);
    if (urlProblem) throw new CliUsageError(`--url ${urlProblem}`);
    if (values.format !== 'json' && values.format !== 'table')
      throw new CliUsageError('--format must be json or table');
    const selectors = parseSelectors(values.selectors);
    const input = positionals[0] as string;
    const html = decodeText(await readInput(input, io.stdin), input === '-' ? 'stdin' : input);
    const result = extractOffers(html, values.url, {
      ...(selectors ? { selectors } : {}),
      ...(values.currency ? { currencyHint: values.currency } : {}),
    });
    io.stdout.write(
      values.format === 'table' ? formatTable(result) : `${JSON.stringify(result, null, 2)}\n`,
    );
    return 0;
  },
};
