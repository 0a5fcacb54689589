/**
 * Features: the sections of scenario files that feature packages contribute, one declaration each
 * ({@link defineFeature}). A feature is either standalone (its model runs beside the data center
 * on the section's value: `numa`, `pageflip`) or a data-center extension (it returns a
 * `DatacenterExtension` that acts inside the run: idle parking, upgrades, disaggregation).
 * Composition only: the models live in the feature packages.
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";
import type { DatacenterExtension } from "@vx/datacenter";
import type { z } from "zod";
import type { Scenario } from "../scenario/types.js";

/** A problem a feature finds when it checks its section against the whole scenario. */
export interface SectionIssue {
  /** A stable code such as `VX_SIM_BAD_NUMA`. */
  readonly code: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
  /** Path inside the section (the section name is prefixed for you). */
  readonly path: VxPath;
}

interface FeatureBase<T, O> {
  /** Top-level key in scenario files, `Scenario.extensions` and `result.extensions`: lower camel case. */
  readonly name: string;
  /** One or two sentences for the JSON Schema and the docs: what the section configures. */
  readonly description: string;
  /** Validates the section's value; use strict objects and core's quantity schemas. */
  readonly schema: z.ZodType<T, unknown>;
  /**
   * Optional cross-check against the rest of the scenario, run once every other check has
   * passed (e.g. a NUMA layout must name existing host types).
   */
  readonly check?: (value: T, scenario: Scenario) => readonly SectionIssue[];
  /** A terminal table of the feature's output. */
  readonly format: (output: O) => string;
}

/** A feature whose model runs beside the data center, on its section alone. */
export interface StandaloneFeatureDefinition<T, O> extends FeatureBase<T, O> {
  readonly kind: "standalone";
  /** Runs the model on the validated section; returns plain JSON (`result.extensions[name]`). */
  readonly run: (value: T, scenario: Scenario) => O;
}

/** A feature that acts inside the data-center run. */
export interface DatacenterFeatureDefinition<T, O> extends FeatureBase<T, O> {
  readonly kind: "datacenter";
  /** The extension the section asks for; what its `end` returns is the feature's output. */
  readonly extension: (value: T, scenario: Scenario) => DatacenterExtension<O>;
}

/** What {@link defineFeature} takes. */
export type FeatureDefinition<T, O> =
  | StandaloneFeatureDefinition<T, O>
  | DatacenterFeatureDefinition<T, O>;

/** A standalone feature's run: its output and its table. */
export interface FeatureRun {
  readonly output: unknown;
  readonly table: string;
}

/** A data-center feature's extension, and the table of its output once the run ended. */
export interface FeatureExtension {
  readonly extension: DatacenterExtension;
  readonly table: () => string;
}

/**
 * A feature, as the scenario parser and `vx run` use it: its value type is sealed inside (the
 * values it parsed are remembered, typed, by the feature itself), so features of different value
 * types share one list without casts.
 */
export interface Feature {
  readonly name: string;
  readonly description: string;
  readonly kind: "standalone" | "datacenter";
  /** The section's schema (for the scenario-file schema and the JSON Schema). */
  readonly schema: z.ZodType<unknown, unknown>;
  /**
   * Parses a section as written; the value returned is what `check`, `run` and `extension` take.
   *
   * @throws zod's error for an invalid section (the scenario parser reports schema issues first).
   */
  parse(raw: unknown): unknown;
  /** Cross-checks a section value against the scenario. */
  check(value: unknown, scenario: Scenario): readonly SectionIssue[];
  /** Standalone features: runs the model. `undefined` for data-center features. */
  run(value: unknown, scenario: Scenario): FeatureRun | undefined;
  /** Data-center features: the extension. `undefined` for standalone features. */
  extension(value: unknown, scenario: Scenario): FeatureExtension | undefined;
}

const NAME = /^[a-z][A-Za-z0-9]{0,31}$/;

/** Top-level fields a feature may not take (the spec's, and the scenario's own). */
const RESERVED: ReadonlySet<string> = new Set([
  "name",
  "seed",
  "duration",
  "step",
  "hostTypes",
  "hosts",
  "vmTypes",
  "vms",
  "network",
  "policy",
  "migration",
  "cloudsim",
  "extensions",
  "baseDir",
  "$schema",
]);

/**
 * Declares a feature section: the one place a feature is defined. Add the result to the list in
 * `features/index.ts` (or pass it to `parseScenario(text, { features })`): the scenario schema,
 * `vx validate`, `vx schema` and `vx run` pick it up.
 *
 * @param definition - name, description, schema, optional cross-check, table, and either `run`
 * (standalone) or `extension` (data-center).
 * @returns the feature.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SECTION` when the name is not lower camel case or is
 * a field of the spec (`hosts`, `policy`, …).
 * @example
 * ```ts
 * export const idleFeature = defineFeature({
 *   name: "idle",
 *   description: "Parking of idle VMs (SEaMLESS).",
 *   schema: z.strictObject({ parkAfter: durationSchema().default(600) }),
 *   kind: "datacenter",
 *   extension: (value) => ({ name: "idle", end: () => ({ parked: 0 }) }),
 *   format: (out) => `parked ${out.parked}`,
 * });
 * ```
 */
