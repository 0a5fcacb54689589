/**
 * One declaration per `vx` command: its name, summary, description, options (each with a kind, a
 * description and a default read from a package's exported constant), positionals and examples.
 * Both the parsing of the arguments and the `--help` text derive from it, so they cannot disagree.
 *
 * ## Errors
 * Every bad flag or argument is one issue of one {@link VxError}, collected before the command
 * runs; `vx` prints each on its own line as `vx <command>: --ram: <what is wrong and what to do>
 * [CODE]` and exits 2. Codes:
 * - `VX_CLI_UNKNOWN_FLAG`: a flag the command does not declare (with "did you mean --x?" when a
 *   declared flag is close, and a pointer to `vx <command> --help`);
 * - `VX_CLI_BAD_FLAG`: a flag's value is missing, empty, unreadable, out of range, not one of the
 *   allowed values, given to a boolean flag, or the flag is given twice or is required and absent;
 *   a quantity keeps the code of `@vx/core`'s unit parser (`VX_CORE_BAD_UNIT`, `VX_CORE_BAD_VALUE`);
 * - `VX_CLI_BAD_USAGE`: too many or too few positional arguments, or one not among its values.
 *
 * ## Declaring a command
 * 1. Declare the flags as `options` entries: `{ kind, description }` plus `default` (read the
 *    package's exported constant, never a retyped figure: `vx numa` has
 *    `default: TOPOLOGY_DEFAULTS.linkBytesPerSecond`), `required`, `short`, `placeholder`,
 *    `defaultText` (how a computed default reads in help), `min`/`max`/`allowZero` for
 *    numbers and quantities, `values` for `enum` and `list`, `repeatable` for a string given many
 *    times (`--param`). Kinds: `string`, `bytes`, `rate`, `duration`, `percent` (read by
 *    `@vx/core`'s parser into base units), `integer`, `number`, `enum`, `boolean`, `list`
 *    (comma-separated).
 * 2. Say what the command does in `description` (prose), `positionals`, `notes` (exit codes,
 *    assumptions) and `examples`; the `Usage:` line, the option table with defaults,
 *    `-h, --help` and the examples section are generated.
 * 3. Write `run({ options, positionals, given }, io)`: values arrive typed, converted,
 *    range-checked and defaulted (`given` says which options were on the command line, when a
 *    default must be told from an explicit value). Checks that involve several flags stay in
 *    `run`; throw them with {@link flagError} so they print like the rest.
 * 4. A subcommand with its own options (`vx sweep merge`) is its own declaration named
 *    `"sweep merge"`, listed in the parent's `subcommands` (with `aliases` for other names).
 * 5. Export `const xCommand: CliCommand<number> = defineCommand({ … })` (plain `CliCommand` for an
 *    async `run`: its `run` returns a number for `--help`, a promise otherwise, and throws bad
 *    flags synchronously; `await` covers all three) and register it in `COMMANDS` in
 *    `cli/main.ts`; tests call `xCommand.run(argv, io)`.
 *
 * @module
 */

import {
  closestMatch,
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  parseBytes,
  parseDuration,
  parsePercent,
  parseRate,
  type QuantityKind,
  VxError,
  type VxIssue,
} from "@vx/core";
import { type CliIo, ExitCode } from "./io.js";

// ---------------------------------------------------------------------------------------------
// Declarations

/** What every option declares. */
interface OptionCommon {
  /** One line (or a few) saying what the option does; shown in `--help`. */
  readonly description: string;
  /** A one-letter alias (`"o"` for `-o`). */
  readonly short?: string;
  /** The value's name in `--help` (`"<dir>"`); by default the kind's (`<size>`, `<n>`, …). */
  readonly placeholder?: string;
  /** The option must be given (an error names it when absent). */
  readonly required?: boolean;
  /** How the default reads in `--help` when it is computed at run time ("all cores"). */
  readonly defaultText?: string;
}

/** A text value. */
export interface StringOption extends OptionCommon {
  readonly kind: "string";
  readonly default?: string;
  /**
   * An empty value reaches `run` instead of being refused here: for a value whose own check
   * (an output folder's) says better what is wrong with it.
   */
  readonly allowEmpty?: boolean;
  /** Given any number of times; the value is the list of them (empty when absent). */
  readonly repeatable?: boolean;
}

