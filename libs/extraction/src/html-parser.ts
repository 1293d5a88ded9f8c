import type * as DomhandlerNodes from 'domhandler';
import type * as Entities from 'entities/lib/decode.js';
import type * as Htmlparser2 from 'htmlparser2';
import { asciiLower, isAsciiLetter } from './ascii';
import type { DomNode } from './dom';

/** Deeper than this is not a real page but a parser trap; the rest of the document is dropped. */
export const MAX_NESTING = 400;

/** What the tree builder moves in htmlparser2's tokenizer; not in its typings (they are private). */
interface TokenizerState {
  /** Position of the character being read, counted from the start of the first written chunk. */
  index: number;
  buffer: string;
  offset: number;
}

/** Whitespace as htmlparser2's tokenizer reads it. */
function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 12 || code === 13;
}

/** Whether `html` has the lower-case ASCII `name` at `at`, in any case. */
function hasNameAt(html: string, at: number, name: string): boolean {
  if (at + name.length > html.length) return false;
  for (let index = 0; index < name.length; index++)
    if ((html.charCodeAt(at + index) | 0x20) !== name.charCodeAt(index)) return false;
  return true;
}

/**
 * Where the tokenizer would end a script or style whose start tag ends just before `from`: the
 * first `</name` followed by whitespace or ">", in any case (htmlparser2's special-tag rule).
 */
function rawTextCloseAt(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 2)) {
    if (!hasNameAt(html, at + 2, name)) continue;
    const after = html.charCodeAt(at + 2 + name.length);
    if (after === 62 || isWhitespace(after)) return at; // '>'
  }
  return -1;
}

/** A character that ends a start tag's name for htmlparser2: whitespace, "/" or ">". */
function endsTagName(code: number): boolean {
  return isWhitespace(code) || code === 47 || code === 62;
}

/** The elements whose text htmlparser2's tokenizer reads raw, up to their closing tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

interface StartTag {
  readonly name: string;
  /** Index of the ">" that ends the tag. */
  readonly end: number;
  readonly selfClosing: boolean;
}

/**
 * Reads the start tag whose name begins at `from` as htmlparser2's tokenizer does: quoted and
 * unquoted attribute values, a "/" directly before ">" (whitespace between allowed). Null when
 * the document ends inside the tag.
 */
function readStartTag(html: string, from: number): StartTag | null {
  let at = from;
  while (at < html.length && !endsTagName(html.charCodeAt(at))) at++;
  const name = html.slice(from, at).toLowerCase();
  let slash = false;
  while (at < html.length) {
    const code = html.charCodeAt(at);
    if (code === 62) return { name, end: at, selfClosing: slash }; // '>'
    if (isWhitespace(code)) {
      at++;
      continue;
    }
    if (code === 47) {
      slash = true;
      at++;
      continue;
    }
    slash = false;
    // An attribute: its name runs to "=", whitespace, "/" or ">".
    while (at < html.length && html.charCodeAt(at) !== 61 && !endsTagName(html.charCodeAt(at)))
      at++;
    let next = at;
    while (next < html.length && isWhitespace(html.charCodeAt(next))) next++;
    if (html.charCodeAt(next) !== 61) continue; // '=': otherwise an attribute without a value
    next++;
    while (next < html.length && isWhitespace(html.charCodeAt(next))) next++;
    const quote = html.charCodeAt(next);
    if (quote === 34 || quote === 39) {
      const close = html.indexOf(quote === 34 ? '"' : "'", next + 1);
      if (close === -1) return null;
      at = close + 1;
    } else {
      at = next;
      while (at < html.length && html.charCodeAt(at) !== 62 && !isWhitespace(html.charCodeAt(at)))
        at++;
    }
  }
  return null;
}

/** Start tags that make htmlparser2 close open elements (its `openImpliesClose` keys). */
const IMPLIES_CLOSE = new Set(
  'tr th td body li p h1 h2 h3 h4 h5 h6 select input output button datalist textarea option optgroup dd dt address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul rt rp tbody tfoot'.split(
    ' ',
  ),
);
/** htmlparser2's void elements: never open, so they change nothing on its stack. */
const VOID_ELEMENTS = new Set(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr'.split(
    ' ',
  ),
);
/** Elements that switch htmlparser2's foreign context, other than svg and the two SVG ones. */
const OTHER_CONTEXT_SWITCHES = new Set([
  'math',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
]);
/** Inside an svg these switch htmlparser2 back to HTML rules (self-closing tags not closed). */
const SVG_HTML_INTEGRATION = new Set(['title', 'desc']);

