/**
 * Extension sections: how a feature package (NUMA/pVM, page flipping, upgrades, disaggregation,
 * idle VMs) adds its own top-level section to scenario files without touching the others.
 *
 * A section is a name, a zod schema and a description. The built-in sections are listed in
 * `scenario/sections/index.ts` (one file per section beside it); callers can add more per call
 * (`parseScenario(text, { sections })`). A section present in a file is validated by its schema
 * and lands, parsed, in `scenario.extensions[name]`; an absent section is absent there too.
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";
import type { z } from "zod";
import type { Scenario } from "./types.js";

/** A problem an extension section finds when it checks itself against the whole scenario. */
export interface SectionIssue {
  /** A stable code such as `VX_SIM_BAD_NUMA`. */
  readonly code: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
  /** Path inside the section (the section name is prefixed for you). */
  readonly path: VxPath;
}

/**
 * One extension section of scenario files.
 *
 * @typeParam T - the section's value after its schema (base units, defaults filled).
 */
export interface ScenarioSection<T = unknown> {
  /** Top-level key in scenario files and in `Scenario.extensions`: lower camel case (`numa`, `pageFlip`). */
  readonly name: string;
  /** One or two sentences for the JSON Schema and the docs: what the section configures. */
  readonly description: string;
  /** Validates the section's value; use strict objects and core's quantity schemas. */
  readonly schema: z.ZodType<T, unknown>;
  /**
   * Optional cross-check against the rest of the scenario, run once every other check has
   * passed (e.g. a NUMA layout must name existing host types).
   */
  check?(value: T, scenario: Scenario): readonly SectionIssue[];
}

const NAME = /^[a-z][A-Za-z0-9]{0,31}$/;

/**
 * Declares an extension section, checking its name.
 *
 * Use it in a file of `scenario/sections/` (one file per section) and add the result to the list
 * in `scenario/sections/index.ts`; or pass it to `parseScenario(text, { sections: [...] })`.
 *
 * @param section - name, description, schema and optional cross-check.
 * @returns the same section, typed.
 * @throws `VxError` `VX_SIM_BAD_SECTION` when the name is not lower camel case or is taken
 * by a core field (`hosts`, `policy`, …).
 * @example
 * ```ts
 * import { z } from "zod";
 * import { durationSchema } from "@vx/core";
 *
 * export const idleSection = defineScenarioSection({
 *   name: "idle",
 *   description: "Parking of idle VMs (SEaMLESS).",
 *   schema: z.strictObject({ parkAfter: durationSchema().default(600) }),
 * });
 * ```
 */
export function defineScenarioSection<T>(section: ScenarioSection<T>): ScenarioSection<T> {
  if (!NAME.test(section.name)) {
    throw new VxError(
      "VX_SIM_BAD_SECTION",
      `section name ${JSON.stringify(section.name)} must be lower camel case (a lower-case letter, then letters or digits, at most 32 characters).`,
      { path: ["name"] },
    );
  }
  if (RESERVED.has(section.name)) {
    throw new VxError(
      "VX_SIM_BAD_SECTION",
      `section name ${JSON.stringify(section.name)} is a core field of scenario files; choose another.`,
      { path: ["name"] },
    );
  }
  return section;
}

/** Core top-level fields (kept here, not imported from schema.ts, to avoid an import cycle). */
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
  "extensions",
  "baseDir",
]);

/**
 * Merges section lists, rejecting two sections with one name.
 *
 * @param lists - lists of sections, in order.
 * @returns one list, each name once.
 * @throws `VxError` `VX_SIM_BAD_SECTION` when two sections share a name.
 */
export function mergeSections(
  ...lists: readonly (readonly ScenarioSection[])[]
): readonly ScenarioSection[] {
  const seen = new Set<string>();
  const out: ScenarioSection[] = [];
  for (const list of lists) {
    for (const section of list) {
      if (seen.has(section.name)) {
        throw new VxError(
          "VX_SIM_BAD_SECTION",
          `two scenario sections are named ${JSON.stringify(section.name)}; section names must be unique.`,
          { path: ["sections"] },
        );
      }
      seen.add(section.name);
      out.push(section);
    }
  }
  return out;
}
