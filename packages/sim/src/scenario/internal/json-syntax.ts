/**
 * A JSON syntax check (RFC 8259) that says what is wrong in JSON's own words, where, and that
 * never recurses: a `.json` scenario is checked with it before anything else reads the text, so
 * a broken file gets "expected ',' or '}' after a property" at its line and column rather than
 * the YAML parser's wording, and 10^5 nested `[` get "nests deeper than …" rather than a stack
 * overflow. It also refuses duplicate keys, which `JSON.parse` accepts silently (the last wins).
 */

/** The first problem in a JSON text. */
export interface JsonProblem {
  /** Offset (UTF-16 index) where it is. */
  readonly offset: number;
  /** What is wrong and what to do, in JSON's terms. */
  readonly message: string;
  /** True for nesting deeper than the limit (the caller reports it with its own code). */
  readonly tooDeep?: true;
}

interface Frame {
  readonly kind: "object" | "array";
  /** Keys seen so far (objects only). */
  readonly keys: Set<string> | undefined;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Checks that `text` is one JSON value nesting at most `maxDepth` levels, with no duplicate key.
 *
 * @param text - the file's content.
 * @param maxDepth - deepest nesting accepted (objects and arrays on one path).
 * @returns the first problem, or `undefined` when the text is valid.
 */
export function checkJson(text: string, maxDepth: number): JsonProblem | undefined {
  return new JsonChecker(text, maxDepth).check();
}

class JsonChecker {
  private readonly text: string;
  private readonly maxDepth: number;
  private pos = 0;
  private readonly stack: Frame[] = [];

  constructor(text: string, maxDepth: number) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  check(): JsonProblem | undefined {
    // A byte order mark may open the text (RFC 8259 §8.1 lets a reader ignore it).
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      return this.fail("the file is empty; a JSON scenario is an object: { ... }");
    }
    // Each turn reads one value; containers push a frame and are closed by `afterValue`.
    for (;;) {
      const problem = this.value();
      if (problem !== undefined) return problem;
      const after = this.afterValue();
      if (after === "done") return undefined;
      if (after !== "next") return after;
    }
  }

