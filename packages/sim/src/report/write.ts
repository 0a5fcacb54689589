/**
 * Writing report files atomically: each file is written to a temporary file in the same folder,
 * flushed, then renamed over its final name, so a reader (or a killed run) never sees a
 * half-written file. A run's report folder is written whole into a fresh temporary folder that
 * then takes the place of the old one, so its files always come from one run.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { mkdir, open, rename, rm, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { VxError } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import type { Provenance } from "../scenario/run.js";
import { migrationsToCsv, seriesToCsv } from "./csv.js";
import { renderReportHtml } from "./html.js";
import { resultToJson } from "./json.js";

export { resultToJson } from "./json.js";

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

function badOut(flag: string, message: string, cause?: unknown): VxError {
  return new VxError("VX_SIM_BAD_OUT", `${flag} ${message}`, {
    path: [flag.replace(/^-+/, "")],
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Checks, before anything runs, that an output folder can be written: the name is not empty, it
 * is not a file, and a folder can be created where it is (a probe folder is made in it, or in
 * its closest existing parent, and removed at once). Creates nothing that stays.
 *
 * Use it before a long run or a sweep, so that a bad `--out` fails in a second, not after hours.
 *
 * @param dir - the output folder as given.
 * @param flag - the flag it came from, for messages (default `--out`).
 * @returns the absolute path.
 * @throws `VxError` `VX_SIM_BAD_OUT` (path `[flag]`) when the name is empty, names a file, or the
 * folder cannot be written.
 * @example
 * ```ts
 * const out = checkWritableDir(values.out ?? "sweep-out");
 * ```
 */
