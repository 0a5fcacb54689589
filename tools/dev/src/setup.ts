/**
 * The test setup of every vx package (its `test/setup.ts` imports this): property tests draw
 * from a fixed seed so CI is deterministic (`FC_SEED=<n>` replays another seed, `FC_SEED=random`
 * explores new ones; fast-check prints the seed of any failure), and `toThrowVx` is registered.
 *
 * @module
 */
import fc from "fast-check";
import { registerVxMatchers } from "./matchers.js";

/** The seed property tests draw from unless `FC_SEED` says otherwise. */
export const FC_SEED = 20261122;

const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed === undefined ? FC_SEED : Number(seed) });
registerVxMatchers();