/** A quantity read by `@vx/core` (`64GiB`, `10Gbps`, `300ms`, `5%`), in base units. */
export interface QuantityOption extends OptionCommon {
  readonly kind: QuantityKind;
  /** In base units (bytes, bytes per second, seconds, a fraction). */
  readonly default?: number;
  /** Smallest value accepted, inclusive, in base units. */
  readonly min?: number;
  /** Largest value accepted, inclusive, in base units. */
  readonly max?: number;
  /** Whether 0 is accepted; default true. */
  readonly allowZero?: boolean;
}

/** A whole number. */
export interface IntegerOption extends OptionCommon {
  readonly kind: "integer";
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}

/** A finite decimal number. */
export interface NumberOption extends OptionCommon {
  readonly kind: "number";
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}

/** One of a list of names. */
export interface EnumOption<V extends string = string> extends OptionCommon {
  readonly kind: "enum";
  readonly values: readonly V[];
  readonly default?: V;
}

/** Comma-separated items (`precopy,postcopy`), each one of `values` when given. */
export interface ListOption<V extends string = string> extends OptionCommon {
  readonly kind: "list";
  readonly values?: readonly V[];
  readonly default?: readonly V[];
}

/** A flag without a value: true when given. */
export interface BooleanOption extends OptionCommon {
  readonly kind: "boolean";
}

/** Any option declaration. */
export type OptionSpec =
  | StringOption
  | QuantityOption
  | IntegerOption
  | NumberOption
  | EnumOption
  | ListOption
  | BooleanOption;

/** Options by flag name (without the dashes: `"dirty-rate"` for `--dirty-rate`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value an option declaration parses into. */
export type OptionValue<S> = S extends { readonly kind: "boolean" }
  ? boolean
  : S extends { readonly kind: "enum"; readonly values: readonly (infer V)[] }
    ? V
    : S extends { readonly kind: "list"; readonly values: readonly (infer V)[] }
      ? readonly V[]
      : S extends { readonly kind: "list" }
        ? readonly string[]
        : S extends { readonly kind: "string"; readonly repeatable: true }
          ? readonly string[]
          : S extends { readonly kind: "string" }
            ? string
            : number;

/** Whether an option always has a value: booleans, defaults, required and repeatable options. */
type AlwaysSet<S> = S extends { readonly kind: "boolean" }
  ? true
  : S extends { readonly default: unknown }
    ? true
    : S extends { readonly required: true }
      ? true
      : S extends { readonly repeatable: true }
        ? true
        : false;

/** The parsed options: converted, range-checked and defaulted. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: AlwaysSet<O[K]> extends true
    ? OptionValue<O[K]>
    : OptionValue<O[K]> | undefined;
};

/** A positional argument. */
export interface PositionalSpec {
  /** Its name in `--help` (`quantity` shows as `<quantity>`). */
  readonly name: string;
  readonly description: string;
  /** The words accepted (a subcommand such as `show`); any text when omitted. */
  readonly values?: readonly string[];
  /** May be left out (only trailing positionals). */
  readonly optional?: boolean;
  /** Takes every remaining argument (only the last positional). */
  readonly variadic?: boolean;
}

/** What a command's `run` receives. */
export interface ParsedArgs<O extends OptionSpecs> {
  readonly options: OptionValues<O>;
  readonly positionals: readonly string[];
  /** The options given on the command line (not defaulted), by name (`"dirty-rate"`). */
  readonly given: ReadonlySet<keyof O & string>;
}

/**
 * What a command's `run` returns: an exit code, or a promise of one. Declare `number` for a
 * synchronous command; an asynchronous one keeps the union (`--help` is answered synchronously).
 */
export type ExitResult = number | Promise<number>;

