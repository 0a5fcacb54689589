import { migrate } from "../src/index.js";
const r = migrate({ ram: "256GiB", workingSet: "8GiB", dirty: { model: "hot-cold", rate: "1GiB/s", hotShare: 0.9 } }, { strategy: "precopy-qemu", fidelity: "fluid", qemu: { maxBandwidth: "10Gbps" }, link: { bandwidth: "10Gbps" } });
console.log(r.rounds.map((x) => [(x.bytes / 2 ** 30).toFixed(2), x.durationSeconds.toFixed(2), (x.dirtyBytes/2**30).toFixed(2)].join(" ")).join("\n"));
