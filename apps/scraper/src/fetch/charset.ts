import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Labels the WHATWG Encoding Standard maps to windows-1252, which is what pages mean by them. */
const WINDOWS_1252_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'us-ascii', 'ascii']);
/** How far into the body `<meta charset>` is looked for (the HTML prescan reads 1024 bytes). */
const PRESCAN_BYTES = 1024;

function supported(label: string | undefined): string | undefined {
  if (!label) return undefined;
  // Nearly every page says one of these: no normalising, and iconv-lite's codec table (tens of
  // milliseconds to load) is not needed for them.
  if (label === 'utf-8' || label === 'UTF-8' || label === 'utf8') return 'utf-8';
  const name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (WINDOWS_1252_LABELS.has(name)) return 'windows-1252';
  return iconv.encodingExists(name) ? name : undefined;
}

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

function charsetFromBom(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** `<meta charset>`, `<meta http-equiv content="...charset=">` or an XML declaration's encoding. */
export function charsetFromMarkup(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, PRESCAN_BYTES).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1];
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (!meta?.[1]) return undefined;
  // A page that reached us as bytes cannot be UTF-16 if its ASCII meta tag is readable.
  return /^utf-16/i.test(meta[1]) ? 'utf-8' : meta[1];
}

export interface DecodedText {
  text: string;
  charset: string;
}

/**
 * Decodes a body: a BOM wins, then the header's charset, then the markup's; a declared UTF-8
 * that is not valid UTF-8 (a wrong header) falls back to the markup or windows-1252.
 */
export function decodeText(bytes: Buffer, contentType?: string): DecodedText {
  const fromMarkup = () => supported(charsetFromMarkup(bytes));
  let charset =
    charsetFromBom(bytes) ?? supported(charsetFromContentType(contentType)) ?? fromMarkup();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') {
    if (!isUtf8(bytes)) {
      const markup = fromMarkup();
      charset = markup && markup !== 'utf-8' && markup !== 'utf8' ? markup : 'windows-1252';
    } else charset = 'utf-8';
  }
  // Valid UTF-8 (checked above) decodes natively; iconv-lite would go through a StringDecoder.
  if (charset === 'utf-8') {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { text: (bom ? bytes.subarray(3) : bytes).toString('utf8'), charset };
  }
  return { text: iconv.decode(bytes, charset), charset };
}