/** The declaration of a command; `R` says whether it runs synchronously. */
export interface CommandSpec<O extends OptionSpecs, R extends ExitResult = ExitResult> {
  /** As typed after `vx`: `"units"`, or `"sweep merge"` for a subcommand. */
  readonly name: string;
  /** One line for `vx --help`. */
  readonly summary: string;
  /** What the command does, in prose (lines of at most 100 characters). */
  readonly description: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly options: O;
  /** Full command lines, shown under "Examples". */
  readonly examples?: readonly string[];
  /** Text after the options (exit codes, what is assumed). */
  readonly notes?: string;
  /** Subcommands with their own options, chosen by the first argument (`vx sweep merge`). */
  readonly subcommands?: readonly CliCommand<R>[];
  /** Other names the command answers to as a subcommand (`k8s` for `vx sweep kubernetes`). */
  readonly aliases?: readonly string[];
  /** The command itself, run once every argument has been read without error. */
  readonly run: (args: ParsedArgs<O>, io: CliIo) => R;
}

/**
 * A command as `cli/main.ts` runs it: the shape every `vx` command has had (`summary`, `usage`,
 * `run(argv, io)`), plus its name and declared flags.
 */
export interface CliCommand<R extends ExitResult = ExitResult> {
  readonly name: string;
  readonly summary: string;
  /** Other names it answers to as a subcommand (`k8s` for `vx sweep kubernetes`). */
  readonly aliases: readonly string[];
  /** The full `--help` text. */
  readonly usage: string;
  /** Every flag it accepts, `--help` included (for "did you mean"). */
  readonly flags: readonly string[];
  /**
   * Reads `argv` (the arguments after the command's name), prints `usage` for `-h`/`--help`,
   * else runs the command.
   *
   * @throws {@link VxError} listing every bad flag and argument before anything runs.
   */
  readonly run: (argv: readonly string[], io: CliIo) => R;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * An error about one flag, printed `vx <command>: --flag: message [CODE]`.
 *
 * Use it in a command's `run` for checks that involve several flags; single-flag checks belong
 * in the declaration (kinds, ranges, values).
 *
 * @param flag - the flag with its dashes (`"--ram"`).
 * @param message - what is wrong and what to do, without the flag's name.
 * @param code - default `VX_CLI_BAD_FLAG`.
 * @returns the error, to throw.
 * @example
 * ```ts
 * throw flagError("--max-time", "is shorter than --max-downtime; raise it.");
 * ```
 */
export function flagError(flag: string, message: string, code = "VX_CLI_BAD_FLAG"): VxError {
  return new VxError(code, `${flag}: ${message}`, {
    path: [flag],
    issues: [{ code, message, path: [flag] }],
  });
}

function issue(code: string, message: string, flag?: string): VxIssue {
  return { code, message, path: flag === undefined ? [] : [flag] };
}

/**
 * The issue for a flag a command does not know: "did you mean" the closest known flag, and
 * where to read the command's flags.
 *
 * @param flag - as written, with its dashes (and without any `=value`).
 * @param known - the flags that would have been accepted.
 * @param command - the command's name (`"units"`), or `""` for the top level.
 * @returns an issue with code `VX_CLI_UNKNOWN_FLAG` and the flag as its path.
 * @example
 * ```ts
 * unknownFlagIssue("--jsno", ["--json", "--help"], "units");
 * // { code: "VX_CLI_UNKNOWN_FLAG", path: ["--jsno"],
 * //   message: "unknown flag; did you mean --json? Run `vx units --help` for the flags it takes." }
 * ```
 */
export function unknownFlagIssue(flag: string, known: readonly string[], command: string): VxIssue {
  const near = closestMatch(flag, known);
  const help = command === "" ? "vx --help" : `vx ${command} --help`;
  const message =
    near === undefined
      ? `unknown flag; run \`${help}\` for the flags it takes.`
      : `unknown flag; did you mean ${near}? Run \`${help}\` for the flags it takes.`;
  return issue("VX_CLI_UNKNOWN_FLAG", message, flag);
}

/** Throws one error listing every issue (the first one's code), when there are any. */
function throwIssues(issues: readonly VxIssue[]): void {
  const first = issues[0];
  if (first === undefined) return;
  const lines = issues.map((i) => (i.path.length > 0 ? `${i.path[0]}: ${i.message}` : i.message));
  throw new VxError(first.code, lines.join("\n"), { path: first.path, issues });
}

// ---------------------------------------------------------------------------------------------
// Reading values

const QUANTITY: Readonly<
  Record<
    QuantityKind,
    {
      readonly parse: (text: string) => number;
      readonly format: (value: number) => string;
      readonly placeholder: string;
    }
  >
> = {
  bytes: { parse: (t) => parseBytes(t), format: (v) => formatBytes(v), placeholder: "<size>" },
  rate: { parse: (t) => parseRate(t), format: (v) => formatRate(v), placeholder: "<rate>" },
  duration: {
    parse: (t) => parseDuration(t),
    format: (v) => formatDuration(v),
    placeholder: "<duration>",
  },
  percent: {
    parse: (t) => parsePercent(t),
    format: (v) => formatPercent(v),
    placeholder: "<percent>",
  },
};

function isQuantity(spec: OptionSpec): spec is QuantityOption {
  return spec.kind in QUANTITY;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

/** A value that failed: the issue's code and message (the flag is added by the caller). */
type Read =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issue: VxIssue };

function bad(flag: string, message: string, code = "VX_CLI_BAD_FLAG"): Read {
  return { ok: false, issue: issue(code, message, flag) };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

function oneOf(values: readonly string[]): string {
  return values.length === 1 ? `"${values[0]}"` : `one of ${values.join(", ")}`;
}

function rangeProblem(
  value: number,
  spec: { readonly min?: number; readonly max?: number; readonly allowZero?: boolean },
  show: (n: number) => string,
): string | undefined {
  if (value === 0 && spec.allowZero === false) return "> 0";
  if (spec.min !== undefined && value < spec.min) return `≥ ${show(spec.min)}`;
  if (spec.max !== undefined && value > spec.max) return `≤ ${show(spec.max)}`;
  return undefined;
}

/** Reads one flag's text as its declaration says. */
function readValue(flag: string, spec: OptionSpec, text: string): Read {
  if (text.trim() === "" && !(spec.kind === "string" && spec.allowEmpty === true)) {
    return bad(flag, `is empty; give ${placeholderOf(spec)}${exampleOf(spec)}.`);
  }
  switch (spec.kind) {
    case "string":
      return { ok: true, value: text };
    case "integer":
    case "number": {
      const whole = spec.kind === "integer";
      const n = Number(text);
      if (!(whole ? INTEGER : DECIMAL).test(text.trim()) || !Number.isFinite(n)) {
        return bad(flag, `expected ${whole ? "an integer" : "a number"}, got ${quote(text)}.`);
      }
      if (whole && !Number.isSafeInteger(n)) {
        return bad(flag, `${quote(text)} is too large for an exact integer.`);
      }
      const range = rangeProblem(n, spec, String);
      if (range !== undefined) {
        return bad(flag, `expected ${whole ? "an integer" : "a number"} ${range}, got ${text}.`);
      }
      return { ok: true, value: n };
    }
    case "enum": {
      if ((spec.values as readonly string[]).includes(text)) return { ok: true, value: text };
      const near = closestMatch(text, spec.values);
      const hint = near === undefined ? "" : `; did you mean ${near}?`;
      return bad(flag, `expected ${oneOf(spec.values)}, got ${quote(text)}${hint}`);
    }
    case "list": {
      const items = text.split(",").map((s) => s.trim());
      if (items.some((s) => s === "")) {
        return bad(flag, `${quote(text)} has an empty item; separate items with single commas.`);
      }
      if (spec.values !== undefined) {
        const allowed = spec.values as readonly string[];
        const unknown = items.filter((s) => !allowed.includes(s));
        if (unknown.length > 0) {
          const first = unknown[0]!;
          const near = closestMatch(first, allowed);
          const hint = near === undefined ? "" : `; did you mean ${near}?`;
          return bad(
            flag,
            `${quote(first)} is not ${oneOf(allowed)} (give a comma-separated list of them)${hint}`,
          );
        }
      }
      return { ok: true, value: items };
    }
    case "boolean":
      return bad(flag, "takes no value; give the flag alone.");
    default:
      return readQuantity(flag, spec, text);
  }
}

function readQuantity(flag: string, spec: QuantityOption, text: string): Read {
  const q = QUANTITY[spec.kind];
  let value: number;
  try {
    value = q.parse(text);
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return bad(flag, flagMessage(error.issues[0]?.message ?? error.message), error.code);
  }
  const range = rangeProblem(value, spec, q.format);
  if (range !== undefined) {
    return bad(
      flag,
      `expected ${range}, got ${quote(text)}${describeQuantity(spec, value, text)}.`,
    );
  }
  return { ok: true, value };
}

/**
 * A message of `@vx/core`'s unit parser as it reads for a flag: on the command line every value
 * is text, so the parser's "or pass the number 0 (bytes)" advice (for scenario files) is dropped.
 *
 * @param message - the parser's message.
 * @returns the message for a flag.
 * @example
 * ```ts
 * flagMessage('"0" has no unit. Add one, e.g. "0B" (units: B, …), or pass the number 0 (bytes).');
 * // '"0" has no unit. Add one, e.g. "0B" (units: B, …).'
 * ```
 */
export function flagMessage(message: string): string {
  return message.replace(/,? or pass the number [^()]*\([^)]*\)/, "");
}

function describeQuantity(spec: QuantityOption, value: number, text: string): string {
  const shown = QUANTITY[spec.kind].format(value);
  return shown.replace(/\s/g, "") === text.replace(/\s/g, "") ? "" : ` (${shown})`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function isFlagToken(token: string): boolean {
  // "-5GiB" and "-0.5" are values, not flags.
  return token.startsWith("-") && token.length > 1 && !/^-[\d.]/.test(token);
}

/** The result of reading argv against a declaration. */
interface Reading {
  readonly options: Record<string, unknown>;
  readonly positionals: string[];
  readonly given: Set<string>;
  readonly issues: VxIssue[];
}

function readArgs<O extends OptionSpecs>(
  spec: CommandSpec<O, ExitResult>,
  argv: readonly string[],
): Reading {
  const options: Record<string, unknown> = {};
  const positionals: string[] = [];
  const issues: VxIssue[] = [];
  const seen = new Set<string>();
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.short !== undefined) byShort.set(option.short, name);
  }
  const known = flagsOf(spec);
  let confused = false; // after an unknown flag, its value may look like a positional
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      for (let j = i + 1; j < argv.length; j++) positionals.push(argv[j]!);
      break;
    }
    if (!isFlagToken(token)) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const written = eq < 0 ? token : token.slice(0, eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    const name = written.startsWith("--")
      ? written.slice(2)
      : written.length === 2
        ? byShort.get(written.slice(1))
        : undefined;
    const option =
      name === undefined
        ? undefined
        : Object.hasOwn(spec.options, name)
          ? spec.options[name]
          : undefined;
    if (name === undefined || option === undefined) {
      issues.push(unknownFlagIssue(written, known, spec.name));
      confused = true;
      continue;
    }
    const flag = `--${name}`;
    const repeatable = option.kind === "string" && option.repeatable === true;
    if (seen.has(name) && !repeatable) {
      issues.push(issue("VX_CLI_BAD_FLAG", "is given twice; give it once.", flag));
    }
    seen.add(name);
    if (option.kind === "boolean") {
      if (inline !== undefined)
        issues.push(issue("VX_CLI_BAD_FLAG", "takes no value; give the flag alone.", flag));
      else options[name] = true;
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (isFlagToken(next) && next !== "-")) {
        issues.push(
          issue(
            "VX_CLI_BAD_FLAG",
            `needs a value: ${placeholderOf(option)}${exampleOf(option)}.`,
            flag,
          ),
        );
        continue;
      }
      text = next;
      i++;
    }
    const read = readValue(flag, option, text);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    if (repeatable)
      options[name] = [...((options[name] as string[] | undefined) ?? []), read.value];
    else options[name] = read.value;
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (options[name] !== undefined || seen.has(name)) continue;
    if (option.kind === "boolean") options[name] = false;
    else if (option.kind === "string" && option.repeatable === true) options[name] = [];
    else if (option.default !== undefined) options[name] = option.default;
    else if (option.required === true) {
      issues.push(
        issue(
          "VX_CLI_BAD_FLAG",
          `is required: ${placeholderOf(option)}${exampleOf(option)}.`,
          `--${name}`,
        ),
      );
    }
  }
  if (!confused) for (const issue of positionalIssues(spec, positionals)) issues.push(issue);
  return { options, positionals, given: seen, issues };
}

