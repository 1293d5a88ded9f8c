import { decodeEntities } from './draft';

const VALID_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

interface Cleaned {
  readonly text: string;
  /** Brackets still open at the end: the block was cut off. */
  readonly open: string;
  readonly inString: boolean;
}

/**
 * One linear pass that turns what pages put in JSON-LD blocks into JSON: drops comments, HTML
 * comment and CDATA markers, trailing commas and invalid escapes, and escapes raw control
 * characters inside strings.
 */
function clean(source: string): Cleaned {
  let out = '';
  const stack: string[] = [];
  let inString = false;
  let index = 0;
  const length = source.length;
  while (index < length) {
    const char = source[index] as string;
    if (inString) {
      if (char === '\\') {
        const next = source[index + 1];
        if (next === undefined) break;
        if (VALID_ESCAPES.has(next)) out += char + next;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(index + 2, index + 6)))
          out += '\\u';
        else if (next === '\n' || next === '\r') out += '';
        else out += next === "'" ? "'" : `\\\\${next === '"' ? '' : next}`;
        index += 2;
        continue;
      }
      if (char === '"') inString = false;
      const code = char.charCodeAt(0);
      if (code < 0x20) {
        out += char === '\n' ? '\\n' : char === '\r' ? '\\r' : char === '\t' ? '\\t' : ' ';
      } else {
        out += char;
      }
      index++;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      index++;
      continue;
    }
    if (char === '/' && source[index + 1] === '/') {
      const newline = source.indexOf('\n', index);
      index = newline === -1 ? length : newline;
      continue;
    }
    if (char === '/' && source[index + 1] === '*') {
      const close = source.indexOf('*/', index + 2);
      index = close === -1 ? length : close + 2;
      continue;
    }
    if (source.startsWith('<!--', index)) {
      index += 4;
      continue;
    }
    if (source.startsWith('-->', index)) {
      index += 3;
      continue;
    }
    if (source.startsWith('<![CDATA[', index)) {
      index += 9;
      continue;
    }
    if (source.startsWith(']]>', index)) {
      index += 3;
      continue;
    }
    if (char === ',') {
      let ahead = index + 1;
      while (ahead < length && /\s/.test(source[ahead] as string)) ahead++;
      const next = source[ahead];
      if (next === '}' || next === ']' || next === ',') {
        index++;
        continue;
      }
    }
    if (char === '{' || char === '[') stack.push(char === '{' ? '}' : ']');
    if ((char === '}' || char === ']') && stack[stack.length - 1] === char) stack.pop();
    out += char;
    index++;
  }
  return { text: out, open: stack.reverse().join(''), inString };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Several objects one after the other ("{..}{..}" or "{..},{..}") become one array. */
function asArray(text: string): unknown {
  const joined = text.trim().replace(/}\s*,?\s*{/g, '},{');
  return tryParse(`[${joined}]`);
}

/**
 * Parses a JSON-LD block the way a forgiving reader would; undefined when nothing sensible
 * can be recovered. Never throws.
 */
export function parseJsonTolerant(source: string): unknown {
  const direct = tryParse(source);
  if (direct !== undefined) return direct;
  const attempts = [source];
  if (/&(quot|#34|#x22);/i.test(source)) attempts.push(decodeEntities(source));
  for (const attempt of attempts) {
    const cleaned = clean(attempt);
    const parsed = tryParse(cleaned.text) ?? asArray(cleaned.text);
    if (parsed !== undefined) return parsed;
    // Cut off mid-way: close what is open and keep what was complete.
    const repaired =
      cleaned.text.replace(/,\s*$/, '') + (cleaned.inString ? '"' : '') + cleaned.open;
    const recovered =
      tryParse(repaired) ?? tryParse(repaired.replace(/,\s*"[^"]*"\s*:?\s*"?([}\]]+)$/, '$1'));
    if (recovered !== undefined) return recovered;
  }
  return undefined;
}
