import { simulatePvm } from "../src/index.js";
const S = { topology: "8-node-epyc", duration: "60s", step: "10ms", sample: "1s", guests: [{ name: "io", count: 200, node: "spread" as const, vcpus: 1, memory: "2GiB", network: { rate: "1Gbps" }, demand: { kind: "random" as const, every: "10ms" } }] };
for (const p of ["static", "closer", "static", "closer"] as const) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  simulatePvm(S, p);
  const c = process.cpuUsage(c0);
  console.log(p, "wall", (performance.now() - t0).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0));
}
