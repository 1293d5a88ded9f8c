import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** What a page is labelled with: null means the page does not show the field. */
export interface Truth {
  readonly price: { readonly amount: string; readonly currency: string | null } | null;
  readonly availability: 'InStock' | 'OutOfStock' | null;
  readonly sku: string | null;
}

export type Field = keyof Truth;
export const FIELDS: readonly Field[] = ['price', 'availability', 'sku'];

export interface LabelledPage {
  readonly id: string;
  readonly url: string;
  readonly html: string;
  readonly bytes: number;
  readonly options?: Record<string, unknown>;
  /** Fields the page is scored on; a fixture that does not state a field is not scored on it. */
  readonly truth: Partial<Truth>;
}

/** The directory holding nx.json above `from`: the workspace root, wherever the repo is cloned. */
export function workspaceRoot(from: string = __dirname): string {
  let current = resolve(from);
  while (!existsSync(join(current, 'nx.json'))) {
    const parent = dirname(current);
    if (parent === current) throw new Error(`no nx.json above ${from}`);
    current = parent;
  }
  return current;
}

/**
 * The shared real-pages corpus lives beside the repository, in `../shared`, here and in CI.
 * A clone made elsewhere (a temp folder) finds it beside the local repository it was cloned
 * from; `SHELFWATCH_SHARED_DIR` names the folder outright.
 */
export function realPagesDir(root: string = workspaceRoot()): string {
  const corpus = (shared: string) => join(shared, 'corpus', 'real-pages');
  if (process.env.SHELFWATCH_SHARED_DIR) return corpus(process.env.SHELFWATCH_SHARED_DIR);
  const besideRoot = corpus(join(root, '..', 'shared'));
  if (existsSync(besideRoot)) return besideRoot;
  const origin = localOrigin(root);
  const besideOrigin = origin && corpus(join(origin, '..', 'shared'));
  return besideOrigin && existsSync(besideOrigin) ? besideOrigin : besideRoot;
}

/** The folder of the repository `root` was cloned from, when that is a local path. */
function localOrigin(root: string): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return url.startsWith('/') ? url : undefined;
  } catch {
    return undefined;
  }
}

const FIXTURE_PAGES = join(__dirname, '..', 'fixtures', 'pages');
export const OVERRIDES_FILE = join(__dirname, 'real-pages-overrides.json');

/** Decodes saved bytes with the charset the markup declares (the pages are stored raw). */
function decodePage(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

interface RawLabel {
  url: string;
  price: string | null;
  currency: string | null;
  availability: 'InStock' | 'OutOfStock' | null;
  sku: string | null;
}

export interface LabelOverride {
  readonly reason: string;
  readonly price?: string | null;
  readonly currency?: string | null;
  readonly availability?: 'InStock' | 'OutOfStock' | null;
  readonly sku?: string | null;
}

export function loadOverrides(): Record<string, LabelOverride> {
  const raw = JSON.parse(readFileSync(OVERRIDES_FILE, 'utf8')) as Record<string, unknown>;
  const overrides: Record<string, LabelOverride> = {};
  for (const [id, value] of Object.entries(raw)) {
    if (id.startsWith('$')) continue;
    overrides[id] = value as LabelOverride;
  }
  return overrides;
}

/** The labelled real pages, with the project's own label corrections applied. */
export function loadRealPages(dir: string = realPagesDir()): LabelledPage[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<
    string,
    RawLabel
  >;
  const overrides = loadOverrides();
  for (const id of Object.keys(overrides)) {
    if (!(id in labels)) throw new Error(`label override for unknown page ${id}`);
  }
  return Object.keys(labels)
    .sort()
    .map((id) => {
      const label = { ...(labels[id] as RawLabel), ...overrides[id] };
      const bytes = gunzipSync(readFileSync(join(dir, 'pages', `${id}.html.gz`)));
      return {
        id,
        url: label.url,
        html: decodePage(bytes),
        bytes: bytes.length,
        truth: {
          price: label.price === null ? null : { amount: label.price, currency: label.currency },
          availability: label.availability,
          sku: label.sku,
        },
      };
    });
}

interface ExpectedOffer {
  price?: { amount: string; currency: string } | null;
  availability?: string;
  sku?: string;
}

interface ExpectedPage {
  url: string;
  options?: Record<string, unknown>;
  offers: ExpectedOffer[];
  /** Index into offers of the offer the page is about (default: the first). */
  primaryOffer?: number;
}

function fixtureAvailability(value: string | undefined): Truth['availability'] | undefined {
  if (value === undefined) return undefined;
  if (value === 'Unknown') return null;
  return value === 'InStock' || value === 'LimitedAvailability' ? 'InStock' : 'OutOfStock';
}

/** The team's fixture pages, scored on what their expectations state about the primary offer. */
export function loadFixturePages(dir: string = FIXTURE_PAGES): LabelledPage[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => {
      const html = readFileSync(join(dir, file), 'utf8');
      const expected = JSON.parse(
        readFileSync(join(dir, file.replace(/\.html$/, '.expected.json')), 'utf8'),
      ) as ExpectedPage;
      const offer = expected.offers[expected.primaryOffer ?? 0];
      const truth: { -readonly [K in Field]?: Truth[K] } = {};
      if (!offer) {
        truth.price = null;
        truth.availability = null;
        truth.sku = null;
      } else {
        if (offer.price !== undefined) truth.price = offer.price;
        const availability = fixtureAvailability(offer.availability);
        if (availability !== undefined) truth.availability = availability;
        if (offer.sku !== undefined) truth.sku = offer.sku;
      }
      return {
        id: file.replace(/\.html$/, ''),
        url: expected.url,
        html,
        bytes: Buffer.byteLength(html),
        ...(expected.options ? { options: expected.options } : {}),
        truth,
      };
    });
}
