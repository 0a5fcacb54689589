/**
 * Every feature section `vx run` knows. To add one: write `features/<name>.ts` exporting
 * `defineFeature({ … })` and add it to `builtinFeatures` (`features/builtin.ts`); the scenario
 * schema, `vx validate`, `vx schema`, `vx run` and the browser entry pick it up.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { nodeTopologyReader } from "@vx/pvm/node";
import { builtinFeatures } from "./builtin.js";
import type { Feature } from "./feature.js";

/** The built-in feature sections, in the order `vx run` reports them. */
export const FEATURES: readonly Feature[] = builtinFeatures(
  (baseDir) => (source, path) =>
    nodeTopologyReader(
      "sysfs" in source
        ? { sysfs: isAbsolute(source.sysfs) ? source.sysfs : resolve(baseDir, source.sysfs) }
        : {
            numactl: isAbsolute(source.numactl) ? source.numactl : resolve(baseDir, source.numactl),
          },
      path,
    ),
);