export function defineFeature<T, O>(definition: FeatureDefinition<T, O>): Feature {
  const d = definition;
  if (!NAME.test(d.name)) {
    throw new VxError(
      "VX_SIM_BAD_SECTION",
      `section name ${JSON.stringify(d.name)} must be lower camel case (a lower-case letter, then letters or digits, at most 32 characters).`,
      { path: ["name"] },
    );
  }
  if (RESERVED.has(d.name)) {
    throw new VxError(
      "VX_SIM_BAD_SECTION",
      `section name ${JSON.stringify(d.name)} is a field of scenario files; choose another.`,
      { path: ["name"] },
    );
  }
  // The values this feature parsed, typed: a section's schema may rename keys, so its output is
  // not always valid input again.
  const parsed = new WeakMap<object, T>();
  const typed = (value: unknown): T => {
    const v = typeof value === "object" && value !== null ? parsed.get(value) : undefined;
    if (v === undefined) {
      throw new VxError(
        "VX_SIM_BAD_SECTION",
        `the ${d.name} section's value was not parsed by its feature; pass the value parseScenario put in scenario.extensions.${d.name}.`,
        { path: [d.name] },
      );
    }
    return v;
  };
  return {
    name: d.name,
    description: d.description,
    kind: d.kind,
    schema: d.schema,
    parse: (raw) => {
      const value = d.schema.parse(raw);
      if (typeof value === "object" && value !== null) parsed.set(value, value);
      return value;
    },
    check: (value, scenario) => (d.check === undefined ? [] : d.check(typed(value), scenario)),
    run: (value, scenario) => {
      if (d.kind !== "standalone") return undefined;
      const output = d.run(typed(value), scenario);
      return { output, table: d.format(output) };
    },
    extension: (value, scenario) => {
      if (d.kind !== "datacenter") return undefined;
      const inner = d.extension(typed(value), scenario);
      let output: { readonly value: O } | undefined;
      const extension: DatacenterExtension<O | null> = {
        name: d.name,
        ...(inner.start === undefined ? {} : { start: (ctx) => inner.start?.(ctx) }),
        ...(inner.round === undefined ? {} : { round: (ctx) => inner.round?.(ctx) }),
        ...(inner.migrationEnded === undefined
          ? {}
          : { migrationEnded: (ctx, record) => inner.migrationEnded?.(ctx, record) }),
        end: (ctx) => {
          if (inner.end === undefined) return null;
          const value = inner.end(ctx);
          output = { value };
          return value;
        },
      };
      return { extension, table: () => (output === undefined ? "" : d.format(output.value)) };
    },
  };
}

/**
 * Merges feature lists, refusing two features with one name.
 *
 * @param lists - lists of features, in order.
 * @returns one list, each name once.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SECTION` when two features share a name, or when a
 * list or one of its entries is not what {@link defineFeature} makes (hand-built input).
 */
export function mergeFeatures(...lists: readonly (readonly Feature[])[]): readonly Feature[] {
  const seen = new Set<string>();
  const out: Feature[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) {
      throw new VxError(
        "VX_SIM_BAD_SECTION",
        "features must be an array of sections made with defineFeature.",
        { path: ["features"] },
      );
    }
    for (const [i, f] of list.entries()) {
      if (!isFeature(f)) {
        throw new VxError(
          "VX_SIM_BAD_SECTION",
          `features[${i}] is not a section made with defineFeature (it needs a name, a kind, a schema and the functions defineFeature gives it).`,
          { path: ["features", i] },
        );
      }
      if (seen.has(f.name)) {
        throw new VxError(
          "VX_SIM_BAD_SECTION",
          `two scenario sections are named ${JSON.stringify(f.name)}; section names must be unique.`,
          { path: ["features"] },
        );
      }
      seen.add(f.name);
      out.push(f);
    }
  }
  return out;
}

/** Whether a value has the shape {@link defineFeature} gives a feature (for hand-built input). */
function isFeature(f: unknown): f is Feature {
  if (typeof f !== "object" || f === null) return false;
  const x = f as Record<string, unknown>;
  return (
    typeof x.name === "string" &&
    (x.kind === "standalone" || x.kind === "datacenter") &&
    typeof x.schema === "object" &&
    x.schema !== null &&
    typeof x.parse === "function" &&
    typeof x.check === "function" &&
    typeof x.run === "function" &&
    typeof x.extension === "function"
  );
}
