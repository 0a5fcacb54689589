/**
 * Every feature section `vx run` knows. To add one: write `features/<name>.ts` exporting
 * `defineFeature({ … })` and add it here; the scenario schema, `vx validate`, `vx schema` and
 * `vx run` pick it up.
 *
 * @module
 */
import type { Feature } from "./feature.js";
import { numaFeature } from "./numa.js";
import { pageflipFeature } from "./pageflip.js";
import { upgradeFeature } from "./upgrade.js";

/** The built-in feature sections, in the order `vx run` reports them. */
export const FEATURES: readonly Feature[] = [numaFeature, pageflipFeature, upgradeFeature];
