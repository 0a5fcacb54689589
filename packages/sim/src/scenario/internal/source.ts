/**
 * Reading scenario text (YAML or JSON) into a plain value while keeping the positions of its
 * nodes, so that every problem found later can be reported as `file:line:column`.
 *
 * Before any parser runs, the text is checked cheaply and without recursion: control characters
 * (a binary file) are refused, JSON text gets a full JSON syntax check in JSON's own words
 * (`json-syntax.ts`), and YAML text a scan of how deeply it nests (`nesting.ts`), so that 10^5
 * nested `[` are a clear error rather than a stack overflow inside the parser. YAML 1.2 is a
 * superset of JSON, so both then go through the `yaml` parser, which keeps source ranges; the
 * depth through aliases is checked on its syntax tree before the value is built.
 */

import type { VxPath } from "@vx/core";
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from "yaml";
import { checkJson } from "./json-syntax.js";
import { findDeepNesting } from "./nesting.js";

/** A 1-based line and column in the source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A problem found while reading the text itself. */
export interface SyntaxProblem {
  readonly code: string;
  readonly message: string;
  readonly position: Position;
}

/** The text, read. */
export interface SourceDocument {
  /** The plain value (objects, arrays, strings, numbers, booleans, null), or `undefined` on syntax errors. */
  readonly value: unknown;
  /** Syntax problems; when any, `value` is `undefined`. */
  readonly problems: readonly SyntaxProblem[];
  /**
   * Where the node at `path` starts; the closest existing ancestor when the path does not exist.
   * With `atKey`, points at the key of the last path element rather than its value.
   */
  locate(path: VxPath, atKey: boolean): Position;
}

/**
 * Deepest nesting accepted (collections on one path from the root): deeper text is refused
 * before anything recurses over it. A scenario nests about 5 levels.
 */
export const MAX_DEPTH = 200;

/** The code of a document that nests deeper than {@link MAX_DEPTH}. */
export const TOO_DEEP = "VX_SIM_SCENARIO_TOO_DEEP";

function tooDeepMessage(where: string): string {
  return `the document nests deeper than ${MAX_DEPTH} levels${where}; a scenario needs a handful, so this is not a scenario (or is generated wrongly)`;
}

/**
 * Reads scenario text.
 *
 * @param text - the file's content.
 * @param format - `yaml` or `json`.
 * @returns the value, syntax problems, and a locator of paths.
 */
export function readSource(text: string, format: "yaml" | "json"): SourceDocument {
  const early = checkText(text, format);
  if (early !== undefined) return failed([early]);
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      logLevel: "silent",
      // Duplicate keys are found by `inspectTree` in one pass: the parser's own check compares
      // each key with every earlier one (quadratic: 8000 keys took 6 s).
      uniqueKeys: false,
    });
  } catch (error) {
    // The parser reports problems as errors on the document; a throw is unexpected, but stays a
    // syntax problem of this input rather than a crash.
    return failed([{ code: syntaxCode(format), message: messageOf(error), position: at(0) }]);
  }
  const locate = (path: VxPath, atKey: boolean): Position => at(locateOffset(doc, path, atKey));

  if (doc.errors.length > 0) {
    return failed(
      doc.errors.map((e) => ({
        code: syntaxCode(format),
        message: firstLine(e.message),
        position: at(e.pos[0]),
      })),
      locate,
    );
  }
  const treeProblem = inspectTree(doc, format);
  if (treeProblem !== undefined) {
    return failed(
      [{ code: treeProblem.code, message: treeProblem.message, position: at(treeProblem.offset) }],
      locate,
    );
  }
  const keyProblem = complexKey(doc.contents);
  if (keyProblem !== undefined) {
    return failed(
      [
        {
          code: syntaxCode(format),
          message: "keys must be plain names, not lists or mappings",
          position: at(keyProblem),
        },
      ],
      locate,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return failed(
      [{ code: syntaxCode(format), message: messageOf(error), position: at(0) }],
      locate,
    );
  }
  const shape = checkShape(value);
  if (shape !== undefined) {
    return failed([{ code: syntaxCode(format), message: shape, position: at(0) }], locate);
  }
  return { value, problems: [], locate };
}

