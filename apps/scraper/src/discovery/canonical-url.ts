/** Query parameters that only track the visit and never change which product a URL shows. */
const TRACKING_PARAMETER = /^(utm_\w+|gclid|fbclid|msclkid|mc_cid|mc_eid|_ga|ref|ref_src)$/i;

/**
 * The canonical spelling of a discovered URL: absolute, http(s) only, no fragment, no
 * credentials, no tracking parameters (host case and default ports are normalized by URL).
 * Returns null for anything that is not a fetchable http(s) URL.
 */
export function canonicalUrl(href: string, base?: string | URL): string | null {
  const trimmed = href.trim();
  if (trimmed === '' || !URL.canParse(trimmed, base?.toString())) return null;
  const url = new URL(trimmed, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMETER.test(name)) url.searchParams.delete(name);
  }
  if (url.search === '?') url.search = '';
  const text = url.toString();
  return text.length > 2048 ? null : text;
}

/** Canonical URLs on `host` only, in first-seen order, without duplicates. */
export class UrlCollector {
  private readonly seen = new Set<string>();

  constructor(
    private readonly host: string,
    private readonly limit: number,
  ) {}

  add(href: string, base?: string | URL): void {
    if (this.full) return;
    const url = canonicalUrl(href, base);
    if (url === null || new URL(url).hostname !== this.host) return;
    this.seen.add(url);
  }

  get full(): boolean {
    return this.seen.size >= this.limit;
  }

  get urls(): string[] {
    return [...this.seen];
  }
}