function positionalIssues<O extends OptionSpecs>(
  spec: CommandSpec<O, ExitResult>,
  given: readonly string[],
): VxIssue[] {
  const declared = spec.positionals ?? [];
  const required = declared.filter((p) => p.optional !== true).length;
  const variadic = declared[declared.length - 1]?.variadic === true;
  const help = `run \`vx ${spec.name} --help\``;
  if (given.length < required) {
    const missing = declared[given.length]!;
    return [
      issue(
        "VX_CLI_BAD_USAGE",
        `give ${missing.values === undefined ? `<${missing.name}>` : oneOf(missing.values)} (${missing.description}); ${help}.`,
      ),
    ];
  }
  if (!variadic && given.length > declared.length) {
    const extra = given.slice(declared.length).map(quote).join(" ");
    const takes =
      declared.length === 0
        ? "takes no arguments"
        : `takes at most ${declared.length} argument${declared.length === 1 ? "" : "s"}`;
    return [issue("VX_CLI_BAD_USAGE", `${takes}, got ${extra}; ${help}.`)];
  }
  const out: VxIssue[] = [];
  given.forEach((text, k) => {
    const p = declared[Math.min(k, declared.length - 1)];
    if (p?.values === undefined || p.values.includes(text)) return;
    const near = closestMatch(text, p.values);
    out.push(
      issue(
        "VX_CLI_BAD_USAGE",
        `expected ${oneOf(p.values)} as <${p.name}>, got ${quote(text)}${near === undefined ? "" : `; did you mean ${near}?`} (${help})`,
      ),
    );
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Help

const WIDTH = 100;

function placeholderOf(spec: OptionSpec): string {
  if (spec.placeholder !== undefined) return spec.placeholder;
  switch (spec.kind) {
    case "boolean":
      return "";
    case "string":
      return "<text>";
    case "integer":
      return "<n>";
    case "number":
      return "<x>";
    case "enum":
      return `<${spec.values.join("|")}>`;
    case "list":
      return spec.values === undefined ? "<a,b,…>" : `<${spec.values.join(",")},…>`;
    default:
      return QUANTITY[spec.kind].placeholder;
  }
}

const EXAMPLES: Readonly<Record<QuantityKind, string>> = {
  bytes: "64GiB",
  rate: "10Gbps",
  duration: "300ms",
  percent: "5%",
};

function exampleOf(spec: OptionSpec): string {
  if (isQuantity(spec)) return `, e.g. ${EXAMPLES[spec.kind]}`;
  if (spec.kind === "enum" || (spec.kind === "list" && spec.values !== undefined)) {
    return ` (${spec.values!.join(", ")})`;
  }
  return "";
}

function defaultOf(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.kind === "boolean" || spec.default === undefined) return undefined;
  if (isQuantity(spec)) return QUANTITY[spec.kind].format(spec.default);
  if (spec.kind === "list") return spec.default.join(",");
  return String(spec.default);
}

function flagsOf<O extends OptionSpecs>(spec: CommandSpec<O, ExitResult>): string[] {
  const flags = Object.keys(spec.options).map((name) => `--${name}`);
  for (const option of Object.values(spec.options)) {
    if (option.short !== undefined) flags.push(`-${option.short}`);
  }
  flags.push("--help", "-h");
  return flags;
}

/** Wraps `text` to `WIDTH` columns; lines after the first are indented by `indent`. */
function wrap(text: string, first: string, indent: number): string[] {
  const out: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const sep = line.length === 0 || line.endsWith(" ") ? "" : " ";
    if (
      line.length + sep.length + word.length > WIDTH &&
      line.trim().length > 0 &&
      line.length > indent
    ) {
      out.push(line.trimEnd());
      line = " ".repeat(indent) + word;
    } else {
      line += sep + word;
    }
  }
  out.push(line.trimEnd());
  return out;
}

function usageLine<O extends OptionSpecs>(spec: CommandSpec<O, ExitResult>): string {
  const parts = [`vx ${spec.name}`];
  if (spec.subcommands !== undefined && spec.subcommands.length > 0) parts.push("[<subcommand>]");
  for (const p of spec.positionals ?? []) {
    const word = p.values?.length === 1 ? p.values[0]! : `<${p.values?.join("|") ?? p.name}>`;
    const shown = `${word}${p.variadic === true ? "..." : ""}`;
    parts.push(p.optional === true ? `[${shown}]` : shown);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.required === true) parts.push(`--${name} ${placeholderOf(option)}`);
  }
  if (Object.values(spec.options).some((o) => o.required !== true)) parts.push("[options]");
  return `Usage: ${parts.join(" ")}`;
}

