/**
 * A pure function of a short text, remembered across pages: a shop prints the same class
 * names and stock lines on every page, and the scraper reads the same shops again and again.
 * Cleared when `capacity` texts are held, which bounds its memory.
 */
export function textMemo<T>(read: (text: string) => T, capacity: number): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined && !known.has(text)) {
      if (known.size >= capacity) known.clear();
      value = read(text);
      known.set(ownCopy(text), value);
    }
    return value as T;
  };
}

/**
 * A text of its own for a key kept across pages: a piece of a page may be a slice that holds
 * the whole page's string alive. A property key's string is internalized, a flat copy.
 */
function ownCopy(text: string): string {
  return Object.keys({ [text]: 0 })[0] as string;
}
