/**
 * Plain-text tables for terminals, logs and examples: the one printer every vx CLI and example
 * uses, so columns line up the same way everywhere.
 *
 * @module
 */

/** How a column's cells are aligned. */
export type TableAlign = "left" | "right";

/** Options of {@link formatTable}. */
export interface TableOptions {
  /**
   * Alignment: one for every column, or one per column (columns past the list are aligned
   * right). Default: the first column left (names), the others right (figures).
   */
  readonly align?: TableAlign | readonly TableAlign[];
  /** Text before every line; default none. */
  readonly indent?: string;
  /** Spaces between columns; default {@link TABLE_DEFAULTS}.gap. */
  readonly gap?: number;
}

/** Defaults of {@link formatTable}. */
export const TABLE_DEFAULTS: { readonly gap: number } = { gap: 2 };

/**
 * Formats rows of cells as aligned columns: each column as wide as its widest cell, cells
 * padded to it, columns `gap` spaces apart, trailing spaces trimmed. Rows may have different
 * lengths. Widths are counted in UTF-16 code units (`string.length`).
 *
 * @param rows - the rows, usually a header first; every cell already formatted as text.
 * @param options - alignment, indent and gap.
 * @returns the lines joined with `\n`, without a final newline (`""` for no rows).
 * @example
 * ```ts
 * formatTable([["strategy", "time"], ["precopy", "42 s"], ["postcopy", "8 s"]]);
 * // "strategy  time\nprecopy   42 s\npostcopy   8 s"
 * ```
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const n = row[c]!.length;
      if (n > (widths[c] ?? 0)) widths[c] = n;
    }
  }
  const align = options.align;
  const right = (c: number): boolean =>
    align === undefined
      ? c > 0
      : typeof align === "string"
        ? align === "right"
        : (align[c] ?? "right") === "right";
  const gap = " ".repeat(options.gap ?? TABLE_DEFAULTS.gap);
  const indent = options.indent ?? "";
  const lines: string[] = [];
  for (const row of rows) {
    let line = "";
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      const width = widths[c]!;
      line += (c === 0 ? "" : gap) + (right(c) ? cell.padStart(width) : cell.padEnd(width));
    }
    lines.push(`${indent}${line}`.trimEnd());
  }
  return lines.join("\n");
}
