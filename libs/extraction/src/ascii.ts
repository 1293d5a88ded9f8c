/** Character-code tests for the ASCII fast paths of the parser and the price reader. */

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** An ASCII capital lower-cased; any other code as it is. */
export function asciiLower(code: number): number {
  return code >= 65 && code <= 90 ? code | 0x20 : code;
}
