// fast-check's fixed seed (FC_SEED=<n> replays another, FC_SEED=random explores) and toThrowVx.
import "@vx/dev/setup";
