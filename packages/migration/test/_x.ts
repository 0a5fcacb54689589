import { migrate } from "../src/index.js";
const vm = { ram: "1GiB", workingSet: "64MiB", dirty: { model: "hot-cold" as const, rate: "25MB/s" } };
const r = migrate(vm, { strategy: "precopy-xen", link: { bandwidth: "10Gbps" }, xen: { skipRedirtied: false } });
console.log(r.rounds.map(x => [x.phase, (x.bytes/2**20).toFixed(2), x.durationSeconds.toFixed(3), (x.bandwidthBytesPerSecond/125000).toFixed(1), (x.dirtyRateBytesPerSecond/125000).toFixed(1)].join(" ")).join("\n"));
const vm2 = { ram: "2GiB", workingSet: "256MiB", freePages: "10%", dirty: { model: "hot-cold" as const, rate: "40MB/s", hotShare: 0.8 } };
for (const fidelity of ["fluid","page"] as const) {
const f = migrate(vm2, { strategy: "precopy-xen", fidelity, link: { bandwidth: "1Gbps" } });
console.log(fidelity, f.totalTimeSeconds, f.rounds.map(x => [x.phase, (x.bytes/2**20).toFixed(2), x.durationSeconds.toFixed(3), (x.skippedBytes/2**20).toFixed(2), (x.dirtyBytes/2**20).toFixed(2)].join(" ")).join("\n"));
}