/**
 * Where the closing tag of the `<svg>` whose start tag ends just before `from` begins, when
 * skipping there leaves htmlparser2 exactly as reading every character would; otherwise -1,
 * and the tokenizer reads the svg (the tree keeps none of it either way). It follows the svg's
 * insides at the level of tags as htmlparser2 does: start tags with their quoted values, closing
 * tags, comments, CDATA, declarations, raw-text elements, and the elements the svg has open.
 * Anything that would reach outside the svg (a closing tag of an element open around it, a tag
 * that implies closes, a switch of foreign context left unbalanced) gives up on the skip.
 */
function svgCloseAt(html: string, from: number, openOutside: (name: string) => boolean): number {
  /** Elements open inside the svg, innermost last, and whether each reads HTML rules. */
  const inside: string[] = [];
  let htmlRules = 0;
  let at = html.indexOf('<', from);
  while (at !== -1) {
    const next = html.charCodeAt(at + 1);
    let resume: number;
    if (next === 33) {
      // '<!': a comment, CDATA or a declaration
      const end = html.startsWith('<!--', at)
        ? html.indexOf('-->', at + 4)
        : html.startsWith('<![CDATA[', at)
          ? html.indexOf(']]>', at + 9)
          : html.indexOf('>', at + 2);
      if (end === -1) return -1;
      resume = end + 1;
    } else if (next === 63) {
      // '<?': a processing instruction
      const end = html.indexOf('>', at + 2);
      if (end === -1) return -1;
      resume = end + 1;
    } else if (next === 47) {
      // '</': whitespace may come before the name, which runs to whitespace or ">"
      let nameAt = at + 2;
      while (nameAt < html.length && isWhitespace(html.charCodeAt(nameAt))) nameAt++;
      const end = html.indexOf('>', nameAt);
      if (end === -1) return -1;
      resume = end + 1;
      if (isAsciiLetter(html.charCodeAt(nameAt))) {
        let nameEnd = nameAt;
        while (nameEnd < end && !isWhitespace(html.charCodeAt(nameEnd))) nameEnd++;
        const name = html.slice(nameAt, nameEnd).toLowerCase();
        const open = inside.lastIndexOf(name);
        if (open !== -1) {
          // Closes it and whatever is open inside it, as htmlparser2 does.
          for (let index = open + 1; index < inside.length; index++) {
            const within = inside[index] as string;
            if (within === 'svg' || SVG_HTML_INTEGRATION.has(within)) return -1;
          }
          if (SVG_HTML_INTEGRATION.has(name)) htmlRules--;
          inside.length = open;
        } else if (name === 'svg')
          // Closes the svg and what it holds open, which switched no foreign context.
          return inside.some((within) => SVG_HTML_INTEGRATION.has(within)) ? -1 : at;
        else if (openOutside(name)) return -1;
      }
    } else if (isAsciiLetter(next)) {
      const tag = readStartTag(html, at + 1);
      if (!tag) return -1;
      const name = tag.name;
      resume = tag.end + 1;
      if (IMPLIES_CLOSE.has(name) || OTHER_CONTEXT_SWITCHES.has(name)) return -1;
      if (!VOID_ELEMENTS.has(name)) {
        const closed = tag.selfClosing && htmlRules === 0;
        if (closed && (name === 'svg' || SVG_HTML_INTEGRATION.has(name))) return -1;
        if (!closed) {
          inside.push(name);
          if (SVG_HTML_INTEGRATION.has(name)) htmlRules++;
          // A self-closing tag leaves raw text mode off; otherwise the text runs to its end tag.
          if (RAW_TEXT_ELEMENTS.has(name) && !tag.selfClosing) {
            resume = rawTextCloseAt(html, name, resume);
            if (resume === -1) return -1;
          }
        }
      }
    } else resume = at + 1;
    at = html.indexOf('<', resume);
  }
  return -1;
}

