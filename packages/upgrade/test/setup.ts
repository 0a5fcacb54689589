import fc from "fast-check";

// Property tests draw from a fixed seed so CI is deterministic; FC_SEED=<n> replays another seed,
// FC_SEED=random explores new ones (fast-check prints the seed of any failure).
const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed === undefined ? 20261122 : Number(seed) });
