import { migrate } from "../src/index.js";
for (const vm of [
  { ram: "2GiB", dirty: { model: "uniform" as const, rate: "8MB/s" } },
  { ram: "2GiB", workingSet: "256MiB", dirty: { model: "hot-cold" as const, rate: "32MB/s", hotShare: 1 } },
]) {
for (const fidelity of ["fluid","page"] as const) {
const f = migrate(vm, { strategy: "precopy-xen", fidelity, link: { bandwidth: "1Gbps" }, xen: { maxIterations: 4 } });
console.log(fidelity, f.totalTimeSeconds.toFixed(3), f.rounds.map(x => [x.phase, (x.bytes/2**20).toFixed(2), x.durationSeconds.toFixed(3), (x.skippedBytes/2**20).toFixed(2), (x.dirtyBytes/2**20).toFixed(2)].join(" ")).join("\n"));
}}