/** Whether the start tag whose ">" is at `close` ends in "/" (whitespace allowed before ">"). */
function selfClosed(html: string, close: number): boolean {
  let at = close - 1;
  while (at > 0 && isWhitespace(html.charCodeAt(at))) at--;
  return html.charCodeAt(at) === 47;
}

/**
 * What the tree keeps inside an element: text with character references `decoded`; text as
 * written (`raw`) in the raw-text elements htmlparser2 does not decode either, JSON-LD among
 * them; or nothing at all (`dropped`): scripts other than JSON-LD, style sheets, inline SVG.
 */
type ContentMode = 'decoded' | 'raw' | 'dropped';

function contentModeOf(name: string, attribs: Record<string, string>): ContentMode {
  switch (name) {
    case 'svg':
    case 'style':
      return 'dropped';
    case 'script':
      return (attribs['type'] ?? '').toLowerCase().includes('ld+json') ? 'raw' : 'dropped';
    case 'textarea':
    case 'xmp':
      return 'raw';
    default:
      return 'decoded';
  }
}

/** Names seen before, by a hash of their lower-case characters: slots of `NAMES`. */
const NAME_SLOTS = 2048;
const NAMES: (string | undefined)[] = new Array<string | undefined>(NAME_SLOTS);

/**
 * The lower-cased ASCII name at `html[from, to)` as one shared, internalized string per name.
 * A fresh slice for every tag and attribute name would have to be hashed and looked up in V8's
 * string table each time it becomes a property key or meets a Map or Set; a name seen before
 * is found here by a hash of its characters and compared in place instead. Names with other
 * than ASCII characters are cut and lower-cased as htmlparser2 does (their case rules can
 * change the length).
 */
function internedName(html: string, from: number, to: number): string {
  let hash = to - from;
  for (let at = from; at < to; at++) {
    const code = html.charCodeAt(at);
    if (code > 127) return html.slice(from, to).toLowerCase();
    hash = (Math.imul(hash, 31) + asciiLower(code)) | 0;
  }
  const slot = hash & (NAME_SLOTS - 1);
  const known = NAMES[slot];
  if (known !== undefined && known.length === to - from) {
    let same = true;
    for (let index = 0; same && index < known.length; index++) {
      const code = html.charCodeAt(from + index);
      same = asciiLower(code) === known.charCodeAt(index);
    }
    if (same) return known;
  }
  // A property key's own string is internalized: the table keeps that one.
  const name = Object.keys({ [html.slice(from, to).toLowerCase()]: 0 })[0] as string;
  NAMES[slot] = name;
  return name;
}

type ParseDocument = (html: string) => DomNode;
let parseDocument: ParseDocument | undefined;

/**
 * htmlparser2's parser with a tree builder of our own, loaded by the first parse rather than when
 * the scraper starts (ADR 0021, 0027). The builder:
 *
 * - decodes character references as nodes are made, so the tokenizer runs with decoding off
 *   and skips over text and attribute values instead of inspecting every character for an "&";
 *   decoding follows htmlparser2's own rules with its own decoder (text in legacy mode except
 *   in raw-text elements, attribute values in attribute mode, only strings holding an "&");
 * - keeps what no extractor reads out of the tree: comments, and whatever is inside scripts
 *   other than JSON-LD, style sheets and inline SVG (icons and sprites, whose path data is much
 *   of a large page); those elements themselves stay, attributes and all, so the document keeps
 *   its shape (text around a dropped comment stays one text node, as if it was never there);
 * - moves the tokenizer straight past those script, style and SVG bodies, most of the bytes of
 *   a large real page, instead of tokenizing what it would throw away. Script and style end
 *   where htmlparser2 ends them; an SVG ends at its matching `</svg>` found by a scan of tag
 *   names (as the former pre-pass did), which a `</svg>` written inside an attribute value in
 *   the SVG would end early;
 * - stops at the first element nested deeper than `MAX_NESTING`: parsers spend time in
 *   proportion to the depth of open elements on every tag, and a page of unclosed tags by the
 *   hundred thousand would take minutes.
 *
 * Nodes are domhandler's, as htmlparser2's own DomHandler makes them, so cheerio can select in
 * the tree when a target has CSS selectors.
 */
