import { FluidSystem, Simulation } from "@vx/core";
import { prepareMigration, SimGridNetwork, startMigration, migrate } from "../src/index.js";
function platform() {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const net = new SimGridNetwork(fluid);
  const L: Record<string, [number, number]> = { "0": [41.279125e6, 59.904e-6], "1": [34.285625e6, 514.433e-6], "2": [118.6825e6, 136.931e-6], "3": [34.285625e6, 514.433e-6], "4": [10.099625e6, 479.78e-6], "6": [41.279125e6, 59.904e-6], "7": [11.618875e6, 189.98e-6], "8": [8.158e6, 270.544e-6] };
  const links: Record<string, ReturnType<SimGridNetwork["link"]>> = {};
  for (const [k, [bw, lat]] of Object.entries(L)) links[k] = net.link({ name: k, bandwidth: bw, latency: lat });
  return { sim, fluid, net, links };
}
for (const ram of [1e9, 1e8]) {
  const { sim, fluid, net, links } = platform();
  const route = net.route(["8", "1", "0", "2", "3", "4"].map((k) => links[k]!));
  const m = startMigration({ sim, fluid }, prepareMigration({ ram }, { strategy: "precopy-simgrid" }), { route });
  sim.run();
  console.log(ram, m.result!.totalTimeSeconds.toFixed(6), m.result!.rounds.map(r=>[r.phase,r.bytes,r.durationSeconds]));
}
{
  const { sim, fluid, net, links } = platform();
  const route = net.route(["8", "1", "0", "2", "3", "4"].map((k) => links[k]!));
  const plan = prepareMigration({ ram: 1e9 }, { strategy: "precopy-simgrid" });
  const a = startMigration({ sim, fluid }, plan, { route, name: "VM0" });
  const b = startMigration({ sim, fluid }, plan, { route, name: "VM1" });
  sim.run();
  console.log(a.result!.totalTimeSeconds.toFixed(6), b.result!.totalTimeSeconds.toFixed(6));
}
{
  const { sim, fluid, net, links } = platform();
  const r0 = net.route(["8", "1", "0", "2", "3", "4"].map((k) => links[k]!));
  const r1 = net.route(["8", "6", "7"].map((k) => links[k]!));
  const plan = prepareMigration({ ram: 1e9 }, { strategy: "precopy-simgrid" });
  const a = startMigration({ sim, fluid }, plan, { route: r0, name: "VM0" });
  const b = startMigration({ sim, fluid }, plan, { route: r1, name: "VM1" });
  sim.run();
  console.log(a.result!.totalTimeSeconds.toFixed(6), b.result!.totalTimeSeconds.toFixed(6));
}
const c = migrate({ ram: "870MB" }, { strategy: "cloudsim", link: { bandwidth: "1Gbps" } });
console.log("cloudsim", c.totalTimeSeconds);
for (const s of ["precopy-xen", "postcopy", "postcopy-enlightened", "hybrid", "analytic"] as const) {
  for (const fidelity of ["fluid", "page"] as const) {
  const r = migrate({ ram: "1GiB", workingSet: "128MiB", freePages: "25%", dirty: { model: "hot-cold", rate: "64MiB/s" } }, { strategy: s, fidelity, link: { bandwidth: "1Gbps", latency: "0.1ms" } });
  console.log(s, fidelity, r.outcome, r.totalTimeSeconds.toFixed(4), r.downtimeSeconds.toFixed(4), (r.bytesSent.total/2**20).toFixed(2), r.rounds.length, r.postcopy.faults.toFixed(1), r.postcopy.stallSeconds.toFixed(4), r.pages?.lost, r.pages?.duplicated, r.pages?.redundant);
  }
}
