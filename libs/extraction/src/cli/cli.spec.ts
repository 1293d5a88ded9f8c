import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extractionCommands, runCli, type CliCommand } from './index';

function io(stdinText: string | Buffer = '') {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdin: Readable.from([Buffer.from(stdinText)]),
      stdout: { write: (chunk: string) => out.push(chunk) },
      stderr: { write: (chunk: string) => err.push(chunk) },
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const page =
  '<html lang="en"><head><script type="application/ld+json">{"@type":"Product","name":"Mug","offers":{"price":"9.50","priceCurrency":"USD","availability":"InStock"}}</script></head><body><h1>Mug</h1></body></html>';

describe('shelfwatch CLI', () => {
  it('parse-price writes one JSON object per line in input order', async () => {
    const run = io('$1,234.56\n12,50\tEUR\nnothing here\n\n¥500\n');
    const code = await runCli(['parse-price'], extractionCommands, run.io);
    expect(code).toBe(0);
    expect(run.out().trimEnd().split('\n')).toEqual([
      '{"amount":"1234.56","currency":"USD"}',
      '{"amount":"12.50","currency":"EUR"}',
      '{"amount":null,"currency":null}',
      '{"amount":null,"currency":null}',
      '{"amount":"500","currency":"JPY"}',
    ]);
  });

  it('parse-price refuses binary input with a clear message', async () => {
    const run = io(Buffer.from([0x24, 0x00, 0xff, 0x0a]));
    expect(await runCli(['parse-price'], extractionCommands, run.io)).toBe(2);
    expect(run.err()).toMatch(/stdin is binary/);
  });

  it('extract prints the offers of a file as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfwatch-cli-'));
    const file = join(dir, 'page.html');
    writeFileSync(file, page);
    const run = io();
    expect(
      await runCli(
        ['extract', file, '--url', 'https://shop.example.com/mug'],
        extractionCommands,
        run.io,
      ),
    ).toBe(0);
    const result = JSON.parse(run.out());
    expect(result.offers[0]).toMatchObject({
      name: 'Mug',
      price: { amount: '9.50', currency: 'USD' },
      availability: 'InStock',
    });
  });

  it('extract reads stdin for "-" and prints a table on request', async () => {
    const run = io(page);
    const code = await runCli(
      ['extract', '-', '--url', 'https://shop.example.com/mug', '--format', 'table'],
      extractionCommands,
      run.io,
    );
    expect(code).toBe(0);
    expect(run.out()).toMatch(/offers: 1/);
    expect(run.out()).toMatch(/Mug\s+9\.50 USD/);
  });

  it('extract exits non-zero on a missing file, a missing URL or a bad option', async () => {
    const missing = io();
    expect(
      await runCli(
        ['extract', '/no/such/file.html', '--url', 'https://a.example/'],
        extractionCommands,
        missing.io,
      ),
    ).toBe(2);
    expect(missing.err()).toMatch(/cannot read \/no\/such\/file\.html: no such file/);
    const noUrl = io();
    expect(await runCli(['extract', '-'], extractionCommands, noUrl.io)).toBe(2);
    expect(noUrl.err()).toMatch(/--url <page-url> is required/);
    const badFormat = io(page);
    expect(
      await runCli(
        ['extract', '-', '--url', 'https://a.example/', '--format', 'xml'],
        extractionCommands,
        badFormat.io,
      ),
    ).toBe(2);
    const unknown = io();
    expect(await runCli(['extract', '-', '--nope'], extractionCommands, unknown.io)).toBe(2);
  });

  it('lists commands, rejects unknown ones and accepts commands from other modules', async () => {
    const fetchCommand: CliCommand = {
      name: 'fetch',
      summary: 'Fetch a page',
      usage: 'fetch <url>',
      run: async (_args, cliIo) => {
        cliIo.stdout.write('fetched\n');
        return 0;
      },
    };
    const commands = [...extractionCommands, fetchCommand];
    const help = io();
    expect(await runCli(['--help'], commands, help.io)).toBe(0);
    expect(help.out()).toMatch(/extract[\s\S]*parse-price[\s\S]*fetch/);
    const unknown = io();
    expect(await runCli(['explode'], commands, unknown.io)).toBe(2);
    expect(unknown.err()).toMatch(/unknown command "explode"/);
    const fetched = io();
    expect(await runCli(['fetch', 'https://a.example/'], commands, fetched.io)).toBe(0);
    expect(fetched.out()).toBe('fetched\n');
  });
});
