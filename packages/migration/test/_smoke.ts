import { migrate, estimatePrecopy } from "../src/index.js";
const MiB = 2 ** 20;
for (const fidelity of ["fluid", "page"] as const) {
  const r = migrate(
    { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
    { strategy: "precopy-qemu", fidelity, link: { bandwidth: "10Gbps" } },
  );
  console.log(fidelity, r.outcome, r.rounds.map((x) => [x.phase, x.bytes / MiB, x.durationSeconds]), r.downtimeSeconds, r.bytesSent.total / MiB, r.totalTimeSeconds, r.pages);
}
console.log(estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" }));