  private fail(message: string, offset = this.pos): JsonProblem {
    return { offset, message };
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.pos))) {
      this.pos++;
    }
  }

  /** What is at the current position, for "got …". */
  private got(): string {
    if (this.pos >= this.text.length) return "the end of the file";
    const word = /^[A-Za-z0-9_+.-]+/.exec(this.text.slice(this.pos, this.pos + 24))?.[0];
    return JSON.stringify(word ?? this.text[this.pos]);
  }

  private commentOrGot(): string {
    return this.text.startsWith("//", this.pos) || this.text.startsWith("/*", this.pos)
      ? "a comment (JSON has none)"
      : this.got();
  }

  /**
   * Reads a value. A container is opened (with its first key, for an object) and the loop goes
   * on to its first item; `afterValue` closes containers. Nothing recurses.
   */
  private value(): JsonProblem | undefined {
    for (;;) {
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return this.scalar(c);
      if (this.stack.length >= this.maxDepth) {
        return { ...this.fail(`nests deeper than ${this.maxDepth} levels`), tooDeep: true };
      }
      const kind = c === 0x7b ? "object" : "array";
      this.stack.push({ kind, keys: kind === "object" ? new Set() : undefined });
      this.pos++;
      this.skipWhitespace();
      const close = this.text.charCodeAt(this.pos);
      if ((kind === "object" && close === 0x7d) || (kind === "array" && close === 0x5d)) {
        // Empty: the container is a complete value; `afterValue` closes it.
        this.emptyClose = true;
        return undefined;
      }
      if (kind === "object") {
        const key = this.key(true);
        if (key !== undefined) return key;
      }
    }
  }

  /** Reads a string, number or literal starting with the character `c`. */
  private scalar(c: number): JsonProblem | undefined {
    if (c === 0x22 /* " */) return this.string();
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return undefined;
      }
    }
    if (c === 0x27 /* ' */) {
      return this.fail('JSON strings use double quotes ("..."), not single quotes');
    }
    if (/^(NaN|Infinity|-Infinity)\b/.test(this.text.slice(this.pos, this.pos + 9))) {
      return this.fail(`${this.got()} is not a JSON number; give a finite number`);
    }
    return this.fail(
      `expected a value (a string, number, object, array, true, false or null), got ${this.commentOrGot()}`,
    );
  }

  /** Set when `value` opened an empty container, so `afterValue` closes it at once. */
  private emptyClose = false;

  /**
   * After a value: `,` and the next item (returns "next" with the position at the next value),
   * or the closing bracket(s), or the end of the text ("done").
   */
  private afterValue(): JsonProblem | "next" | "done" {
    for (;;) {
      this.skipWhitespace();
      const frame = this.stack[this.stack.length - 1];
      if (frame === undefined) {
        if (this.pos >= this.text.length) return "done";
        return this.fail(
          `the JSON value ended, but the file goes on with ${this.commentOrGot()}; a file holds one value`,
        );
      }
      const c = this.text.charCodeAt(this.pos);
      const close = frame.kind === "object" ? 0x7d : 0x5d;
      if (this.emptyClose) {
        this.emptyClose = false;
        this.pos++;
        this.stack.pop();
        continue;
      }
      if (c === close) {
        this.pos++;
        this.stack.pop();
        continue;
      }
      if (c === 0x2c /* , */) {
        const comma = this.pos;
        this.pos++;
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) === close) {
          return this.fail(
            `a comma before "${String.fromCharCode(close)}": JSON allows no trailing comma; remove it`,
            comma,
          );
        }
        if (frame.kind === "object") {
          const key = this.key(false);
          if (key !== undefined) return key;
        }
        return "next";
      }
      if (this.pos >= this.text.length) {
        const open = this.stack.length;
        return this.fail(
          `the file ends inside ${open === 1 ? "an unclosed" : `${open} unclosed`} ${frame.kind === "object" ? "{" : "["}; is it cut short?`,
        );
      }
      return frame.kind === "object"
        ? this.fail(`expected "," or "}" after a property, got ${this.commentOrGot()}`)
        : this.fail(`expected "," or "]" after an item, got ${this.commentOrGot()}`);
    }
  }

  /** Reads `"key":` in the innermost object, checking it is not a duplicate. */
  private key(first: boolean): JsonProblem | undefined {
    this.skipWhitespace();
    const frame = this.stack[this.stack.length - 1]!;
    const start = this.pos;
    if (this.text.charCodeAt(this.pos) !== 0x22) {
      if (this.text.charCodeAt(this.pos) === 0x27) {
        return this.fail('JSON property names use double quotes ("name"), not single quotes');
      }
      return this.fail(
        `expected a property name in double quotes${first ? ' or "}"' : ""}, got ${this.commentOrGot()}`,
      );
    }
    const problem = this.string();
    if (problem !== undefined) return problem;
    const name = JSON.parse(this.text.slice(start, this.pos)) as string;
    if (frame.keys!.has(name)) {
      return this.fail(
        `duplicate key ${JSON.stringify(name)} in this object; JSON readers keep only one, so remove one`,
        start,
      );
    }
    frame.keys!.add(name);
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) {
      return this.fail(`expected ":" after the property name, got ${this.commentOrGot()}`);
    }
    this.pos++;
    return undefined;
  }

  private string(): JsonProblem | undefined {
    const start = this.pos;
    this.pos++;
    const n = this.text.length;
    while (this.pos < n) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return undefined;
      }
      if (c === 0x5c /* \ */) {
        const e = this.text[this.pos + 1];
        if (e === "u") {
          if (!/^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            return this.fail("\\u in a string needs four hex digits (\\u00e9)");
          }
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          return this.fail(
            `invalid escape "\\${e ?? ""}" in a string; JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
          );
        }
        this.pos += 2;
        continue;
      }
      if (c < 0x20) {
        const hex = c.toString(16).toUpperCase().padStart(4, "0");
        return this.fail(
          `a control character (U+${hex}) in a string; JSON strings write it escaped (\\n, \\t, \\u${hex.toLowerCase()})`,
        );
      }
      this.pos++;
    }
    return this.fail("a string is not closed (no ending double quote)", start);
  }

  private number(): JsonProblem | undefined {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    const next = this.text.charCodeAt(this.pos + (match?.[0].length ?? 0));
    const continues =
      (next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45;
    if (match === null || match[0] === "-" || continues) {
      return this.fail(
        `${this.got()} is not a JSON number (no leading zeros, "+" or bare ".", digits after "." and "e")`,
      );
    }
    this.pos += match[0].length;
    return undefined;
  }
}
