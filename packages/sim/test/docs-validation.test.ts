/**
 * docs/validation.md stays true: every row that names a test points at a test that exists, and
 * each `code`-quoted value of its vx and tolerance columns is written in that test's body. So a
 * figure changed in a test without the page (or on the page without the test) fails here. Rows of
 * the first three sections (reproduced, worked, calibrated) must name a test.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");
const page = readFileSync(join(root, "docs", "validation.md"), "utf8");

interface Row {
  readonly section: string;
  readonly figure: string;
  readonly vx: string;
  readonly tolerance: string;
  readonly test: string;
}

/** The table rows of the page, with the `## ` heading they sit under. */
function rows(): Row[] {
  const out: Row[] = [];
  let section = "";
  for (const line of page.split("\n")) {
    if (line.startsWith("## ")) section = line.slice(3);
    if (!line.startsWith("| ") || line.startsWith("| figure |") || line.startsWith("| ---")) {
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split(" | ")
      .map((c) => c.trim());
    if (cells.length !== 6) throw new Error(`a row of ${cells.length} cells: ${line}`);
    const [figure, , , vx, tolerance, test] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    out.push({ section, figure, vx, tolerance, test });
  }
  return out;
}

/** The `code` spans of a cell. */
const quoted = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** A test named in a cell: `path` › "name". */
function testOf(cell: string): { file: string; name: string } | undefined {
  const m = /^`([^`]+\.test\.ts)` › "([^"]+)"/.exec(cell);
  return m === null ? undefined : { file: m[1]!, name: m[2]! };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The body of the test whose name contains `name`: from its `it(` to the next `it(`, `test(` or
 * `describe(`, or the end of the file. `undefined` when no such test is declared.
 */
function bodyOf(source: string, name: string): string | undefined {
  const start = new RegExp(
    `\\b(?:it|test)(?:\\.\\w+)*(?:\\([^)]*\\))?\\(\\s*["'\`][^\\n]*${escapeRegExp(name)}`,
  );
  const m = start.exec(source);
  if (m === null) return undefined;
  const rest = source.slice(m.index + m[0].length);
  const next = /\n\s*(?:it|test|describe)(?:\.\w+)*(?:\([^)]*\))?\(/.exec(rest);
  return source.slice(m.index, m.index + m[0].length + (next === null ? rest.length : next.index));
}

describe("docs/validation.md", () => {
  const all = rows();

  it("has rows in each of its four sections", () => {
    for (const prefix of ["1.", "2.", "3.", "4."]) {
      expect(all.filter((r) => r.section.startsWith(prefix)).length).toBeGreaterThan(0);
    }
    expect(all.length).toBeGreaterThan(25);
  });

  it("every reproduced, worked or calibrated figure names a test", () => {
    const untested = all.filter((r) => !r.section.startsWith("4.") && testOf(r.test) === undefined);
    expect(untested.map((r) => r.figure)).toEqual([]);
  });

  for (const row of all) {
    const named = testOf(row.test);
    if (named === undefined) continue;
    it(`${row.figure}: ${named.file} has the test, and it asserts the page's figures`, () => {
      const path = join(root, named.file);
      expect(existsSync(path), `${named.file} does not exist`).toBe(true);
      const body = bodyOf(readFileSync(path, "utf8"), named.name);
      expect(body, `no test named "${named.name}" in ${named.file}`).toBeDefined();
      const figures = [...quoted(row.vx), ...quoted(row.tolerance)];
      expect(
        figures.length,
        "quote the asserted figures in the vx or tolerance column",
      ).toBeGreaterThan(0);
      const absent = figures.filter((f) => !body!.includes(f));
      expect(absent, `not in the body of "${named.name}"`).toEqual([]);
    });
  }

  it("the checker finds a figure that is not in a test's body (it can fail)", () => {
    const source =
      'it("a", () => {\n  expect(x).toBe(1);\n});\nit("b", () => {\n  expect(y).toBe(2);\n});\n';
    expect(bodyOf(source, "a")).toContain("toBe(1)");
    expect(bodyOf(source, "a")).not.toContain("toBe(2)");
    expect(bodyOf(source, "c")).toBeUndefined();
  });
});
