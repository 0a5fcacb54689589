/**
 * Where a path of a scenario document is in its source text (1-based line and column), for the
 * errors of sweep points: a point is validated as a generated document, but its problems are
 * reported at the lines of the file the user wrote.
 */
import type { VxPath } from "@vx/core";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** A 1-based position. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Returns a locator of paths in `text`: the position of the node at a path, or of its closest
 * existing ancestor; with `atKey`, of the last key rather than its value.
 *
 * @param text - YAML or JSON text.
 * @returns the locator.
 */
export function textLocator(text: string): (path: VxPath, atKey: boolean) => TextPosition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, logLevel: "silent" });
  const at = (offset: number): TextPosition => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  return (path, atKey) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (pair === undefined) break;
        const last = i === path.length - 1;
        const key = pair.key as Node;
        const value = pair.value as Node | null;
        offset = (last && atKey ? key.range?.[0] : (value?.range?.[0] ?? key.range?.[0])) ?? offset;
        node = value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (item === undefined) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return at(offset);
  };
}
