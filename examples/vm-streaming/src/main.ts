/**
 * vm-streaming: stream a virtual appliance to users on last-mile links with @vx/migration.
 *
 * 1. Learn from past sessions: 20 sessions of an 8 GiB appliance are mined into clusters of
 *    blocks used together and a transition model between them.
 * 2. The four strategies side by side over 4G LTE, for three new sessions (means).
 * 3. vTube on every link preset: the start-up delay and the stalls as the link changes.
 * 4. Ten users on one LTE cell: their sessions share the cell's 13 Mbit/s as fluid activities.
 * 5. Checks of the figures: the hand-computable ones and the comparisons the page claims.
 *
 * Run: `pnpm start`. The output is deterministic (same seeds, same numbers).
 */
import {
  FluidSystem,
  formatBytes,
  formatDuration,
  formatPercent,
  formatTable,
  Simulation,
} from "@vx/core";
import {
  compareStreaming,
  createAppliance,
  LINK_PRESET_NAMES,
  LINK_PRESETS,
  mineAccessModel,
  prepareStreaming,
  type StreamResult,
  startStreamingSession,
  streamSession,
} from "@vx/migration";

function table(rows: string[][]): void {
  console.log(formatTable(rows, { indent: "   " }));
}

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
}

// 1. The appliance and what mining learns from 20 past sessions.
const appliance = createAppliance({ image: "8GiB", memory: "1GiB", seed: 1 });
const model = mineAccessModel(appliance.sessions(0, 20));
const m = model.summary();
console.log("1. An 8 GiB appliance (7 GiB disk, 1 GiB memory snapshot), 20 past sessions mined");
console.log(
  `   ${m.clusters} clusters (${formatBytes(m.clusteredBytes)} in all), ${m.transitions} transitions; ` +
    `every session starts with cluster ${model.startClusters()[0]!.cluster} ` +
    `(${formatBytes(model.clusterBytes(model.startClusters()[0]!.cluster))}), then:`,
);
for (const t of model.successors(model.startClusters()[0]!.cluster).slice(0, 3)) {
  console.log(
    `     cluster ${t.cluster} (${formatBytes(model.clusterBytes(t.cluster))}) ${formatPercent(t.probability)} of the time, ${formatDuration(t.meanGapSeconds)} later`,
  );
}

// 2. The strategies side by side over LTE (three new sessions, means).
console.log("\n2. Every strategy over 4G LTE (13 Mbit/s, 70 ms), mean of 3 new sessions");
const lte = compareStreaming({
  appliance: { image: "8GiB", memory: "1GiB", seed: 1 },
  trainingSessions: 20,
  testSessions: 3,
  link: "lte",
});
table([
  ["strategy", "startup", "stalls", "stalled", "session", "transferred", "wasted", "on demand"],
  ...lte.results.map((r) => [
    r.strategy,
    formatDuration(r.startupDelaySeconds),
    r.stalls.toFixed(0),
    formatDuration(r.stallSeconds),
    formatDuration(r.sessionSeconds),
    formatBytes(r.bytesTransferred),
    formatBytes(r.bytesWasted),
    formatPercent(r.missRate),
  ]),
]);
const by = Object.fromEntries(lte.results.map((r) => [r.strategy, r]));

// 3. vTube on every link preset, one session.
console.log("\n3. vTube on each link preset (one session)");
const session = appliance.session(20);
const perLink: StreamResult[] = LINK_PRESET_NAMES.map((link) =>
  streamSession(model, session, { strategy: "vtube", link }),
);
table([
  ["link", "rate", "round trip", "startup", "stalls", "stalled", "wasted"],
  ...perLink.map((r, i) => {
    const p = LINK_PRESETS[LINK_PRESET_NAMES[i]!];
    return [
      p.description,
      `${(p.bandwidthBytesPerSecond / 125_000).toFixed(0)} Mbit/s`,
      formatDuration(p.rttSeconds),
      formatDuration(r.startupDelaySeconds),
      String(r.stalls),
      formatDuration(r.stallSeconds),
      formatBytes(r.bytesWasted),
    ];
  }),
]);

// 4. Ten users on one LTE cell, in one simulation: their transfers share the cell max-min fairly.
console.log("\n4. Ten users start vTube sessions at once on one LTE cell (13 Mbit/s shared)");
const sim = new Simulation();
const fluid = new FluidSystem(sim);
const cell = fluid.resource({ name: "cell", capacity: LINK_PRESETS.lte.bandwidthBytesPerSecond });
const plan = prepareStreaming(model, { series: false });
const shared: StreamResult[] = [];
for (const trace of appliance.sessions(100, 10)) {
  startStreamingSession({ sim, fluid }, plan, {
    strategy: "vtube",
    trace,
    route: { resources: [cell], latencySeconds: LINK_PRESETS.lte.rttSeconds / 2 },
    onEnd: (r) => shared.push(r),
  });
}
sim.run();
const mean = (f: (r: StreamResult) => number): number =>
  shared.reduce((s, r) => s + f(r), 0) / shared.length;
const alone = appliance
  .sessions(100, 10)
  .map((t) => streamSession(model, t, { strategy: "vtube", link: "lte", series: false }));
const meanAlone = (f: (r: StreamResult) => number): number =>
  alone.reduce((s, r) => s + f(r), 0) / alone.length;
table([
  ["", "startup", "stalls", "stalled"],
  [
    "alone on the cell",
    formatDuration(meanAlone((r) => r.startupDelaySeconds)),
    meanAlone((r) => r.stalls).toFixed(0),
    formatDuration(meanAlone((r) => r.stallSeconds)),
  ],
  [
    "ten at once",
    formatDuration(mean((r) => r.startupDelaySeconds)),
    mean((r) => r.stalls).toFixed(0),
    formatDuration(mean((r) => r.stallSeconds)),
  ],
]);

// 5. Checks.
const full = by["full-download"]!;
check(
  Math.abs(full.startupDelaySeconds - (0.07 + (8 * 2 ** 30) / 1.625e6)) < 1e-6,
  "full download = one round trip + 8 GiB / 13 Mbit/s",
);
check(full.stalls === 0 && full.bytesTransferred === 8 * 2 ** 30, "full download: no stall, 8 GiB");
check(
  by.demand!.startupDelaySeconds === 0 && by.demand!.bytesWasted === 0,
  "demand: no start-up, no waste",
);
check(by.vtube!.stalls < by.demand!.stalls, "vTube stalls fewer times than demand fetching");
check(by.vtube!.stallSeconds < by.demand!.stallSeconds / 2, "vTube stalls less than half as long");
check(by.vtube!.startupDelaySeconds < full.startupDelaySeconds / 10, "vTube starts 10× sooner");
const order = ["cable", "lte", "wifi", "dsl", "3g"] as const;
const delays = order.map((l) => perLink[LINK_PRESET_NAMES.indexOf(l)]!.startupDelaySeconds);
check(
  delays.every((d, i) => i === 0 || d > delays[i - 1]!),
  "vTube's start-up grows as the link's rate falls",
);
check(
  mean((r) => r.startupDelaySeconds) > meanAlone((r) => r.startupDelaySeconds),
  "sharing a cell delays the start",
);
console.log(
  failures.length === 0
    ? "\n5. Checks: all hold (full download = RTT + size / rate; vTube fewer and shorter stalls than demand; start-up grows as the rate falls; a shared cell starts later)."
    : `\n5. Checks FAILED: ${failures.join("; ")}`,
);
if (failures.length > 0) process.exitCode = 1;
