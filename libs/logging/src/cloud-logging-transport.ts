import TransportStream from 'winston-transport';
import { structuredEntry, type StructuredEntryContext } from './structured-entry';

/**
 * Writes each entry as one line of Cloud Logging's structured JSON to stdout, where Cloud Run's
 * agent reads it: the lines @google-cloud/logging-winston writes with `redirectToStdout`, without
 * loading it and the Google API clients it builds but never uses for stdout (ADR 0039).
 */
export class CloudLoggingTransport extends TransportStream {
  private readonly context: StructuredEntryContext;
  private readonly out: NodeJS.WritableStream;

  constructor(context: StructuredEntryContext, out: NodeJS.WritableStream = process.stdout) {
    super();
    this.context = context;
    this.out = out;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.out.write(`${serializedLine(structuredEntry(info, this.context))}\n`);
    next();
  }
}

/**
 * The entry as JSON. An entry JSON cannot hold (a BigInt, a cycle in fields nobody redacted) is
 * written with those values as text rather than dropped, as logging-winston would drop it.
 */
function serializedLine(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch {
    const ancestors: object[] = [];
    return JSON.stringify(entry, function (this: unknown, _key, value: unknown) {
      if (typeof value === 'bigint') return value.toString();
      if (value === null || typeof value !== 'object') return value;
      // `this` is the object holding the value: ancestors above it are done with.
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(value)) return '[Circular]';
      ancestors.push(value);
      return value;
    });
  }
}
