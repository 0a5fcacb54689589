/**
 * Runs several delivery paths with the same parameters: what the `pageflip` section of a `vx`
 * scenario does.
 *
 * @module
 */

import type { PageflipScenarioSection, PageflipScenarioSectionInput } from "./options.js";
import { parsePageflipSection } from "./options.js";
import type { PageflipResult, PageflipRunExtras } from "./receive-path.js";
import { defaultAccessCost, runValidated } from "./receive-path.js";

/** The results of {@link comparePaths}: plain, JSON-serialisable data. */
export interface PageflipComparison {
  /** The validated section the paths ran with (base units, defaults filled). */
  readonly section: PageflipScenarioSection;
  /** One result per path, in the order of `section.paths`. */
  readonly results: PageflipResult[];
}

/**
 * Runs each delivery path of a `pageflip` scenario section (default: all four) with the same
 * parameters and returns one result per path.
 *
 * Use it to compare grant copy, page flipping, informed flipping and NUMA-aware flipping on one
 * workload; it is what `vx run` calls for a scenario's `pageflip` section. A section as users
 * write it is validated first; one that {@link pageflipScenarioSectionSchema} already parsed
 * (base-unit names such as `packetBytes`) runs as it is.
 *
 * @param section - the section as users write it ({@link PageflipScenarioSectionInput}), or
 *   as the schema parsed it ({@link PageflipScenarioSection}).
 * @param extras - another access-cost model, if any.
 * @param path - where the section sits in a scenario, for error paths (e.g. `["pageflip"]`).
 * @returns the validated section and one result per path.
 * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_INVALID_OPTIONS` for a bad section, before anything runs.
 * @example
 * ```ts
 * const { results } = comparePaths({ offeredRate: "10Gbps", duration: "10s" });
 * for (const r of results) console.log(r.path, r.summary.remoteFraction, r.summary.bitsPerSecond);
 * ```
 */
export function comparePaths(
  section: PageflipScenarioSectionInput | PageflipScenarioSection = {},
  extras: PageflipRunExtras = {},
  path: readonly (string | number)[] = [],
): PageflipComparison {
  // A section the schema already parsed has base-unit names (`packetBytes`), which the input
  // form never has (its schema is strict).
  const s =
    "packetBytes" in section
      ? (section as PageflipScenarioSection)
      : parsePageflipSection(section as PageflipScenarioSectionInput, path);
  const access = extras.accessCost ?? defaultAccessCost(s);
  return { section: s, results: s.paths.map((p) => runValidated(s, p, access)) };
}
