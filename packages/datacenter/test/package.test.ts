import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(fileURLToPath(import.meta.url), "..", "..", "src");

/** The source files the main entry reaches through relative imports. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/from\s+"(\.[^"]+)\.js"/g)) {
      stack.push(resolve(dirname(file), `${m[1]}.ts`));
    }
  }
  return [...seen];
}

describe("the package's shape", () => {
  it("the main entry is browser-safe: no node: module anywhere it reaches", () => {
    const files = reachable(join(src, "index.ts"));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => /from\s+"node:/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
    // The file readers are behind ./node only.
    expect(files.some((f) => f.includes(`${join("src", "node")}`))).toBe(false);
    expect(readdirSync(join(src, "node")).length).toBeGreaterThan(0);
  });
});
