/**
 * shared-links: a few hosts on a star, one shared uplink, transfers of several sizes started at
 * different times. The event kernel drives the run and max-min fair sharing sets every rate; the
 * table shows when each transfer started and ended and the average rate it got.
 *
 * Run: `pnpm start` (prints the table), `pnpm start --out out` (also writes transfers.csv and
 * result.json to ./out).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type Activity,
  FluidSystem,
  formatBytes,
  formatDuration,
  formatRate,
  formatTable,
  Gbps,
  MB,
  ms,
  type Resource,
  Simulation,
} from "@vx/core";

const { values } = parseArgs({ options: { out: { type: "string" } } });

const sim = new Simulation();
const fluid = new FluidSystem(sim);

// The network: four hosts, each with a full-duplex 1 Gbit/s access link to a non-blocking switch,
// and one 1 Gbit/s uplink from the switch to a storage server outside the rack.
const hosts = ["web", "db", "batch", "backup"];
const up = new Map<string, Resource>();
const down = new Map<string, Resource>();
for (const h of hosts) {
  up.set(h, fluid.resource({ name: `${h}.up`, capacity: Gbps(1) }));
  down.set(h, fluid.resource({ name: `${h}.down`, capacity: Gbps(1) }));
}
const uplink = fluid.resource({ name: "uplink", capacity: Gbps(1) });
const STORAGE = "storage";

/** The links a transfer crosses, and the route's one-way latency. */
function route(from: string, to: string): { resources: Resource[]; latency: number } {
  if (to === STORAGE) return { resources: [up.get(from)!, uplink], latency: ms(0.5) };
  if (from === STORAGE) return { resources: [uplink, down.get(to)!], latency: ms(0.5) };
  return { resources: [up.get(from)!, down.get(to)!], latency: ms(0.1) };
}

interface Plan {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly bytes: number;
  readonly at: number;
}

// Transfers of several sizes, started at different times.
const plans: readonly Plan[] = [
  { name: "backup-1", from: "backup", to: STORAGE, bytes: MB(500), at: 0 },
  { name: "db-dump", from: "db", to: STORAGE, bytes: MB(200), at: 0.5 },
  { name: "web-logs", from: "web", to: STORAGE, bytes: MB(20), at: 1 },
  { name: "restore", from: STORAGE, to: "batch", bytes: MB(300), at: 1.5 },
  { name: "replica", from: "db", to: "web", bytes: MB(150), at: 2 },
  { name: "batch-out", from: "batch", to: "backup", bytes: MB(80), at: 2 },
];

const started: { plan: Plan; activity: Activity }[] = [];
for (const plan of plans) {
  sim.schedule(plan.at, () => {
    const r = route(plan.from, plan.to);
    const activity = fluid.start({
      name: plan.name,
      amount: plan.bytes,
      resources: r.resources,
      latency: r.latency,
    });
    started.push({ plan, activity });
  });
}
sim.run();

const rows = started
  .map(({ plan, activity }) => {
    const seconds = activity.endTime - activity.startTime;
    return {
      name: plan.name,
      route: `${plan.from} -> ${plan.to}`,
      bytes: plan.bytes,
      start: activity.startTime,
      end: activity.endTime,
      averageBytesPerSecond: plan.bytes / seconds,
      outcome: activity.outcome?.status ?? "running",
    };
  })
  .sort((a, b) => a.end - b.end || a.name.localeCompare(b.name));

const table = [
  ["transfer", "route", "size", "start", "end", "average rate", "outcome"],
  ...rows.map((r) => [
    r.name,
    r.route,
    formatBytes(r.bytes, { binary: false }),
    formatDuration(r.start),
    formatDuration(r.end),
    formatRate(r.averageBytesPerSecond),
    r.outcome,
  ]),
];
console.log("shared-links: 4 hosts on a 1 Gbit/s star, one 1 Gbit/s uplink to storage\n");
console.log(formatTable(table, { align: "left" }));
console.log(
  `\nall transfers done at t = ${formatDuration(sim.now)}; ${sim.eventsProcessed} events`,
);

if (values.out !== undefined) {
  // Write to temporary names, then rename: a killed run leaves no half-written report.
  mkdirSync(values.out, { recursive: true });
  const csv = [
    "name,route,bytes,start_s,end_s,average_bytes_per_s,outcome",
    ...rows.map((r) =>
      [r.name, r.route, r.bytes, r.start, r.end, r.averageBytesPerSecond, r.outcome].join(","),
    ),
  ].join("\n");
  const files: [string, string][] = [
    ["transfers.csv", `${csv}\n`],
    [
      "result.json",
      `${JSON.stringify({ example: "shared-links", endTime: sim.now, transfers: rows }, null, 2)}\n`,
    ],
  ];
  for (const [name, text] of files) {
    const target = join(values.out, name);
    writeFileSync(`${target}.tmp`, text);
    renameSync(`${target}.tmp`, target);
  }
  console.log(`wrote ${files.map(([n]) => join(values.out!, n)).join(" and ")}`);
}