/**
 * The checks that run before any parser: control characters, then JSON syntax (for JSON) or
 * the nesting scan (for YAML). One pass each over the text, no recursion.
 */
function checkText(text: string, format: "yaml" | "json"): SyntaxProblem | undefined {
  const control = firstControlCharacter(text);
  if (control >= 0) {
    const hex = text.charCodeAt(control).toString(16).toUpperCase().padStart(4, "0");
    return {
      code: syntaxCode(format),
      message: `a control character (U+${hex}) that ${format === "json" ? "JSON" : "YAML"} text cannot hold; is it a binary file? Scenario files are YAML or JSON text`,
      position: positionOf(text, control),
    };
  }
  if (format === "json") {
    const problem = checkJson(text, MAX_DEPTH);
    if (problem === undefined) return undefined;
    return {
      code: problem.tooDeep === true ? TOO_DEEP : "VX_SIM_JSON_SYNTAX",
      message: problem.tooDeep === true ? tooDeepMessage("") : `JSON: ${problem.message}`,
      position: positionOf(text, problem.offset),
    };
  }
  const deep = findDeepNesting(text, MAX_DEPTH);
  if (deep === undefined) return undefined;
  return { code: TOO_DEEP, message: tooDeepMessage(""), position: positionOf(text, deep.offset) };
}

/**
 * The offset of the first C0 control character other than tab, line feed and carriage return,
 * or of DEL: characters neither YAML (its printable set) nor JSON text may hold; -1 when none.
 */
function firstControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return i;
  }
  return -1;
}

/** 1-based line and column (UTF-16 units, as the YAML parser counts) of an offset. */
function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Most aliases (`*name`) a scenario may use: each costs the YAML reader a pass over the anchors. */
export const MAX_ALIASES = 100;

/**
 * One pass over the syntax tree, before the value is built: duplicate keys in a mapping (keys
 * are compared as the text they become in a JS object, so `1` and `"1"` collide), more aliases
 * than {@link MAX_ALIASES}, an alias to a node that contains it, and nesting deeper than
 * {@link MAX_DEPTH} once aliases are followed (a chain of anchors nests as deep as it is long in
 * text of linear size). Linear in the number of nodes; aliases are resolved through one map of
 * anchors built in document order (the parser's own `resolve` searches the whole document for
 * each alias).
 */
function inspectTree(
  doc: Document.Parsed,
  format: "yaml" | "json",
): { readonly code: string; readonly message: string; readonly offset: number } | undefined {
  const lastAnchor = new Map<string, unknown>();
  const target = new Map<unknown, unknown>();
  let problem: { code: string; message: string; offset: number } | undefined;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (target.size >= MAX_ALIASES) {
          problem = {
            code: syntaxCode(format),
            message: `more than ${MAX_ALIASES} aliases (*name); a scenario needs a few, so write the repeated parts out`,
            offset: node.range?.[0] ?? 0,
          };
          return visit.BREAK;
        }
        target.set(node, lastAnchor.get(node.source));
        return undefined;
      }
      if (node.anchor !== undefined) lastAnchor.set(node.anchor, node);
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = keyText(pair.key);
          if (key === undefined) continue; // a complex key: reported by complexKey
          if (seen.has(key)) {
            problem = {
              code: syntaxCode(format),
              message: `duplicate key ${JSON.stringify(key)} in this mapping; keys must be unique (the second would replace the first)`,
              offset: startOf(pair.key) ?? 0,
            };
            return visit.BREAK;
          }
          seen.add(key);
        }
      }
      return undefined;
    },
  });
  if (problem !== undefined) return problem;
  const deep = depthThroughAliases(doc.contents, target);
  if (deep === undefined) return undefined;
  return deep === "cycle"
    ? {
        code: syntaxCode(format),
        message: "an alias refers to a node that contains it (a cycle)",
        offset: 0,
      }
    : { code: TOO_DEEP, message: tooDeepMessage(" through its aliases"), offset: 0 };
}

