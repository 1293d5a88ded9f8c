import { parseArgs } from 'node:util';
import { parsePrice } from '../price/parse-price';
import { CliUsageError, type CliCommand } from './command';
import { decodeText, readStream } from './read-input';

const USAGE =
  'parse-price [--currency <hint>] [--lang <tag>] [--domain <host>]  < lines of "price[<TAB>currency hint]"';

/** `shelfwatch parse-price`: one JSON object per input line, in input order. */
export const parsePriceCommand: CliCommand = {
  name: 'parse-price',
  summary: 'Parse price strings from stdin, one per line (optional TAB + currency hint)',
  usage: USAGE,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          currency: { type: 'string' },
          lang: { type: 'string' },
          domain: { type: 'string' },
        },
      }));
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: shelfwatch ${USAGE}`);
    }
    const text = decodeText(await readStream(io.stdin), 'stdin');
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const out: string[] = [];
    for (const line of lines) {
      const tab = line.indexOf('\t');
      const price = tab === -1 ? line : line.slice(0, tab);
      const hint = tab === -1 ? values.currency : line.slice(tab + 1).trim() || values.currency;
      const parsed = parsePrice(price, {
        currencyHint: hint ?? null,
        lang: values.lang ?? null,
        domain: values.domain ?? null,
      });
      out.push(
        JSON.stringify(
          parsed
            ? { amount: parsed.amount, currency: parsed.currency }
            : { amount: null, currency: null },
        ),
      );
    }
    io.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
    return 0;
  },
};
