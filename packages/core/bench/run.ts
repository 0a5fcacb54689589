/**
 * `pnpm bench`: the speed targets of @vx/core, printed on this machine.
 *
 * - hold model (callbacks and processes): 10^5 pending events, each handler schedules one new event
 *   at a random later time; events per second.
 * - transfer storm: a star of 10,000 hosts (10 Gbit/s full-duplex links to a non-blocking core),
 *   50,000 concurrent transfers of mixed sizes (5 per source host, to other hosts), run to
 *   completion; wall time and memory.
 *
 * Wall-clock reads are allowed here (benchmarks measure the simulator, they are not models).
 */
import { performance } from "node:perf_hooks";
import {
  createRandom,
  FluidSystem,
  Gbps,
  MB,
  type ProcessBody,
  type Resource,
  Simulation,
} from "../src/index.js";

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function holdCallbacks(pending: number, total: number): number {
  const sim = new Simulation();
  const rng = createRandom(1).stream("hold");
  const handler = (): void => {
    sim.schedule(rng.exponential(1), handler);
  };
  for (let i = 0; i < pending; i++) sim.schedule(rng.exponential(1), handler);
  const t0 = performance.now();
  sim.run({ until: () => sim.eventsProcessed >= total });
  const dt = (performance.now() - t0) / 1000;
  return sim.eventsProcessed / dt;
}

function holdCallbacksTimeUntil(
  pending: number,
  horizon: number,
): { rate: number; events: number } {
  const sim = new Simulation();
  const rng = createRandom(2).stream("hold");
  const handler = (): void => {
    sim.schedule(rng.exponential(1), handler);
  };
  for (let i = 0; i < pending; i++) sim.schedule(rng.exponential(1), handler);
  const t0 = performance.now();
  const r = sim.run({ until: horizon });
  const dt = (performance.now() - t0) / 1000;
  return { rate: r.events / dt, events: r.events };
}

function holdProcesses(pending: number, horizon: number): { rate: number; resumptions: number } {
  const sim = new Simulation();
  const rng = createRandom(3).stream("hold");
  let resumptions = 0;
  function* worker(): ProcessBody<void> {
    for (;;) {
      yield sim.timeout(rng.exponential(1));
      resumptions++;
    }
  }
  for (let i = 0; i < pending; i++) sim.process(worker());
  sim.run({ until: 0 }); // start them all
  resumptions = 0;
  const t0 = performance.now();
  sim.run({ until: horizon });
  const dt = (performance.now() - t0) / 1000;
  return { rate: resumptions / dt, resumptions };
}

function storm(
  hosts: number,
  perHost: number,
): {
  wall: number;
  heapMiB: number;
  rssMiB: number;
  end: number;
  solves: number;
  meanRegion: number;
} {
  gc();
  const base = process.memoryUsage();
  const t0 = performance.now();
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const rng = createRandom(4).stream("storm");
  const up: Resource[] = [];
  const down: Resource[] = [];
  for (let h = 0; h < hosts; h++) {
    up.push(fluid.resource({ name: `h${h}-up`, capacity: Gbps(10) }));
    down.push(fluid.resource({ name: `h${h}-down`, capacity: Gbps(10) }));
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
  let peakHeap = process.memoryUsage().heapUsed;
  sim.run({
    until: () => {
      if ((sim.eventsProcessed & 0xfff) === 0) {
        const m = process.memoryUsage().heapUsed;
        if (m > peakHeap) peakHeap = m;
      }
      return false;
    },
  });
  const wall = (performance.now() - t0) / 1000;
  if (done !== hosts * perHost) throw new Error(`storm: ${done} of ${hosts * perHost} ended`);
  const mem = process.memoryUsage();
  const stats = fluid.stats;
  return {
    wall,
    heapMiB: (Math.max(peakHeap, mem.heapUsed) - base.heapUsed) / 2 ** 20,
    rssMiB: mem.rss / 2 ** 20,
    end: sim.now,
    solves: stats.solves,
    meanRegion: stats.activitiesSolved / stats.solves,
  };
}

const fmt = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const which = process.argv[2] ?? "all";
console.log(`vx core benchmarks (node ${process.version}, ${process.platform}/${process.arch})`);
if (which === "all" || which === "hold") {
  holdCallbacks(100_000, 2_000_000); // warm-up
  const cb = holdCallbacks(100_000, 10_000_000);
  console.log(
    `hold model, callbacks, 1e5 pending:   ${fmt(cb / 1e6)} M events/s   (target ≥ 5 M/s)`,
  );
  const cbt = holdCallbacksTimeUntil(100_000, 50);
  console.log(
    `hold model, callbacks, run(until: t): ${fmt(cbt.rate / 1e6)} M events/s (${fmt(cbt.events)} events)`,
  );
  holdProcesses(100_000, 5); // warm-up
  const pr = holdProcesses(100_000, 30);
  console.log(
    `hold model, processes, 1e5 pending:   ${fmt(pr.rate / 1e6)} M resumptions/s (target ≥ 1 M/s)`,
  );
}
if (which === "all" || which === "storm") {
  const s = storm(10_000, 5);
  console.log(
    `transfer storm, 10,000 hosts x 10 Gbit/s, 50,000 transfers: ${fmt(s.wall)} s wall (target < 2 s), ` +
      `peak heap +${fmt(s.heapMiB)} MiB, rss ${fmt(s.rssMiB)} MiB (target < 1 GiB); ` +
      `simulated ${fmt(s.end)} s, ${fmt(s.solves)} solves, mean region ${fmt(s.meanRegion)} transfers`,
  );
}