function renderHelp<O extends OptionSpecs>(spec: CommandSpec<O, ExitResult>): string {
  const lines: string[] = [usageLine(spec)];
  for (const sub of spec.subcommands ?? []) {
    lines.push(`       ${sub.usage.split("\n", 1)[0]!.replace(/^Usage: /, "")}`);
  }
  lines.push("", spec.description.trimEnd());
  const positionals = (spec.positionals ?? []).filter((p) => p.values?.length !== 1);
  if (positionals.length > 0) {
    lines.push("", "Arguments:");
    const rows = positionals.map(
      (p) => [`<${p.name}>${p.variadic === true ? "..." : ""}`, p.description] as const,
    );
    for (const line of table(rows)) lines.push(line);
  }
  if (spec.subcommands !== undefined && spec.subcommands.length > 0) {
    lines.push("", "Subcommands:");
    const subcommands = spec.subcommands.map(
      (s) =>
        [
          s.name.split(" ").pop()!,
          s.aliases.length === 0 ? s.summary : `${s.summary} (alias: ${s.aliases.join(", ")})`,
        ] as const,
    );
    for (const line of table(subcommands)) lines.push(line);
    lines.push(`  (vx ${spec.name} <subcommand> --help shows a subcommand's options)`);
  }
  lines.push("", "Options:");
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const head = `${option.short === undefined ? "" : `-${option.short}, `}--${name}${option.kind === "boolean" ? "" : ` ${placeholderOf(option)}`}`;
    const shown = defaultOf(option);
    const extras = [
      option.required === true ? "required" : undefined,
      option.kind === "string" && option.repeatable === true ? "repeatable" : undefined,
      shown === undefined ? undefined : `default: ${shown}`,
    ].filter((x) => x !== undefined);
    const text =
      extras.length === 0 ? option.description : `${option.description} (${extras.join("; ")})`;
    return [head, text] as const;
  });
  rows.push(["-h, --help", "show this help"]);
  for (const line of table(rows)) lines.push(line);
  if (spec.notes !== undefined) lines.push("", spec.notes.trimEnd());
  if (spec.examples !== undefined && spec.examples.length > 0) {
    lines.push("", spec.examples.length === 1 ? "Example:" : "Examples:");
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  return lines.join("\n");
}

