import { migrate } from "../src/index.js";
const r0 = migrate({ ram: "1GiB", workingSet: "128MiB", freePages: "25%", dirty: { model: "hot-cold", rate: "64MiB/s" } }, { strategy: "postcopy", fidelity: "page", postcopy: { prepaging: false }, link: { bandwidth: "1Gbps", latency: "0.1ms" } });
const r1 = migrate({ ram: "1GiB", workingSet: "128MiB", freePages: "25%", dirty: { model: "hot-cold", rate: "64MiB/s" } }, { strategy: "postcopy", fidelity: "fluid", postcopy: { prepaging: false }, link: { bandwidth: "1Gbps", latency: "0.1ms" } });
console.log(r0.postcopy, r1.postcopy);
const t0 = performance.now();
const m0 = process.memoryUsage().rss;
const r = migrate({ ram: "256GiB", workingSet: "8GiB", dirty: { model: "hot-cold", rate: "1GiB/s", hotShare: 0.9 } }, { strategy: "precopy-qemu", fidelity: "page", qemu: { maxBandwidth: "10Gbps" }, link: { bandwidth: "10Gbps" } });
console.log((performance.now() - t0) / 1000, (process.memoryUsage().rss) / 2 ** 20, r.outcome, r.rounds.length, r.totalTimeSeconds, r.downtimeSeconds, r.pages);
