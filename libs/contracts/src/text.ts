// NUL (which PostgreSQL's text and json types refuse) and UTF-16 surrogates without their pair
// (which no UTF-8 encoding can carry).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text can be stored and sent as it is: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** For `.refine(isStorableText, storableTextError)` on a string a caller sends. */
export const storableTextError = {
  error: 'must not contain NUL characters or unpaired surrogates',
};