function loadParser(): ParseDocument {
  if (parseDocument) return parseDocument;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Parser, Tokenizer } = require('htmlparser2') as typeof Htmlparser2;
  const { Document, Element, ProcessingInstruction, Text } =
    require('domhandler') as typeof DomhandlerNodes;
  const { decodeHTML, decodeHTMLAttribute } = require('entities/lib/decode.js') as typeof Entities;
  /* eslint-enable @typescript-eslint/no-require-imports */
  type Parent = DomhandlerNodes.Document | DomhandlerNodes.Element;
  type Child = DomhandlerNodes.ChildNode;

  const CHARACTERS = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
  /**
   * htmlparser2's tokenizer, seeking the next wanted character with `indexOf` rather than a
   * loop over every character. The method it replaces is private in the typings, so it is set
   * on the prototype; a version without it fails the first parse loudly instead of running slow.
   */
  class SeekingTokenizer extends Tokenizer {}
  const tokenizerMethods = Tokenizer.prototype as unknown as Record<string, unknown>;
  if (typeof tokenizerMethods['fastForwardTo'] !== 'function')
    throw new Error('htmlparser2 Tokenizer has no fastForwardTo to replace');
  (SeekingTokenizer.prototype as unknown as Record<string, unknown>)['fastForwardTo'] = function (
    this: TokenizerState,
    code: number,
  ): boolean {
    const at = this.buffer.indexOf(CHARACTERS[code] as string, this.index + 1 - this.offset);
    if (at !== -1) {
      this.index = at + this.offset;
      return true;
    }
    // The tokenizer's loop steps past the last character, as after its own scan.
    this.index = this.buffer.length + this.offset - 1;
    return false;
  };

  /**
   * htmlparser2's parser, reading names through `internedName` and decoding attribute values as
   * they are read. The methods replaced are internal, so their presence is checked: a version
   * without them fails the first parse rather than parses differently.
   */
  class NameInterningParser extends Parser {}
  interface ParserState {
    readingName: boolean;
    buffers: string[];
    bufferOffset: number;
    attribs: Record<string, string> | null;
    attribname: string;
    attribvalue: string;
    endIndex: number;
  }
  type ParserMethod = (this: ParserState, from: number, to: number) => string | void;
  const parserMethods = Parser.prototype as unknown as Record<string, ParserMethod | undefined>;
  const ourParserMethods = NameInterningParser.prototype as unknown as Record<string, ParserMethod>;
  const parserMethod = (name: string): ParserMethod => {
    const method = parserMethods[name];
    if (typeof method !== 'function') throw new Error(`htmlparser2 Parser has no ${name}`);
    return method;
  };
  const getSlice = parserMethod('getSlice');
  parserMethod('onattribend');
  // While one of these runs, the slice it cuts is a name.
  for (const name of ['onopentagname', 'onclosetag', 'onattribname']) {
    const original = parserMethod(name);
    ourParserMethods[name] = function (from, to) {
      this.readingName = true;
      original.call(this, from, to);
      this.readingName = false;
    };
  }
  ourParserMethods['getSlice'] = function (from, to) {
    // The whole document is written at once, so the first buffer is all of it.
    if (this.readingName && this.bufferOffset === 0 && this.buffers.length === 1)
      return internedName(this.buffers[0] as string, from, to);
    return getSlice.call(this, from, to);
  };
  ourParserMethods['onattribend'] = function (_quote, endIndex) {
    this.endIndex = endIndex;
    const attribs = this.attribs;
    // The first of repeated attributes counts, as in htmlparser2.
    if (attribs && !Object.hasOwn(attribs, this.attribname)) {
      const value = this.attribvalue;
      attribs[this.attribname] = value.includes('&') ? decodeHTMLAttribute(value) : value;
    }
    this.attribvalue = '';
  };

  class TreeBuilder implements Partial<Htmlparser2.Handler> {
    readonly root = new Document([]);
    private readonly open: Parent[] = [this.root];
    /** For each open element, what the tree keeps inside it (the root's text is decoded). */
    private readonly contentModes: ContentMode[] = ['decoded'];
    /** The text node the next text joins (text split by a dropped comment is one node). */
    private text: DomhandlerNodes.Text | null = null;
    /** Elements the parser has open inside a dropped element, which the tree leaves out. */
    private ignoredOpen = 0;
    private stopped = false;
    private tokenizer: TokenizerState | undefined;
    private parser: Htmlparser2.Parser | undefined;

    onparserinit(parser: Htmlparser2.Parser): void {
      this.parser = parser;
      this.tokenizer = (parser as unknown as { tokenizer: TokenizerState }).tokenizer;
    }

    private add(node: Child): void {
      const parent = this.open[this.open.length - 1] as Parent;
      const siblings = parent.children;
      const previous = siblings[siblings.length - 1];
      siblings.push(node);
      if (previous) {
        node.prev = previous;
        previous.next = node;
      }
      node.parent = parent;
      this.text = null;
    }

    /** Whether what the parser reports now lies where the tree keeps nothing. */
    private get ignoring(): boolean {
      return (
        this.stopped ||
        this.ignoredOpen > 0 ||
        this.contentModes[this.contentModes.length - 1] === 'dropped'
      );
    }

    onopentag(name: string, attribs: Record<string, string>): void {
      if (this.ignoring) {
        if (!this.stopped) this.ignoredOpen++;
        return;
      }
      if (this.open.length > MAX_NESTING) {
        this.stopped = true;
        this.parser?.pause();
        return;
      }
      const element = new Element(name, attribs);
      this.add(element);
      this.open.push(element);
      const mode = contentModeOf(name, attribs);
      this.contentModes.push(mode);
      if (mode === 'dropped') this.skipBody(name);
    }

    /**
     * Moves the tokenizer, now at the ">" of a script, style or svg start tag, to just before
     * the element's closing tag, as if it had read the body. A self-closed tag has no body, and
     * a body that never closes is left to the tokenizer (and to `ignoring`).
     */
    private skipBody(name: string): void {
      const tokenizer = this.tokenizer as TokenizerState;
      const html = tokenizer.buffer;
      const close = tokenizer.index - tokenizer.offset;
      if (html.charCodeAt(close) !== 62 || selfClosed(html, close)) return;
      const at =
        name === 'svg'
          ? svgCloseAt(html, close + 1, (outer) => this.isOpen(outer))
          : rawTextCloseAt(html, name, close + 1);
      if (at !== -1) tokenizer.index = at + tokenizer.offset - 1;
    }

    /** Whether an element of that name is open (the svg being skipped among them). */
    private isOpen(name: string): boolean {
      for (let index = this.open.length - 1; index > 0; index--)
        if ((this.open[index] as DomhandlerNodes.Element).name === name) return true;
      return false;
    }

    onclosetag(): void {
      if (this.stopped) return;
      if (this.ignoredOpen > 0) {
        this.ignoredOpen--;
        return;
      }
      this.open.pop();
      this.contentModes.pop();
      this.text = null;
    }

    ontext(data: string): void {
      if (this.ignoring) return;
      // The tokenizer never splits text inside a reference, so pieces decode on their own.
      const decode = this.contentModes[this.contentModes.length - 1] === 'decoded';
      const text = decode && data.includes('&') ? decodeHTML(data) : data;
      if (this.text) this.text.data += text;
      else {
        const node = new Text(text);
        this.add(node);
        this.text = node;
      }
    }

    onprocessinginstruction(name: string, data: string): void {
      if (!this.ignoring) this.add(new ProcessingInstruction(name, data));
    }
  }

  parseDocument = (html) => {
    const builder = new TreeBuilder();
    new NameInterningParser(builder, {
      decodeEntities: false,
      Tokenizer: SeekingTokenizer,
    }).end(html);
    return builder.root as unknown as DomNode;
  };
  return parseDocument;
}

/**
 * Loads the parser now rather than on the first parse, for a caller that has time before work
 * arrives (ADR 0047): under load, loading htmlparser2 took 50-350 ms, which the first pages
 * waited for.
 */
export function prepareParser(): void {
  loadParser();
}

/** The document as htmlparser2 nodes, without what no extractor reads (see `loadParser`). */
export function parseHtml(html: string): DomNode {
  return loadParser()(html);
}
