/** What a redacted value is replaced with, in logs and anywhere else secrets must not appear. */
export const REDACTED = '[REDACTED]';

const MAX_DEPTH = 12;

// Keys are compared lower-cased with separators removed, so `X-Api-Key`, `api_key` and `apiKey` match alike.
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'password',
  'passwd',
  'secret',
  'token',
  'privatekey',
  'credentials',
  // shelfwatch's stored credential digests: not secrets themselves, but nothing a log needs.
  'passwordhash',
  'secrethash',
  'tokenhash',
]);

// A key that ends in one of these names a secret too (`accessToken`, `dbPassword`, `webhookSecret`),
// while keys that merely start with one (`tokenCount`, `secretName`) describe something harmless.
const SENSITIVE_SUFFIXES = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
];

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_.\s]/g, '');
  return (
    SENSITIVE_KEYS.has(normalized) ||
    SENSITIVE_SUFFIXES.some((suffix) => normalized.endsWith(suffix))
  );
}

const STRING_PATTERNS: Array<[RegExp, string]> = [
  // shelfwatch API keys anywhere in text: the visible prefix stays, so a log can still say which key.
  [/\b(sw_[a-z2-7]{12}_)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, `$1${REDACTED}`],
  // Session cookies written into messages: "sw_session=abc".
  [/\b(sw_session=)[^;\s,]+/g, `$1${REDACTED}`],
  // HTTP auth schemes written into messages: "Authorization: Bearer abc", "Basic dXNlcjpwYXNz".
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens quoted anywhere, e.g. in a verifier's error: a base64url JSON header
  // ("eyJ…") and payload, with or without their signature.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, REDACTED],
  // Credentials in URLs: postgres://user:secret@host -> postgres://user:[REDACTED]@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s/?#@]*@/gi, `$1:${REDACTED}@`],
  // Secrets in query strings: ?token=..., &api_key=..., &key=..., &password=...
  [
    /([?&](?:access_token|refresh_token|id_token|token|api_key|apikey|key|password|passwd|secret|client_secret|sig|signature)=)[^&#\s]*/gi,
    `$1${REDACTED}`,
  ],
  // Secrets spelled out in free text: "password=hunter2", "api_key: abc", "client_secret=xyz".
  [
    /\b((?:db_?|client_?)?(?:password|passwd|pwd|secret|api[_-]?key|access_token|refresh_token))(\s*[=:]\s*)(?!\[REDACTED\])[^\s&#,;'"(){}[\]<>]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * Every pattern above needs one of these (case aside): "sw_", "Bearer", "Basic", "Token", "eyJ",
 * "://", or a secret's name ("pass", "pwd", "secret", "api", "key", "sig", "token"). Text with
 * none of them, as most request URLs and user agents, passes after one scan instead of seven
 * (ADR 0042); `redact.spec.ts` checks that a pattern never matches where this does not.
 */
const MIGHT_HOLD_SECRET = /sw_|bearer|basic|token|eyj|:\/\/|pass|pwd|secret|api|key|sig/i;

/** Masks secrets embedded in free text: bearer/basic credentials, URL passwords and secret query parameters. */
export function redactString(text: string): string {
  return MIGHT_HOLD_SECRET.test(text) ? redactByEveryPattern(text) : text;
}

/** `redactString` without its first scan: every pattern applied (exported for its spec). */
export function redactByEveryPattern(text: string): string {
  let result = text;
  for (const [pattern, replacement] of STRING_PATTERNS)
    result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a deep copy of `value` with secrets masked: values under sensitive keys (authorization,
 * cookies, API keys, passwords, secrets, tokens) become `[REDACTED]`, and strings have embedded
 * credentials masked. Errors become plain objects that keep `name`, `message` and `stack`.
 */
export function redact<T>(value: T): T {
  return redactValue(value, 0, new WeakSet()) as T;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Map)
      return redactEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    if (value instanceof Set) return [...value].map((item) => redactValue(item, depth + 1, seen));
    const entries: Array<[string, unknown]> = Object.entries(value);
    if (value instanceof Error) {
      entries.unshift(['name', value.name], ['message', value.message], ['stack', value.stack]);
      if (value.cause !== undefined) entries.push(['cause', value.cause]);
    }
    return redactEntries(entries, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(
  entries: Array<[string, unknown]>,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (item === undefined) continue;
    result[key] = isSensitiveKey(key) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return result;
}