/** Two columns: names padded to the widest (up to 28), descriptions wrapped beside them. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  let width = 0;
  for (const [head] of rows) if (head.length <= 28) width = Math.max(width, head.length);
  const out: string[] = [];
  for (const [head, text] of rows) {
    const indent = 2 + width + 2;
    if (head.length > width) {
      out.push(`  ${head}`);
      for (const line of wrap(text, " ".repeat(indent), indent)) out.push(line);
    } else {
      for (const line of wrap(text, `  ${head.padEnd(width)}  `, indent)) out.push(line);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The declaration → the command

/**
 * Declares a `vx` command; parsing and `--help` derive from the declaration.
 *
 * Use it for every command (see the module comment for converting one). The returned command
 * reads its arguments, printing its help for `-h`/`--help` (or a subcommand's), and otherwise
 * collects every problem with them, throwing one {@link VxError} with an issue per bad flag or
 * argument before `run` is called; `run` receives typed, converted, range-checked and defaulted
 * values.
 *
 * @param spec - name, summary, description, options, positionals, examples, run.
 * @returns the command, in the shape `cli/main.ts` registers in `COMMANDS`.
 * @throws {@link VxError} `VX_CLI_BAD_DECLARATION` when the declaration itself is inconsistent
 *   (an enum default not among its values, two options with one short alias, a `--help` option,
 *   a non-trailing optional or variadic positional): a programming error, raised at import.
 * @example
 * ```ts
 * export const greetCommand: CliCommand<number> = defineCommand({
 *   name: "greet",
 *   summary: "say hello",
 *   description: "Says hello to each name, as often as asked.",
 *   positionals: [{ name: "name", description: "who to greet", variadic: true }],
 *   options: {
 *     times: { kind: "integer", min: 1, default: 1, description: "how often" },
 *     json: { kind: "boolean", description: "print JSON" },
 *   },
 *   examples: ["vx greet Ada Grace --times 2"],
 *   run({ options, positionals }, io) {
 *     for (let i = 0; i < options.times; i++) io.out(`hello ${positionals.join(", ")}\n`);
 *     return 0;
 *   },
 * });
 * ```
 */
