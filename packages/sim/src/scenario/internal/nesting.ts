/**
 * A cheap scan of YAML text for how deeply it nests, run before the YAML parser: the parser and
 * its composer recurse once per level, so 10^5 nested `[` would exhaust the stack (or abort V8)
 * before any depth limit on the parsed value could be checked.
 *
 * The scan is one pass over the characters with a few states (plain text, quoted scalar, comment,
 * block scalar) and counts what opens a level: the indentation of block collections, the `- ` and
 * `? ` of compact nested entries, and `[` / `{` where they start a flow collection. It does not
 * validate anything; the parser does that once the depth is known to be safe.
 */

/** Where the text first nests deeper than the limit. */
export interface DeepNesting {
  /** Offset (UTF-16 index) of the character that opened one level too many. */
  readonly offset: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** Whether `c` continues a plain word (so `---x` is not a document marker). */
function isPlain(c: number): boolean {
  return !isBlank(c) && !isBreak(c);
}

/**
 * Scans `text` (YAML or JSON) for nesting deeper than `limit` levels.
 *
 * @param text - the document.
 * @param limit - deepest nesting accepted (containers on one path from the root).
 * @returns where it first goes deeper, or `undefined` when it never does.
 */
export function findDeepNesting(text: string, limit: number): DeepNesting | undefined {
  return new NestingScanner(text, limit).scan();
}

class NestingScanner {
  private readonly text: string;
  private readonly limit: number;
  private pos = 0;
  /** Columns of the open block levels (indentation of block collections and compact entries). */
  private readonly blocks: number[] = [];
  /** Open `[` / `{`. */
  private flow = 0;

  constructor(text: string, limit: number) {
    this.text = text;
    this.limit = limit;
  }

  scan(): DeepNesting | undefined {
    const n = this.text.length;
    while (this.pos < n) {
      const problem = this.flow > 0 ? this.flowLine() : this.blockLine();
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  private code(at: number): number {
    return at < this.text.length ? this.text.charCodeAt(at) : LF;
  }

  private tooDeep(offset: number): DeepNesting | undefined {
    return this.blocks.length + this.flow > this.limit ? { offset } : undefined;
  }

  /** A line in block context: its indentation, compact entries, then its content. */
  private blockLine(): DeepNesting | undefined {
    const start = this.pos;
    let p = start;
    // Tabs are not YAML indentation (the parser says so), but the line is scanned all the same.
    while (isBlank(this.code(p))) p++;
    const indent = p - start;
    const c = this.code(p);
    if (isBreak(c) || c === 0x23 /* # */) {
      this.pos = this.skipLine(p);
      return undefined;
    }
    if (indent === 0 && this.text.startsWith("---", p) && !isPlain(this.code(p + 3))) {
      // A document marker: a new document starts at the root, maybe on this line.
      this.blocks.length = 0;
      this.blocks.push(0);
      return this.content(p + 3, 0, true);
    }
    while (this.blocks.length > 0 && this.blocks[this.blocks.length - 1]! >= indent) {
      this.blocks.pop();
    }
    this.blocks.push(indent);
    let problem = this.tooDeep(p);
    if (problem !== undefined) return problem;
    // Compact nested entries: "- - - x", "? - x": each indicator opens one more level.
    for (;;) {
      const k = this.code(p);
      if (
        (k === 0x2d || k === 0x3f) /* - ? */ &&
        (isBlank(this.code(p + 1)) || isBreak(this.code(p + 1)))
      ) {
        p++;
        while (isBlank(this.code(p))) p++;
        if (isBreak(this.code(p))) break;
        this.blocks.push(p - start);
        problem = this.tooDeep(p);
        if (problem !== undefined) return problem;
        continue;
      }
      break;
    }
    return this.content(p, indent, true);
  }

  /** A line that continues inside a flow collection. */
  private flowLine(): DeepNesting | undefined {
    return this.content(this.pos, -1, false);
  }

  /**
   * The rest of a line (and of any quoted scalar or flow collection that continues past it).
   * `tokenStart` says whether a scalar or collection may start at `p`.
   */
  private content(from: number, indent: number, tokenStart: boolean): DeepNesting | undefined {
    let p = from;
    let atToken = tokenStart;
    const n = this.text.length;
    while (p < n) {
      const c = this.text.charCodeAt(p);
      if (isBreak(c)) {
        this.pos = p + 1;
        return undefined;
      }
      if (isBlank(c)) {
        p++;
        if (this.flow > 0) atToken = true;
        continue;
      }
      if (c === 0x23 /* # */ && (p === 0 || isBlank(this.text.charCodeAt(p - 1)) || atToken)) {
        this.pos = this.skipLine(p);
        return undefined;
      }
      if (atToken && (c === 0x22 || c === 0x27) /* " ' */) {
        p = this.skipQuoted(p, c);
        atToken = false;
        continue;
      }
      if ((c === 0x5b || c === 0x7b) /* [ { */ && (atToken || this.flow > 0)) {
        this.flow++;
        const problem = this.tooDeep(p);
        if (problem !== undefined) return problem;
        p++;
        atToken = true;
        continue;
      }
      if ((c === 0x5d || c === 0x7d) /* ] } */ && this.flow > 0) {
        this.flow--;
        p++;
        atToken = false;
        continue;
      }
      if (c === 0x2c /* , */ && this.flow > 0) {
        p++;
        atToken = true;
        continue;
      }
      if (
        c === 0x3a /* : */ &&
        (isBlank(this.code(p + 1)) || isBreak(this.code(p + 1)) || this.flow > 0)
      ) {
        p++;
        atToken = true;
        continue;
      }
      if (atToken && this.flow === 0 && (c === 0x7c || c === 0x3e) /* | > */ && indent >= 0) {
        this.pos = this.skipBlockScalar(p, indent);
        return undefined;
      }
      if (atToken && (c === 0x26 || c === 0x21) /* & ! */) {
        // An anchor or tag before the value: the value may still start after it.
        while (p < n && !isBlank(this.text.charCodeAt(p)) && !isBreak(this.text.charCodeAt(p))) p++;
        continue;
      }
      atToken = false;
      p++;
    }
    this.pos = n;
    return undefined;
  }

  /** Skips a quoted scalar starting at `p` (it may span lines); returns the offset after it. */
  private skipQuoted(p: number, quote: number): number {
    const n = this.text.length;
    let q = p + 1;
    while (q < n) {
      const c = this.text.charCodeAt(q);
      if (quote === 0x22 && c === 0x5c /* \ */) {
        q += 2;
        continue;
      }
      if (c === quote) {
        if (quote === 0x27 && this.code(q + 1) === 0x27) {
          q += 2; // '' is an escaped quote
          continue;
        }
        return q + 1;
      }
      q++;
    }
    return n;
  }

  /** Skips a block scalar (`|` or `>`): its header line and every line indented past `indent`. */
  private skipBlockScalar(p: number, indent: number): number {
    let q = this.skipLine(p);
    const n = this.text.length;
    while (q < n) {
      let r = q;
      while (this.code(r) === SPACE) r++;
      if (!isBreak(this.code(r)) && r - q <= indent) return q;
      q = this.skipLine(r);
    }
    return n;
  }

  /** The offset after the line break that ends the line holding `p`. */
  private skipLine(p: number): number {
    const n = this.text.length;
    let q = p;
    while (q < n && !isBreak(this.text.charCodeAt(q))) q++;
    if (q < n && this.text.charCodeAt(q) === CR && this.code(q + 1) === LF) q++;
    return Math.min(n, q + 1);
  }
}
