import { migrate } from "../src/index.js";
const BUSY = { ram: "1GiB", workingSet: "128MiB", freePages: "25%", dirty: { model: "hot-cold" as const, rate: "64MiB/s" } };
for (const strategy of ["postcopy", "postcopy-enlightened", "hybrid"] as const) for (const fidelity of ["fluid","page"] as const) {
  const r = migrate(BUSY, { strategy, fidelity, link: { bandwidth: "1Gbps", latency: "100us" }, postcopy: { prepaging: false } });
  console.log(strategy, fidelity, r.postcopy.faults.toFixed(1), r.totalTimeSeconds);
}
