/**
 * `pnpm --filter @vx/numa bench`: how fast the page ledger and the memory fabric are, for models
 * built on them (page flipping moves a page per packet; step models commit traffic every step).
 *
 * - ledger: 10 million ownership transfers between two domains on an 8-node host (page flips),
 *   without history, then 1 million with history recorded;
 * - fabric: 10,000 steps of random aggregate demands on the 8-node EPYC fabric, a fifth of them
 *   oversubscribing a resource (fluid solve), the rest met in closed form;
 * - import: `numactl --hardware` text of 128 to 1024 nodes (synthetic, test/numactl-text.ts) read
 *   into a topology; the issue's target is a 512-node file "well under a second", near linear in
 *   the size of the distance matrix.
 *
 * Each case runs in a fresh Node process, five times; median and range, as in
 * packages/core/bench/run.ts. No target is set for this package: the figures tell the models that
 * use it what a page or a step costs.
 */
import { performance } from "node:perf_hooks";
import { createRandom, FluidSystem, GBps, Simulation } from "@vx/core";
import {
  benchArgs,
  benchHeader,
  fmt,
  measure,
  runCaseIfAsked,
  selectCases,
  spread,
} from "@vx/dev/bench";
import { MemoryFabric, MemoryLedger, parseNumactlHardware, presetTopology } from "@vx/numa";
import { numactlText } from "../test/numactl-text.js";

const REPEATS = 5;

function ledger(recorded: boolean): Record<string, number> {
  const topology = presetTopology("8-node-epyc");
  const clock = { now: 0 };
  const m = new MemoryLedger(topology, recorded ? { clock } : {});
  const guest = m.addDomain("guest");
  const pvm = m.addDomain("pvm");
  m.allocatePages(guest, 1 << 20, { kind: "interleave" });
  m.allocatePages(pvm, 1 << 20, { kind: "interleave" });
  const ops = recorded ? 1_000_000 : 10_000_000;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const node = i & 7;
    if (recorded) clock.now = i * 1e-6;
    if ((i & 1) === 0) m.transfer(guest, pvm, node, 1);
    else m.transfer(pvm, guest, node, 1);
  }
  const wall = (performance.now() - t0) / 1000;
  m.check();
  return { rate: ops / wall / 1e6 };
}

function fabric(): Record<string, number> {
  const sim = new Simulation();
  const f = new MemoryFabric(new FluidSystem(sim), presetTopology("8-node-epyc"));
  const rng = createRandom(1).stream("fabric");
  const steps = 10_000;
  let solves = 0;
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    f.clearDemands();
    const heavy = s % 5 === 0;
    for (let k = 0; k < 16; k++) {
      f.addDemand(
        k & 1 ? 1 : 0,
        rng.int(0, 7),
        rng.int(0, 7),
        GBps(heavy ? rng.uniform(5, 20) : rng.uniform(0, 1)),
      );
    }
    if (f.commit()) {
      solves++;
      sim.run({ until: sim.now });
    }
    sim.run({ until: sim.now + 0.01 });
  }
  const wall = (performance.now() - t0) / 1000;
  return { perStepUs: (wall / steps) * 1e6, solved: solves / steps };
}

/** Imports of synthetic `numactl --hardware` captures: time per import, for each node count. */
function importCase(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of IMPORT_NODES) {
    const text = numactlText(n);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const topology = parseNumactlHardware(text, { name: `${n}.txt` });
    out[`ms${n}`] = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    // CPU time too: on a shared machine the wall time mostly measures the others' load.
    out[`cpu${n}`] = (cpu.user + cpu.system) / 1000;
    if (topology.nodes.length !== n) throw new Error("import lost nodes");
  }
  return out;
}

/** Node counts of the import case: up to Linux's largest (1024, CONFIG_NODES_SHIFT = 10). */
const IMPORT_NODES = [128, 256, 512, 1024] as const;

const CASES: Record<string, () => Record<string, number>> = {
  ledger: () => ledger(false),
  "ledger-recorded": () => ledger(true),
  fabric,
  import: importCase,
};

const argv = benchArgs();
if (!runCaseIfAsked(CASES, argv)) {
  const names = selectCases(argv[0], Object.keys(CASES));
  console.log(benchHeader("numa", REPEATS));
  for (const name of names) {
    const runs = measure(import.meta.url, name, { repeats: REPEATS });
    if (name === "ledger")
      console.log(`page ledger, ownership transfers, no history: ${spread(runs, "rate")} M/s`);
    else if (name === "ledger-recorded")
      console.log(
        `page ledger, ownership transfers, history recorded: ${spread(runs, "rate")} M/s`,
      );
    else if (name === "import")
      for (const n of IMPORT_NODES)
        console.log(
          `numactl --hardware import, ${n} nodes (${n * n} SLIT entries): ${spread(runs, `ms${n}`)} ms wall, ${spread(runs, `cpu${n}`)} ms CPU (target for 512: well under 1 s)`,
        );
    else
      console.log(
        `memory fabric, 8 nodes, 16 aggregate demands per step: ${spread(runs, "perStepUs")} µs per step (${fmt(runs[0]!.solved! * 100, 0)} % of steps solved by the fluid system)`,
      );
  }
}