export function defineCommand<const O extends OptionSpecs, R extends ExitResult>(
  spec: CommandSpec<O, R>,
): CliCommand<R> {
  checkDeclaration(spec);
  const usage = renderHelp(spec);
  const flags = flagsOf(spec);
  const subcommands = new Map<string, CliCommand<R>>();
  for (const s of spec.subcommands ?? []) {
    for (const word of [s.name.split(" ").pop()!, ...s.aliases]) subcommands.set(word, s);
  }
  return {
    name: spec.name,
    summary: spec.summary,
    aliases: spec.aliases ?? [],
    usage,
    flags,
    run(argv, io) {
      const sub = argv[0] === undefined ? undefined : subcommands.get(argv[0]);
      if (sub !== undefined) return sub.run(argv.slice(1), io);
      const helpAt = argv.findIndex((a) => a === "--help" || a === "-h");
      const endAt = argv.indexOf("--");
      if (helpAt >= 0 && (endAt < 0 || helpAt < endAt)) {
        io.out(`${usage}\n`);
        return ExitCode.ok as R;
      }
      const reading = readArgs(spec, argv);
      throwIssues(reading.issues);
      return spec.run(
        {
          options: reading.options as OptionValues<O>,
          positionals: reading.positionals,
          given: reading.given as ReadonlySet<keyof O & string>,
        },
        io,
      );
    },
  };
}

