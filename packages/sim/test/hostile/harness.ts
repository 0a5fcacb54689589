// The hostile-input harness (not a test file itself): bundles the `vx` CLI once, then runs each
// case in a fresh process under a memory cap, in a fresh folder holding the case's files, with a
// wall guard that detects a hang (not a speed check: every case is small).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A file a case needs, written into its folder before `vx` runs. */
export type FileSpec =
  | string
  | Uint8Array
  | { readonly kind: "fifo" }
  | { readonly kind: "folder" }
  /** A sparse file of this many bytes (nothing is written). */
  | { readonly kind: "sparse"; readonly bytes: number };

/** One hostile input: what to run, with which files, and what must come out. */
export interface HostileCase {
  /** What it checks, as the test's name. */
  readonly name: string;
  /** The arguments after `vx`; relative paths are in the case's folder. */
  readonly argv: readonly string[];
  /** Files to create in the case's folder, by relative path. */
  readonly files?: Readonly<Record<string, FileSpec | (() => FileSpec)>>;
  /** The exit code: 0 success, 2 bad input (1 would be an internal failure: never expected). */
  readonly expectExit: 0 | 2;
  /** A code that must appear in the output (stderr, or stdout with --json). */
  readonly expectCode?: string;
  /** Text the output must match. */
  readonly expectText?: RegExp;
  /** Text the output must not match (beyond the crash signs checked for every case). */
  readonly forbidText?: RegExp;
  /** Platforms where the case cannot be set up (a FIFO on Windows). */
  readonly skipOn?: readonly NodeJS.Platform[];
}

/** Heap cap of every `vx` process: a runaway allocation fails the case instead of the machine. */
export const HEAP_CAP_MIB = 256;

/**
 * Wall guard: a case still running after this is a hang. Every case needs a second or two on an
 * idle machine (the slowest, 50,000 keys, 8 s at a load average of 15); the guard leaves room for
 * a machine shared by several suites, and is far below what the defects took (the 512-node
 * numactl import did not finish in 120 s; 10^5 nested brackets aborted at once).
 */
export const HANG_GUARD_MS = 240_000;

/** Signs of a crash, never acceptable whatever the exit code. */
export const CRASH: RegExp =
  /internal error|FATAL ERROR|Maximum call stack|heap out of memory|RangeError|TypeError|SyntaxError: |ReferenceError|Allocation failed/;

/** Characters kept of each output stream, at its start and at its end (numa on 512 nodes prints megabytes). */
const KEEP = 64 * 1024;

/** What a case's process did. */
export interface Outcome {
  readonly exit: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, "..", "..");
/** The days of @vx/traces-planetlab in this checkout. */
const planetLabData = join(packageRoot, "..", "traces-planetlab", "data");

/**
 * Bundles `src/cli.ts` (and the sweep worker beside it) into one file in a fresh temporary
 * folder, from sources (the `@vx/source` condition), so each case starts a plain `node` process
 * in a fraction of a second instead of compiling TypeScript. The bundle is `<dir>/dist/cli.js`
 * with the PlanetLab days linked at `<dir>/data`, where the bundled trace reader looks for them.
 *
 * @returns the folder and the path of the bundled CLI.
 */
export async function bundleCli(): Promise<{ readonly dir: string; readonly cli: string }> {
  const { build } = await import("tsup");
  const dir = mkdtempSync(join(tmpdir(), "vx-hostile-bin-"));
  await build({
    entry: {
      cli: join(packageRoot, "src", "cli.ts"),
      "sweep-worker": join(packageRoot, "src", "sweep-worker.ts"),
    },
    outDir: join(dir, "dist"),
    format: ["esm"],
    platform: "node",
    target: "node20",
    noExternal: [/.*/],
    config: false,
    dts: false,
    silent: true,
    splitting: false,
    clean: false,
    // CommonJS dependencies (yaml) call require: give the ES module one.
    banner: {
      js: 'import { createRequire as __vxRequire } from "node:module"; const require = __vxRequire(import.meta.url);',
    },
    esbuildOptions(options) {
      options.conditions = ["@vx/source"];
    },
  });
  // @vx/traces-planetlab reads its days from `../data` next to its code: next to the bundle here.
  symlinkSync(planetLabData, join(dir, "data"), "dir");
  return { dir, cli: join(dir, "dist", "cli.js") };
}

function writeFiles(dir: string, files: HostileCase["files"]): void {
  for (const [path, given] of Object.entries(files ?? {})) {
    const spec = typeof given === "function" ? given() : given;
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof spec === "string" || spec instanceof Uint8Array) writeFileSync(full, spec);
    else if (spec.kind === "folder") mkdirSync(full, { recursive: true });
    else if (spec.kind === "fifo") execFileSync("mkfifo", [full]);
    else {
      writeFileSync(full, "");
      truncateSync(full, spec.bytes);
    }
  }
}

/**
 * Runs one case: `node --max-old-space-size=<cap> <cli> ...argv` in a fresh folder holding the
 * case's files, killed after {@link HANG_GUARD_MS}.
 *
 * @param cli - the bundled CLI.
 * @param c - the case.
 * @returns what the process did; its folder is removed.
 */
export async function runCase(cli: string, c: HostileCase): Promise<Outcome> {
  const cwd = mkdtempSync(join(tmpdir(), "vx-hostile-"));
  try {
    writeFiles(cwd, c.files);
    return await new Promise<Outcome>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [`--max-old-space-size=${HEAP_CAP_MIB}`, cli, ...c.argv],
        {
          cwd,
          env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const head = { stdout: "", stderr: "" };
      const tail = { stdout: "", stderr: "" };
      const keep = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        if (head[stream].length < KEEP) head[stream] += text;
        else tail[stream] = (tail[stream] + text).slice(-KEEP);
      };
      child.stdout.on("data", keep("stdout"));
      child.stderr.on("data", keep("stderr"));
      let timedOut = false;
      const guard = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, HANG_GUARD_MS);
      child.on("error", (error) => {
        clearTimeout(guard);
        reject(error);
      });
      child.on("close", (exit, signal) => {
        clearTimeout(guard);
        const joined = (stream: "stdout" | "stderr") =>
          tail[stream] === "" ? head[stream] : `${head[stream]}\n[…]\n${tail[stream]}`;
        resolve({ exit, signal, timedOut, stdout: joined("stdout"), stderr: joined("stderr") });
      });
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
