/**
 * The built-in feature sections, in the order `vx run` reports them: the one list, for Node
 * (`FEATURES`, reading captured hosts from disk) and for the browser entry (no file reader).
 *
 * @module
 */
import { disaggFeature } from "./disagg.js";
import type { Feature } from "./feature.js";
import { idleFeature } from "./idle.js";
import { createNumaFeature, type ScenarioTopologyReader } from "./numa.js";
import { pageflipFeature } from "./pageflip.js";
import { pvmFeature } from "./pvm.js";
import { upgradeFeature } from "./upgrade.js";

/**
 * The built-in features.
 *
 * @param readTopology - how the `numa` section reads a captured host; none in a browser.
 * @returns the features, in report order.
 */
export function builtinFeatures(readTopology: ScenarioTopologyReader | undefined): Feature[] {
  return [
    createNumaFeature(readTopology),
    pageflipFeature,
    pvmFeature,
    disaggFeature,
    idleFeature,
    upgradeFeature,
  ];
}
