/**
 * docs/errors.md is the one list of error codes: every code the packages' sources use is on it,
 * and every code on it is used. A code counts as used when it appears as a string literal
 * (`"VX_…"`) in `packages/<name>/src`; mentions in comments (backquoted) do not count.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");
const page = readFileSync(join(root, "docs", "errors.md"), "utf8");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Code → the source files (relative to the root) that use it. */
function usedCodes(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const packages = join(root, "packages");
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, "src");
    if (!statSync(join(packages, pkg)).isDirectory()) continue;
    let files: string[];
    try {
      files = sourceFiles(src);
    } catch {
      continue;
    }
    for (const file of files) {
      for (const m of readFileSync(file, "utf8").matchAll(/"(VX_[A-Z0-9_]*[A-Z0-9])"/g)) {
        const where = used.get(m[1]!) ?? [];
        where.push(file.slice(root.length + 1));
        used.set(m[1]!, where);
      }
    }
  }
  return used;
}

/** The codes in the page's tables: rows that start with a backquoted code. */
function listedCodes(): string[] {
  return [...page.matchAll(/^\| `(VX_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
}

describe("docs/errors.md lists every error code once", () => {
  const used = usedCodes();
  const listed = listedCodes();

  it("finds the codes on both sides (the scan itself works)", () => {
    expect(used.size).toBeGreaterThan(100);
    expect(listed.length).toBeGreaterThan(100);
    expect(used.get("VX_CORE_BAD_UNIT")).toContain("packages/core/src/units.ts");
  });

  it("every code used in packages/*/src is on the page", () => {
    const missing = [...used.keys()].filter((c) => !listed.includes(c)).sort();
    expect(missing, `add these to docs/errors.md: ${missing.join(", ")}`).toEqual([]);
  });

  it("every code on the page is used in packages/*/src", () => {
    const unused = listed.filter((c) => !used.has(c));
    expect(unused, `no source uses these; remove them from docs/errors.md`).toEqual([]);
  });

  it("no code is listed twice", () => {
    const twice = listed.filter((c, i) => listed.indexOf(c) !== i);
    expect(twice).toEqual([]);
  });

  it("the merged codes are gone from the sources", () => {
    const merged = [...page.matchAll(/^- `(VX_[A-Z0-9_]+)` .*? is now `(VX_[A-Z0-9_]+)`/gm)];
    expect(merged.length).toBe(4);
    for (const [, old, now] of merged) {
      expect(used.has(old!), `${old} is still used`).toBe(false);
      expect(listed).toContain(now);
    }
  });
});