export function checkWritableDir(dir: string, flag = "--out"): string {
  if (dir.trim() === "") throw badOut(flag, "is empty: give a folder, e.g. out/run-1.");
  const root = resolve(dir);
  let probeIn = root;
  while (!existsSync(probeIn)) {
    const parent = dirname(probeIn);
    if (parent === probeIn) break;
    probeIn = parent;
  }
  try {
    if (!statSync(probeIn).isDirectory()) {
      throw badOut(
        flag,
        probeIn === root
          ? `${root} is a file, not a folder.`
          : `${root} cannot be created: ${probeIn} is a file.`,
      );
    }
    rmdirSync(mkdtempSync(join(probeIn, ".vx-probe-")));
  } catch (error) {
    if (VxError.isInstance(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw badOut(
      flag,
      `${root} cannot be written (${detail}); check the path and permissions.`,
      error,
    );
  }
  return root;
}

/** The file names a report folder holds (the folder is replaced whole, so nothing else may be in it). */
function reportNames(): ReadonlySet<string> {
  return new Set<string>(Object.values(REPORT_FILES));
}

/**
 * Checks, before a run, that `dir` can take a report: writable (see {@link checkWritableDir}),
 * not the working folder or one of its parents, and either missing, empty or an earlier report
 * (only report files). The report replaces the folder whole, so a folder holding anything else
 * is refused rather than emptied.
 *
 * @param dir - the report folder (`vx run --out`).
 * @param flag - the flag it came from, for messages (default `--out`).
 * @returns the absolute path.
 * @throws `VxError` `VX_SIM_BAD_OUT` (path `[flag]`).
 * @example
 * ```ts
 * checkReportDir("out/default"); // before runDatacenter, so a bad folder fails first
 * ```
 */
export function checkReportDir(dir: string, flag = "--out"): string {
  const root = checkWritableDir(dir, flag);
  const fromCwd = relative(root, process.cwd());
  const outside = fromCwd === ".." || fromCwd.startsWith(`..${sep}`) || isAbsolute(fromCwd);
  if (!outside) {
    throw badOut(
      flag,
      `${root} is the working folder or one of its parents; the report replaces its folder whole, so give a folder of its own, e.g. out/run-1.`,
    );
  }
  if (existsSync(root)) {
    const allowed = reportNames();
    const others = readdirSync(root, { withFileTypes: true }).filter(
      (e) => !(e.isFile() && allowed.has(e.name)),
    );
    if (others.length > 0) {
      const names = others.slice(0, 3).map((e) => e.name);
      throw badOut(
        flag,
        `${root} holds other things than a report (${names.join(", ")}${others.length > 3 ? ", …" : ""}); the report replaces its folder whole, so give a new or empty folder.`,
      );
    }
  }
  return root;
}

/** A sibling name for a temporary or retired copy of `root`: hidden, with this host and process. */
function siblingName(root: string, kind: "tmp" | "old"): string {
  const tag = `${hostname().replace(/[^\w.-]+/g, "_")}-${process.pid}-${randomBytes(4).toString("hex")}`;
  return join(dirname(root), `.${basename(root)}.vx-${kind}-${tag}`);
}

/** Removes siblings left by a killed run of this host (their process is gone). */
async function removeLeftovers(root: string): Promise<void> {
  const prefix = `.${basename(root)}.vx-`;
  const host = hostname().replace(/[^\w.-]+/g, "_");
  let names: string[];
  try {
    names = readdirSync(dirname(root));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:tmp|old)-(.+)-(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (m === null || m[1] !== host || processAlive(Number(m[2]))) continue;
    await rm(join(dirname(root), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

/**
 * Writes a folder whole: every file goes into a fresh temporary folder beside `dir`, flushed;
 * then that folder takes the place of `dir` (the old one is renamed aside, then removed). A
 * reader, a failure or a killed run never sees files of two runs side by side: at worst `dir`
 * is missing and its old or new copy is a hidden sibling (removed by the next write).
 *
 * @param dir - the folder; checked with {@link checkReportDir}.
 * @param files - file name → content.
 * @returns the absolute paths written, in the order given.
 * @throws `VxError` `VX_SIM_BAD_OUT` as {@link checkReportDir}; `VX_SIM_WRITE_FAILED` when a file or
 * the folder cannot be written or renamed (the old folder is then left in place).
 */
async function replaceFolder(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<readonly string[]> {
  const root = checkReportDir(dir);
  const names = Object.keys(files);
  try {
    await mkdir(dirname(root), { recursive: true });
  } catch (error) {
    throw writeError(root, error);
  }
  await removeLeftovers(root);
  const tmp = siblingName(root, "tmp");
  try {
    await mkdir(tmp);
    for (const name of names) await writeTemp(join(tmp, name), files[name]!);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(root, error);
  }
  let old: string | undefined;
  try {
    if (existsSync(root)) {
      old = siblingName(root, "old");
      await rename(root, old);
    }
    await rename(tmp, root);
  } catch (error) {
    // Put the old report back; if another writer's report took its place meanwhile, keep that one.
    if (old !== undefined) {
      if (existsSync(root)) await rm(old, { recursive: true, force: true }).catch(() => undefined);
      else await rename(old, root).catch(() => undefined);
    }
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(root, error);
  }
  if (old !== undefined) await rm(old, { recursive: true, force: true }).catch(() => undefined);
  return names.map((name) => join(root, name));
}

/**
 * Writes the report of a run into a folder: `result.json` (the whole result), `series.csv`
 * (per-step series), `migrations.csv` (the migration log) and `report.html` (summary and charts,
 * self-contained). Every file is rendered before anything is written; the folder is then written
 * whole and put in place of the old one, so its four files always come from the same run.
 *
 * The folder must be missing, empty or an earlier report, and not the working folder: call
 * {@link checkReportDir} before a long run to find out first.
 *
 * @param dir - the output folder (`vx run --out <dir>`), created if missing.
 * @param result - a data-center run (with its provenance when it comes from `runScenario`).
 * @returns the absolute paths written.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when the result is malformed (nothing is written);
 * `VX_SIM_BAD_OUT` when the folder is not one a report may replace; `VX_SIM_WRITE_FAILED` when
 * the folder or a file cannot be written (the earlier report, if any, stays whole).
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
  return replaceFolder(dir, files);
}
