import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTable } from "../src/index.js";

describe("formatTable", () => {
  it("pads the first column left and the figures right, two spaces apart, by default", () => {
    expect(
      formatTable([
        ["strategy", "time", "sent"],
        ["precopy", "42 s", "5.3 GiB"],
        ["postcopy", "8 s", "4 GiB"],
      ]),
    ).toBe(
      ["strategy  time     sent", "precopy   42 s  5.3 GiB", "postcopy   8 s    4 GiB"].join("\n"),
    );
  });

  it("aligns as asked, per column or all, with an indent, and trims trailing spaces", () => {
    const rows = [
      ["a", "bb", "c"],
      ["ddd", "e", ""],
    ];
    expect(formatTable(rows, { align: "left" })).toBe("a    bb  c\nddd  e");
    expect(formatTable(rows, { align: ["right", "left"], indent: "  ", gap: 1 })).toBe(
      "    a bb c\n  ddd e",
    );
    expect(formatTable([])).toBe("");
    expect(formatTable([["x"], ["long", "y"]])).toBe("x\nlong  y");
  });

  it("every line of a left-aligned table has its columns at the same offsets (property)", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", "é", "-"), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 8 }), (rows) => {
        const lines = formatTable(rows, { align: "left" }).split("\n");
        expect(lines).toHaveLength(rows.length);
        const w0 = Math.max(...rows.map((r) => r[0].length));
        const w1 = Math.max(...rows.map((r) => r[1].length));
        rows.forEach((r, i) => {
          const line = lines[i]!;
          expect(line.slice(0, r[0].length)).toBe(r[0]);
          expect(line.slice(w0 + 2, w0 + 2 + r[1].length)).toBe(r[1]);
          expect(line.slice(w0 + w1 + 4)).toBe(r[2]);
          expect(line).toBe(line.trimEnd());
        });
      }),
    );
  });
});
