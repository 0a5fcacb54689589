import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The package.json files of the workspace: the root, packages/*, examples/*, tools/dev. */
function manifests(): string[] {
  const out = [join(root, "package.json"), join(root, "tools", "dev", "package.json")];
  for (const folder of ["packages", "examples"]) {
    for (const name of readdirSync(join(root, folder))) {
      const file = join(root, folder, name, "package.json");
      if (existsSync(file)) out.push(file);
    }
  }
  return out;
}

/** The names under `catalog:` in pnpm-workspace.yaml. */
function catalog(): Set<string> {
  const text = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const block = /^catalog:\n((?: {2}.*\n)+)/m.exec(text)?.[1] ?? "";
  return new Set([...block.matchAll(/^ {2}"?([^":]+)"?:/gm)].map((m) => m[1]!));
}

describe("the pnpm catalog", () => {
  it("every dependency that is not a workspace package takes its version from the catalog", () => {
    const names = catalog();
    expect(names.has("typescript")).toBe(true);
    const wrong: string[] = [];
    for (const file of manifests()) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
        const deps = (pkg[field] ?? {}) as Record<string, string>;
        for (const [dep, range] of Object.entries(deps)) {
          if (range.startsWith("workspace:")) continue;
          if (range !== "catalog:" || !names.has(dep)) {
            wrong.push(`${file.slice(root.length + 1)} ${field}.${dep}: "${range}"`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
