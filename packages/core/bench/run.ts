/**
 * `pnpm bench`: the speed targets of @vx/core, measured on the built package (what npm users get).
 *
 * - hold model: 10^5 pending events; each handler schedules one new event at an exponentially
 *   distributed later time (mean 1 s); events per second, for callbacks and for processes.
 * - transfer storm: a star of 10,000 hosts (10 Gbit/s full-duplex links to a non-blocking core),
 *   50,000 concurrent transfers of mixed sizes (5 per source host, to random other hosts), run to
 *   completion; wall time and peak memory.
 *
 * Each case runs in a fresh Node process (no state left over from another case), repeats, and
 * reports the median with the range: this machine is a shared VM whose speed varies from run to run.
 * Wall-clock reads are allowed here: benchmarks measure the simulator, they are not models.
 *
 * - rebound: 1,000 transfers whose rate caps change at random instants, in place
 *   (`Activity.setBound`) against cancelling and restarting them; wall time per change.
 *
 * Usage: `pnpm bench` (all cases), `pnpm bench hold`, `pnpm bench storm`, `pnpm bench rebound`.
 */
import { performance } from "node:perf_hooks";
import {
  type Activity,
  createRandom,
  FluidSystem,
  Gbps,
  MB,
  type ProcessBody,
  type Resource,
  Simulation,
} from "@vx/core";
import {
  benchArgs,
  benchHeader,
  fmt,
  measure,
  runCaseIfAsked,
  selectCases,
  spread,
} from "@vx/dev/bench";

const REPEATS = 5;

type Case = () => Record<string, number>;

function holdCallbacks(): Record<string, number> {
  const sim = new Simulation();
  const rng = createRandom(1).stream("hold");
  const handler = (): void => {
    sim.schedule(rng.exponential(1), handler);
  };
  for (let i = 0; i < 100_000; i++) sim.schedule(rng.exponential(1), handler);
  sim.run({ until: 10 }); // warm-up: 1e6 events
  const t0 = performance.now();
  const r = sim.run({ until: 60 });
  return { rate: r.events / ((performance.now() - t0) / 1000), events: r.events };
}

function holdProcesses(wait: "sleep" | "timeout", pending = 100_000): Record<string, number> {
  const sim = new Simulation();
  const rng = createRandom(3).stream("hold");
  let resumptions = 0;
  function* sleeper(): ProcessBody<void> {
    for (;;) {
      yield sim.sleep(rng.exponential(1));
      resumptions++;
    }
  }
  function* timeouts(): ProcessBody<void> {
    for (;;) {
      yield sim.timeout(rng.exponential(1));
      resumptions++;
    }
  }
  // Keep 2e6 resumptions per measurement whatever the number of processes.
  const scale = pending / 100_000;
  for (let i = 0; i < pending; i++) sim.process(wait === "sleep" ? sleeper() : timeouts());
  sim.run({ until: 5 / scale }); // start them all, warm up
  resumptions = 0;
  const t0 = performance.now();
  sim.run({ until: 25 / scale });
  return { rate: resumptions / ((performance.now() - t0) / 1000), events: resumptions };
}

function storm(): Record<string, number> {
  const hosts = 10_000;
  const perHost = 5;
  const before = process.memoryUsage();
  const t0 = performance.now();
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const rng = createRandom(4).stream("storm");
  const up: Resource[] = [];
  const down: Resource[] = [];
  for (let h = 0; h < hosts; h++) {
    up.push(fluid.resource({ name: `h${h}.up`, capacity: Gbps(10) }));
    down.push(fluid.resource({ name: `h${h}.down`, capacity: Gbps(10) }));
  }
  const sizes = [MB(1), MB(10), MB(100), MB(1000), MB(4000)];
  let done = 0;
  const onEnd = (): void => {
    done++;
  };
  for (let h = 0; h < hosts; h++) {
    for (let k = 0; k < perHost; k++) {
      let dst = rng.int(0, hosts - 2);
      if (dst >= h) dst++;
      const amount = sizes[rng.int(0, sizes.length - 1)]! * rng.uniform(0.5, 1.5);
      fluid.start({ amount, resources: [up[h]!, down[dst]!], onEnd });
    }
  }
  // Nothing is tested or sampled after every event: the harness reports the process's peak RSS
  // (the kernel's high-water mark).
  sim.run();
  const wall = (performance.now() - t0) / 1000;
  if (done !== hosts * perHost) throw new Error(`storm: ${done} of ${hosts * perHost} ended`);
  const after = process.memoryUsage();
  return {
    wall,
    heapGrowthMiB: (after.heapUsed - before.heapUsed) / 2 ** 20,
    simulated: sim.now,
    solves: fluid.stats.solves,
    meanRegion: fluid.stats.activitiesSolved / fluid.stats.solves,
  };
}

/**
 * Rate caps that change while transfers run (a throttle, a migration's max-bandwidth set live):
 * 100 hosts on a star (10 Gbit/s), 1,000 transfers of 0.5–1.5 GB, each re-capped at its own
 * random instants (exponential gaps, mean 1 s) to a random cap between 100 Mbit/s and 10 Gbit/s
 * until it ends; once in place (`setBound`) and once the old way, cancelling and starting a new
 * transfer for the rest. Wall time per change.
 */
