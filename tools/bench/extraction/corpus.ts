import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface BenchPage {
  readonly html: string;
  readonly url: string;
  readonly bytes: number;
}

/** The labelled real pages beside the repository (`../shared/corpus/real-pages`), decoded. */
export function realPages(dir: string): BenchPage[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<
    string,
    { url: string }
  >;
  return Object.keys(labels)
    .sort()
    .map((id) => {
      const raw = gunzipSync(readFileSync(join(dir, 'pages', `${id}.html.gz`)));
      const charset =
        /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(
          raw.subarray(0, 4096).toString('latin1'),
        )?.[1] ?? 'utf-8';
      let html: string;
      try {
        html = new TextDecoder(charset).decode(raw);
      } catch {
        html = raw.toString('utf8');
      }
      return { html, url: (labels[id] as { url: string }).url, bytes: raw.length };
    });
}

/** Plain `.html` files with optional `.expected.json` beside them (the fixture corpus). */
export function htmlDirectory(dir: string): BenchPage[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => {
      const html = readFileSync(join(dir, file), 'utf8');
      let url = `https://shop.example.com/${file}`;
      try {
        const expected = JSON.parse(
          readFileSync(join(dir, file.replace(/\.html$/, '.expected.json')), 'utf8'),
        ) as { url?: unknown };
        if (typeof expected.url === 'string') url = expected.url;
      } catch {
        // A page without expectations is still worth timing.
      }
      return { html, url, bytes: Buffer.byteLength(html) };
    });
}
