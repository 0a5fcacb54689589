import { FluidSystem, GiB, Gbps, MiBps, Simulation } from "@vx/core";
import { GuestCpu, prepareMigration, startMigration } from "@vx/migration";
const hosts = Number(process.argv[2] ?? 1000);
const vmsPerHost = 10;
const t0 = performance.now();
const sim = new Simulation();
const fluid = new FluidSystem(sim);
const coreSpeed = 1e9;
const up = [], down = [], cpu = [];
for (let h = 0; h < hosts; h++) {
  up.push(fluid.resource({ name: `h${h}.up`, capacity: Gbps(10) }));
  down.push(fluid.resource({ name: `h${h}.down`, capacity: Gbps(10) }));
  cpu.push(fluid.resource({ name: `h${h}.cpu`, capacity: 32 * coreSpeed }));
}
const plan = prepareMigration(
  { ram: "2GiB", dirty: { model: "cpu-coupled", intensity: "5%", speedCap: "1000MiB/s" } },
  { strategy: "precopy-simgrid" },
);
const guests: GuestCpu[] = [];
for (let h = 0; h < hosts; h++) for (let v = 0; v < vmsPerHost; v++) guests.push(new GuestCpu(fluid, { host: cpu[h]!, coreSpeed }));
let done = 0; let total = 0; let down_ = 0; let maxT = 0;
const onEnd = (r: { totalTimeSeconds: number; downtimeSeconds: number; outcome: string }) => { done++; total += r.totalTimeSeconds; down_ += r.downtimeSeconds; if (r.totalTimeSeconds > maxT) maxT = r.totalTimeSeconds; };
for (let h = 0; h < hosts; h += 2) {
  for (let v = 0; v < vmsPerHost; v++) {
    startMigration({ sim, fluid }, plan, { route: { resources: [up[h]!, down[h + 1]!] }, cpu: guests[h * vmsPerHost + v]!, destinationCpu: cpu[h + 1]!, onEnd });
  }
}
sim.run({ until: () => done === (hosts / 2) * vmsPerHost });
const wall = (performance.now() - t0) / 1000;
console.log({ wall, rss: process.memoryUsage().rss / 2 ** 20, done, meanTime: total / done, meanDown: down_ / done, maxT, now: sim.now, solves: fluid.stats.solves, events: sim.eventsProcessed });