function rebound(inPlace: boolean): Record<string, number> {
  const hosts = 100;
  const perHost = 10;
  const t0 = performance.now();
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const rng = createRandom(5).stream("rebound");
  const up: Resource[] = [];
  const down: Resource[] = [];
  for (let h = 0; h < hosts; h++) {
    up.push(fluid.resource({ name: `h${h}.up`, capacity: Gbps(10) }));
    down.push(fluid.resource({ name: `h${h}.down`, capacity: Gbps(10) }));
  }
  let changes = 0;
  const transfers: Activity[] = [];
  const routes: Resource[][] = [];
  const recap = (i: number): void => {
    const a = transfers[i]!;
    if (a.outcome !== undefined) return;
    const cap = Gbps(rng.uniform(0.1, 10));
    changes++;
    if (inPlace) a.setBound(cap);
    else {
      const left = a.remaining;
      a.cancel();
      transfers[i] = fluid.start({ amount: left, resources: routes[i]!, bound: cap });
    }
    sim.schedule(rng.exponential(1), recap, i);
  };
  for (let h = 0; h < hosts; h++) {
    for (let k = 0; k < perHost; k++) {
      let dst = rng.int(0, hosts - 2);
      if (dst >= h) dst++;
      const route = [up[h]!, down[dst]!];
      routes.push(route);
      transfers.push(fluid.start({ amount: MB(1000) * rng.uniform(0.5, 1.5), resources: route }));
      sim.schedule(rng.exponential(1), recap, transfers.length - 1);
    }
  }
  sim.run();
  const wall = (performance.now() - t0) / 1000;
  for (const a of transfers) {
    if (a.outcome?.status !== "completed") throw new Error("rebound: a transfer did not complete");
  }
  return {
    wall,
    changes,
    usPerChange: (wall * 1e6) / changes,
    simulated: sim.now,
    solves: fluid.stats.solves,
    meanRegion: fluid.stats.activitiesSolved / fluid.stats.solves,
  };
}

const CASES: Record<string, Case> = {
  "hold-callbacks": holdCallbacks,
  "hold-sleep": () => holdProcesses("sleep"),
  "hold-timeout": () => holdProcesses("timeout"),
  "hold-sleep-1e3": () => holdProcesses("sleep", 1000),
  storm,
  "rebound-in-place": () => rebound(true),
  "rebound-restart": () => rebound(false),
};

const GROUPS: Record<string, string[]> = {
  all: Object.keys(CASES),
  hold: ["hold-callbacks", "hold-sleep", "hold-timeout", "hold-sleep-1e3"],
  storm: ["storm"],
  rebound: ["rebound-in-place", "rebound-restart"],
};

const argv = benchArgs();
if (!runCaseIfAsked(CASES, argv)) {
  const names = selectCases(argv[0], Object.keys(CASES), GROUPS);
  console.log(benchHeader("core", REPEATS));
  for (const name of names) {
    const runs = measure(import.meta.url, name, { repeats: REPEATS });
    if (name === "hold-callbacks") {
      const m = runs.map((r) => ({ ...r, rate: r.rate! / 1e6 }));
      console.log(
        `hold model, callbacks, 1e5 pending:          ${spread(m, "rate")} M events/s   [target ≥ 5]`,
      );
    } else if (name === "hold-sleep") {
      const m = runs.map((r) => ({ ...r, rate: r.rate! / 1e6 }));
      console.log(
        `hold model, processes, yield sim.sleep(dt):  ${spread(m, "rate")} M resumptions/s [target ≥ 1]`,
      );
    } else if (name === "hold-sleep-1e3") {
      const m = runs.map((r) => ({ ...r, rate: r.rate! / 1e6 }));
      console.log(
        `  (the same with 1e3 processes, cache-resident: ${spread(m, "rate")} M resumptions/s)`,
      );
    } else if (name === "hold-timeout") {
      const m = runs.map((r) => ({ ...r, rate: r.rate! / 1e6 }));
      console.log(
        `hold model, processes, yield sim.timeout(dt): ${spread(m, "rate")} M resumptions/s`,
      );
    } else if (name.startsWith("rebound")) {
      const r0 = runs[0]!;
      const how =
        name === "rebound-in-place" ? "in place (setBound)     " : "by restart (cancel+start)";
      console.log(
        `rate caps changed at random (mean 1 s), 1,000 transfers, ${how}: ${spread(runs, "wall")} s wall, ` +
          `${spread(runs, "usPerChange")} µs per change; ${fmt(r0.changes!)} changes, ${fmt(r0.solves!)} solves, mean region ${fmt(r0.meanRegion!)}`,
      );
    } else {
      const r0 = runs[0]!;
      console.log(
        `transfer storm, 10,000 hosts x 10 Gbit/s, 50,000 transfers: ${spread(runs, "wall")} s wall [target < 2], ` +
          `peak RSS ${spread(runs, "peakRssMiB")} MiB [target < 1024]; ` +
          `simulated ${fmt(r0.simulated!)} s, ${fmt(r0.solves!)} solves, mean region ${fmt(r0.meanRegion!)} transfers`,
      );
    }
  }
}
