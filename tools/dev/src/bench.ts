/**
 * The bench harness every package's `bench/run.ts` uses: each case runs in a fresh Node process
 * (no JIT state or heap carried over), several times; the median is reported with the range
 * (min–max), because the machine is shared and its speed varies from run to run. A case returns
 * its figures as numbers; the harness adds the process's peak resident set (`peakRssMiB`, from
 * `process.resourceUsage().maxRSS`, which includes Node itself) unless the case measured it.
 *
 * ```ts
 * const CASES = { storm: () => ({ wall: timeStorm() }) };
 * if (!runCaseIfAsked(CASES)) {
 *   console.log(benchHeader("core", 5));
 *   console.log(`storm: ${spread(measure(import.meta.url, "storm", { repeats: 5 }), "wall")} s`);
 * }
 * ```
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A case's figures, by name. */
export type Facts = Readonly<Record<string, number>>;

/** What a case is: a function that runs once and returns its figures. */
export type BenchCase = () => Record<string, number>;

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Fresh processes to run. */
  readonly repeats: number;
  /** Node flags before the script (e.g. `["--conditions=@vx/source"]` to run the sources). */
  readonly nodeArgs?: readonly string[];
  /** Bytes a case may print; default 1 MiB. */
  readonly maxBuffer?: number;
}

/**
 * The bench's own arguments: the command line after the script, without pnpm's `--`.
 *
 * @returns e.g. `["storm"]` for `pnpm bench -- storm`.
 */
export function benchArgs(): string[] {
  return process.argv.slice(2).filter((a) => a !== "--");
}

/**
 * Runs one case when this process was started as a case (`--case <name>`, as {@link measure}
 * starts it): prints its figures as JSON, with `peakRssMiB` added.
 *
 * @param cases - the cases by name.
 * @param argv - the arguments; default {@link benchArgs}.
 * @returns true when this process was a case (the caller then prints nothing else).
 * @throws Error for a case name that is not among `cases`.
 * @example
 * ```ts
 * if (!runCaseIfAsked(CASES)) printTheReport();
 * ```
 */
export function runCaseIfAsked(
  cases: Readonly<Record<string, BenchCase>>,
  argv: readonly string[] = benchArgs(),
): boolean {
  if (argv[0] !== "--case") return false;
  const name = argv[1] ?? "";
  const run = Object.hasOwn(cases, name) ? cases[name] : undefined;
  if (run === undefined) throw new Error(`unknown bench case "${name}"`);
  const facts = run();
  const out =
    "peakRssMiB" in facts ? facts : { ...facts, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(out));
  return true;
}

/**
 * Runs a case `repeats` times, each in a fresh Node process running `script` with `--case name`
 * (through tsx), and returns each run's figures.
 *
 * @param script - the bench script (`import.meta.url`, or a path).
 * @param name - the case.
 * @param options - repeats and Node flags.
 * @returns the figures of each run.
 * @throws Error when a run fails (its output is in the error).
 * @example
 * ```ts
 * const runs = measure(import.meta.url, "storm", { repeats: 5 });
 * ```
 */
export function measure(script: string | URL, name: string, options: MeasureOptions): Facts[] {
  const path = script instanceof URL || script.startsWith("file:") ? fileURLToPath(script) : script;
  const runs: Facts[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const out = execFileSync(
      process.execPath,
      [...(options.nodeArgs ?? []), "--import", "tsx", path, "--case", name],
      { encoding: "utf8", maxBuffer: options.maxBuffer ?? 1 << 20 },
    );
    runs.push(JSON.parse(out) as Facts);
  }
  return runs;
}

/**
 * The median (the upper one of an even count).
 *
 * @param xs - at least one number.
 * @returns the median.
 * @throws Error for an empty list.
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of no numbers");
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A number for a report: grouped thousands, at most `digits` decimals.
 *
 * @param n - the number.
 * @param digits - the most decimals; default 2.
 * @returns e.g. `"1,234.57"`.
 */
export function fmt(n: number, digits = 2): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/**
 * One figure over the runs, as `median (min–max)`.
 *
 * @param runs - the runs' figures.
 * @param key - the figure.
 * @param digits - the most decimals; default 2.
 * @returns e.g. `"1.52 (1.48–1.71)"`.
 * @throws Error when a run lacks the figure.
 * @example
 * ```ts
 * spread([{ wall: 1.5 }, { wall: 1.4 }, { wall: 2 }], "wall"); // "1.5 (1.4–2)"
 * ```
 */
export function spread(runs: readonly Facts[], key: string, digits = 2): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const xs = runs.map((r) => {
    const x = r[key];
    if (x === undefined) throw new Error(`a run has no figure "${key}"`);
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
    return x;
  });
  return `${fmt(median(xs), digits)} (${fmt(lo, digits)}–${fmt(hi, digits)})`;
}

/**
 * The first line of a bench report: what runs where, and how the figures are summarised.
 *
 * @param what - the package (`"core"`) and anything else to say.
 * @param repeats - runs per case, when the same for all.
 * @returns e.g. `"vx core benchmarks: node v20.20.0, linux/x64; median (min–max) of 5 fresh processes each"`.
 */
export function benchHeader(what: string, repeats?: number): string {
  const runs = repeats === undefined ? "fresh processes" : `${repeats} fresh processes each`;
  return `vx ${what} benchmarks: node ${process.version}, ${process.platform}/${process.arch}; median (min–max) of ${runs}`;
}

/**
 * The cases a bench run asks for: a group's (`pnpm bench storm`), one case's, or, with no
 * argument, the `fallback` group's (every case when there is no such group). An unknown name
 * prints the choices and exits 2.
 *
 * @param asked - the bench's first argument, if any.
 * @param cases - every case's name.
 * @param groups - named lists of cases.
 * @param fallback - the group run without an argument; default `"all"`.
 * @returns the cases to run, in order.
 * @example
 * ```ts
 * const names = selectCases(benchArgs()[0], Object.keys(CASES), { storm: ["storm", "storm-1k"] });
 * ```
 */
export function selectCases(
  asked: string | undefined,
  cases: readonly string[],
  groups: Readonly<Record<string, readonly string[]>> = {},
  fallback = "all",
): readonly string[] {
  const name = asked ?? fallback;
  if (Object.hasOwn(groups, name)) return groups[name]!;
  if (asked === undefined) return cases;
  if (cases.includes(asked)) return [asked];
  const choices = [...new Set([...Object.keys(groups), ...cases])].join(", ");
  console.error(`unknown benchmark "${asked}"; use one of ${choices}`);
  process.exit(2);
}
