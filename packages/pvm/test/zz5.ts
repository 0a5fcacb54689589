import { simulatePvm } from "../src/index.js";
const S = { topology: "8-node-epyc", duration: "60s", step: "10ms", sample: "1s", guests: [{ name: "io", count: 200, node: "spread" as const, vcpus: 1, memory: "2GiB", network: { rate: "1Gbps" }, demand: { kind: "random" as const, every: "10ms" } }] };
simulatePvm({ ...S, duration: "2s" }, "closer");
simulatePvm(S, process.argv[2] as "closer");
