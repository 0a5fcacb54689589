// The main entry must run in a browser: no module it reaches may import a `node:` built-in.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function reachable(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    // Code only: doc comments show imports of the package itself in their examples.
    const text = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']/g)) {
      const spec = match[1] as string;
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.add(spec);
    }
  };
  visit(join(SRC, entry));
  return { files, external };
}

describe("entry points", () => {
  it("the main entry reaches no node: module (only @vx/core and zod)", () => {
    const { files, external } = reachable("index.ts");
    expect(files.size).toBeGreaterThanOrEqual(7);
    expect([...external].sort()).toEqual(["@vx/core", "zod"]);
  });

  it("the node entry is where node:fs is used", () => {
    const { external } = reachable("node.ts");
    expect(external.has("node:fs")).toBe(true);
  });
});
