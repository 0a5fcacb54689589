/**
 * Writing report files atomically: each file is written to a temporary file in the same folder,
 * flushed, then renamed over its final name, so a reader (or a killed run) never sees a
 * half-written file.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { VxError } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import type { Provenance } from "../scenario/run.js";
import { migrationsToCsv, seriesToCsv } from "./csv.js";
import { renderReportHtml } from "./html.js";

/** Names of the files {@link writeReport} writes. */
export const REPORT_FILES: {
  readonly result: "result.json";
  readonly series: "series.csv";
  readonly migrations: "migrations.csv";
  readonly html: "report.html";
} = {
  result: "result.json",
  series: "series.csv",
  migrations: "migrations.csv",
  html: "report.html",
};

/**
 * The JSON of a result as `result.json` holds it: two-space indented, with a final newline.
 * Deterministic: the same result gives the same bytes.
 *
 * @param result - a data-center run.
 * @returns the JSON text.
 */
export function resultToJson(
  result: DatacenterResult & { readonly provenance?: Provenance },
): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function tempName(dir: string, name: string): string {
  return join(dir, `.${basename(name)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

async function writeTemp(path: string, content: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeQuietly(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => unlink(p).catch(() => undefined)));
}

function writeError(dir: string, error: unknown): VxError {
  const detail = error instanceof Error ? error.message : String(error);
  return new VxError(
    "VX_SIM_WRITE_FAILED",
    `cannot write the report into ${dir}: ${detail}. Check the folder and its permissions.`,
    { path: ["out"], cause: error },
  );
}

/**
 * Writes several files into one folder, each atomically: all contents go to temporary files in
 * the folder first; only when every one is written and flushed are they renamed to their names.
 * On failure the temporary files are removed and no file is left half-written (a file renamed
 * before the failure is complete).
 *
 * Use it for every result file of a run or a sweep point, so a killed or failed run never leaves
 * a broken file that a resumed sweep would take for finished.
 *
 * @param dir - the folder, created if missing.
 * @param files - file name (no folders) → text content.
 * @returns the absolute paths written, in the order given.
 * @throws `VxError` `VX_SIM_WRITE_FAILED` when the folder cannot be created or a file cannot
 * be written or renamed; `VX_SIM_BAD_FILE_NAME` for a name with a folder part.
 * @example
 * ```ts
 * await writeFilesAtomic("out/point-3", { "result.json": json, "done": "" });
 * ```
 */
export async function writeFilesAtomic(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<readonly string[]> {
  const root = resolve(dir);
  const names = Object.keys(files);
  for (const name of names) {
    if (name === "" || name !== basename(name) || name === "." || name === "..") {
      throw new VxError("VX_SIM_BAD_FILE_NAME", `"${name}" is not a plain file name`, {
        path: ["files", name],
      });
    }
  }
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw writeError(root, error);
  }
  const temps = names.map((name) => tempName(root, name));
  try {
    for (let i = 0; i < names.length; i++) await writeTemp(temps[i]!, files[names[i]!]!);
  } catch (error) {
    await removeQuietly(temps);
    throw writeError(root, error);
  }
  for (let i = 0; i < names.length; i++) {
    try {
      await rename(temps[i]!, join(root, names[i]!));
    } catch (error) {
      await removeQuietly(temps.slice(i));
      throw writeError(root, error);
    }
  }
  return names.map((name) => join(root, name));
}

/**
 * Writes one file atomically (temporary file in the same folder, flush, rename).
 *
 * @param path - the file to write; its folder is created if missing.
 * @param content - text content.
 * @throws `VxError` `VX_SIM_WRITE_FAILED` when it cannot be written.
 * @example
 * ```ts
 * await writeFileAtomic("out/sweep.csv", sweepToCsv(points));
 * ```
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const full = resolve(path);
  await writeFilesAtomic(join(full, ".."), { [basename(full)]: content });
}

/**
 * Checks, before a run, that a folder can receive its report: creates it if missing and writes
 * then removes an empty file there, so a run never ends with nowhere to write.
 *
 * @param dir - the output folder.
 * @throws `VxError` `VX_SIM_WRITE_FAILED` when it cannot be created or written.
 * @example
 * ```ts
 * await checkWritable("out/run"); // before a long run
 * ```
 */
export async function checkWritable(dir: string): Promise<void> {
  const root = resolve(dir);
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw writeError(root, error);
  }
  const probe = tempName(root, "writable");
  try {
    await writeTemp(probe, "");
  } catch (error) {
    throw writeError(root, error);
  } finally {
    await removeQuietly([probe]);
  }
}

/**
 * Writes the report of a run into a folder: `result.json` (the whole result), `series.csv`
 * (per-step series), `migrations.csv` (the migration log) and `report.html` (summary and charts,
 * self-contained). Every file is rendered before anything is written, and each is written
 * atomically (see {@link writeFilesAtomic}).
 *
 * @param dir - the output folder (`vx run --out <dir>`), created if missing.
 * @param result - a data-center run (with its provenance when it comes from `runScenario`).
 * @returns the absolute paths written.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when the result is malformed (nothing is written);
 * `VX_SIM_WRITE_FAILED` when the folder or a file cannot be written.
 * @example
 * ```ts
 * await writeReport("out/planetlab", runScenario(loadScenario("planetlab-20110303.yaml")).result);
 * ```
 */
export async function writeReport(
  dir: string,
  result: DatacenterResult & { readonly provenance?: Provenance },
): Promise<readonly string[]> {
  const files: Record<string, string> = {
    [REPORT_FILES.result]: resultToJson(result),
    [REPORT_FILES.series]: seriesToCsv(result),
    [REPORT_FILES.migrations]: migrationsToCsv(result),
    [REPORT_FILES.html]: renderReportHtml(result),
  };
  return writeFilesAtomic(dir, files);
}