function checkDeclaration<O extends OptionSpecs>(spec: CommandSpec<O, ExitResult>): void {
  const problems: string[] = [];
  const shorts = new Set<string>();
  for (const [name, option] of Object.entries(spec.options)) {
    if (name === "help" || option.short === "h") problems.push(`--${name}: --help/-h is built in`);
    if (option.short !== undefined) {
      if (shorts.has(option.short) || option.short.length !== 1) {
        problems.push(`--${name}: short alias -${option.short} is not one unused letter`);
      }
      shorts.add(option.short);
    }
    if (
      option.kind === "enum" &&
      option.default !== undefined &&
      !option.values.includes(option.default)
    ) {
      problems.push(`--${name}: default "${option.default}" is not among its values`);
    }
  }
  const positionals = spec.positionals ?? [];
  positionals.forEach((p, k) => {
    const last = k === positionals.length - 1;
    if (p.variadic === true && !last)
      problems.push(`<${p.name}>: only the last positional may be variadic`);
    if (p.optional === true && positionals.slice(k + 1).some((q) => q.optional !== true)) {
      problems.push(`<${p.name}>: an optional positional must come after the required ones`);
    }
  });
  if (problems.length > 0) {
    throw new VxError("VX_CLI_BAD_DECLARATION", `vx ${spec.name}: ${problems.join("; ")}`);
  }
}
