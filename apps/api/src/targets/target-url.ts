/**
 * The stored form of a target URL: WHATWG-normalised, fragment dropped (it never reaches the
 * server), so the same page registered twice is recognised as a duplicate.
 */
export function normalizeTargetUrl(raw: string): { url: string; host: string } {
  const parsed = new URL(raw);
  parsed.hash = '';
  return { url: parsed.href, host: parsed.hostname.toLowerCase() };
}
