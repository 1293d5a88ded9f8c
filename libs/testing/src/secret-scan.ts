/**
 * Secrets a log line must never hold, found by shape: whatever a test fed the app, a credential
 * that reaches a log shows up as one of these unless it was redacted.
 */
const SECRET_SHAPES: Array<[string, RegExp]> = [
  // A whole shelfwatch API key (the visible prefix alone is fine).
  ['api key', /\bsw_[a-z2-7]{12}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/],
  // A JSON Web Token: base64url JSON header and payload.
  ['json web token', /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/],
  // An HTTP credential written out.
  ['bearer or basic credential', /\b(?:Bearer|Basic)\s+(?!\[REDACTED\])[A-Za-z0-9\-._~+/]{8,}=*/i],
  // A password in a URL (postgresql://user:password@host).
  ['password in a URL', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:(?!\[REDACTED\]@)[^\s/?#@]+@/i],
  // A session cookie value.
  ['session cookie', /\bsw_session=(?!\[REDACTED\])[^;\s,"]{8,}/],
];

export interface LeakedSecret {
  /** What leaked: a shape's name, or `known secret` for one of the values the test passed. */
  kind: string;
  /** The line, cut to 200 characters around the leak. */
  line: string;
}

/**
 * Log lines that hold a secret: one of `known` (values a test used: keys, passwords, tokens,
 * cookies; those shorter than 8 characters are too common to look for) or anything shaped like
 * a credential. An empty result means no line leaked.
 */
export function secretsInLogs(
  lines: readonly string[],
  known: readonly string[] = [],
): LeakedSecret[] {
  const values = known.filter((value) => value.length >= 8);
  const leaks: LeakedSecret[] = [];
  for (const line of lines) {
    const value = values.find((candidate) => line.includes(candidate));
    const shape = SECRET_SHAPES.find(([, pattern]) => pattern.test(line));
    const at = value ? line.indexOf(value) : shape ? line.search(shape[1]) : -1;
    if (at >= 0)
      leaks.push({
        kind: value ? 'known secret' : shape![0],
        line: line.slice(Math.max(0, at - 100), at + 100),
      });
  }
  return leaks;
}
