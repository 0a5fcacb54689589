import { migrate } from "../src/index.js";
const t0 = performance.now();
const r = migrate({ ram: "256GiB", workingSet: "8GiB", dirty: { model: "hot-cold", rate: "1GiB/s", hotShare: 0.9 } }, { strategy: "precopy-qemu", fidelity: "page", qemu: { maxBandwidth: "10Gbps" }, link: { bandwidth: "10Gbps" } });
console.log((performance.now() - t0) / 1000, r.rounds.length);
