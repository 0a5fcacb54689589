/**
 * A rule of the house checked on the sources of every package (issue 18): no spread of an array
 * into a call's arguments (`Math.max(...xs)`, `list.push(...more)`, `new Set(...)` is fine since it
 * takes one argument). Every argument of a call takes a slot on V8's stack, so a spread of a long
 * array throws `RangeError: Maximum call stack size exceeded` (the 800-day report died of
 * `Math.max(0, ...series)`). Loops and reductions cost the same and have no limit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repo = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");

/** Every .ts file under `dir`, recursively, in name order. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** `file:line  text` for every spread into the arguments of a call or `new` in `text`. */
function callSpreads(file: string, text: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (
      ts.isSpreadElement(node) &&
      (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file}:${line + 1}  ${node.parent.getText(source).slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("no spread of an array into a call's arguments in any packages/*/src (issue 18)", () => {
  it("the check finds the spreads it is about, and nothing else", () => {
    const text = [
      "const a = Math.max(0, ...xs);",
      "list.push(...more);",
      "const b = [...xs, 1];",
      "const c = { ...o };",
      "function f(...rest: number[]) { return rest; }",
      "new Foo(...args);",
    ].join("\n");
    expect(callSpreads("x.ts", text).map((s) => s.split("  ")[0])).toEqual([
      "x.ts:1",
      "x.ts:2",
      "x.ts:6",
    ]);
  });

  it("no package source spreads an array into a call", () => {
    const packages = readdirSync(join(repo, "packages"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(repo, "packages", d.name, "src"));
    const found: string[] = [];
    let files = 0;
    for (const dir of packages) {
      let list: string[];
      try {
        list = sources(dir);
      } catch {
        continue; // a package without src (none today)
      }
      for (const file of list) {
        files++;
        found.push(...callSpreads(relative(repo, file), readFileSync(file, "utf8")));
      }
    }
    expect(files).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
