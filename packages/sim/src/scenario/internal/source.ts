/**
 * Reading scenario text (YAML or JSON) into a plain value while keeping the positions of its
 * nodes, so that every problem found later can be reported as `file:line:column`.
 *
 * YAML 1.2 is a superset of JSON, so both go through the `yaml` parser (which keeps source
 * ranges); JSON text is also checked by `JSON.parse` so a `.json` file stays strict JSON.
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
} from "yaml";

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

/** Deepest nesting accepted: deeper values are rejected before anything recurses over them. */
const MAX_DEPTH = 200;

/**
 * Reads scenario text.
 *
 * @param text - the file's content.
 * @param format - `yaml` or `json`.
 * @returns the value, syntax problems, and a locator of paths.
 */
export function readSource(text: string, format: "yaml" | "json"): SourceDocument {
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
      uniqueKeys: true,
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
  if (format === "json") {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = messageOf(error);
      const match = /position (\d+)/.exec(message);
      const offset = match === null ? 0 : Number(match[1]);
      return failed([{ code: "VX_SIM_JSON_SYNTAX", message, position: at(offset) }], locate);
    }
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
    if (depth > MAX_DEPTH) return `the document nests deeper than ${MAX_DEPTH} levels`;
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