/**
 * How deeply the tree nests once aliases are followed (through `target`): `undefined` when
 * within {@link MAX_DEPTH}, `"deep"` beyond it, `"cycle"` when an alias refers to a node that
 * contains it. Iterative and memoised per node.
 */
function depthThroughAliases(
  root: unknown,
  target: ReadonlyMap<unknown, unknown>,
): "deep" | "cycle" | undefined {
  const depth = new Map<unknown, number>();
  const onPath = new Set<unknown>();
  const children = (node: unknown): unknown[] => {
    if (isAlias(node)) {
      const t = target.get(node);
      return t === undefined ? [] : [t];
    }
    if (isMap(node)) return node.items.map((pair) => pair.value);
    if (isSeq(node)) return node.items.slice(); // a copy: the walk pops from it
    return [];
  };
  const stack: { node: unknown; next: unknown[] | undefined }[] = [{ node: root, next: undefined }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === undefined) {
      if (depth.has(top.node)) {
        stack.pop();
        continue;
      }
      onPath.add(top.node);
      top.next = children(top.node);
    }
    const child = top.next.pop();
    if (child !== undefined && child !== null) {
      if (onPath.has(child)) return "cycle";
      if (!depth.has(child)) stack.push({ node: child, next: undefined });
      continue;
    }
    let deepest = 0;
    for (const c of children(top.node)) deepest = Math.max(deepest, depth.get(c) ?? 0);
    // An alias adds no level of its own: it stands for its target.
    const d = deepest + (isMap(top.node) || isSeq(top.node) ? 1 : 0);
    if (d > MAX_DEPTH) return "deep";
    depth.set(top.node, d);
    onPath.delete(top.node);
    stack.pop();
  }
  return undefined;
}

function failed(
  problems: readonly SyntaxProblem[],
  locate: (path: VxPath, atKey: boolean) => Position = () => ({ line: 1, column: 1 }),
): SourceDocument {
  return { value: undefined, problems, locate };
}

function syntaxCode(format: "yaml" | "json"): string {
  return format === "json" ? "VX_SIM_JSON_SYNTAX" : "VX_SIM_YAML_SYNTAX";
}

function messageOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? text;
  return line.trim();
}

/** The offset of the first key that is a collection (YAML allows them; JS objects do not). */
function complexKey(node: unknown): number | undefined {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (isMap(current)) {
      for (const pair of current.items) {
        if (isMap(pair.key) || isSeq(pair.key)) return pair.key.range?.[0] ?? 0;
        stack.push(pair.value);
      }
    } else if (isSeq(current)) {
      for (const item of current.items) stack.push(item);
    }
  }
  return undefined;
}

/**
 * Rejects values that would make validators recurse forever or very deep: aliases that contain
 * themselves (`a: &x [*x]`) and nesting deeper than {@link MAX_DEPTH}.
 */
function checkShape(value: unknown): string | undefined {
  const onPath = new Set<object>();
  const visit = (v: unknown, depth: number): string | undefined => {
    if (typeof v !== "object" || v === null) return undefined;
    if (depth >= MAX_DEPTH) return tooDeepMessage("");
    if (onPath.has(v)) return "an alias refers to a node that contains it (a cycle)";
    onPath.add(v);
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      const problem = visit(child, depth + 1);
      if (problem !== undefined) return problem;
    }
    onPath.delete(v);
    return undefined;
  };
  return visit(value, 0);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return "";
  return typeof key === "object" ? undefined : String(key);
}

function startOf(node: unknown): number | undefined {
  return isNode(node) ? (node.range?.[0] ?? undefined) : undefined;
}

/** Offset of the node at `path`, or of its closest existing ancestor. */
function locateOffset(doc: Document.Parsed, path: VxPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(part));
      if (pair === undefined) return offset;
      const keyStart = startOf(pair.key) ?? offset;
      const valueStart = startOf(pair.value);
      if ((last && atKey) || valueStart === undefined) {
        offset = keyStart;
        if (valueStart === undefined) return offset;
      } else {
        offset = valueStart;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part];
      const start = startOf(item);
      if (start === undefined) return offset;
      offset = start;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
