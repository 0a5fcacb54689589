import { comparePvmPolicies } from "../src/index.js";
for (const N of [4, 8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256]) {
  const c = comparePvmPolicies({ topology: "2-socket", duration: "2s", guests: [{ count: N, node: "spread", vcpus: 1, memory: "1GiB", network: { rate: "2Gbps" } }] });
  const [s, cl] = c.results;
  console.log(N, (s!.summary.throughputBytesPerSecond * 8 / 1e9).toFixed(1), (cl!.summary.throughputBytesPerSecond * 8 / 1e9).toFixed(1), "cpuHeld", cl!.summary.cpuReservedMean.toFixed(1), "sat", cl!.summary.fabricSaturatedFraction, "lat", (s!.summary.p99LatencySeconds!*1e6).toFixed(0), (cl!.summary.p99LatencySeconds!*1e6).toFixed(0), "remote", s!.summary.remoteAccessFraction.toFixed(2), cl!.summary.remoteAccessFraction.toFixed(3));
}
