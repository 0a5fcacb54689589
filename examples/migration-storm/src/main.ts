/**
 * migration-storm: thousands of concurrent live migrations sharing a network and CPUs.
 *
 * Hosts with a full-duplex 10 Gbit/s link (an "up" and a "down" fluid resource) and 32 cores;
 * VMs of 2 GiB running a CPU-bound load (a GuestCpu each) that dirties memory in proportion to
 * the CPU it gets, at 5 % of a 1000 MiB/s speed cap, as in SimGrid. Every VM on an even host
 * migrates at once to the next host with SimGrid-compatible pre-copy: the migrations leaving a
 * host share its link, and a VM squeezed onto a crowded host gets less CPU, dirties less, and
 * converges sooner.
 *
 * Three scenarios:
 *  1. 10 VMs per host (no CPU contention);
 *  2. the same 10 migrating VMs per even host, plus 54 busy VMs that stay: 64 VMs on 32 cores,
 *     so each gets half a core and dirties half as much;
 *  3. 10 VMs per host, every even host sending to one of 25 destination hosts, two sources each:
 *     20 migrations share each destination's down link, and rounds get longer.
 *
 * Run: `pnpm start`. Deterministic: the same code gives the same numbers.
 */
import { FluidSystem, formatBytes, formatDuration, type Resource, Simulation } from "@vx/core";
import { GuestCpu, type MigrationResult, prepareMigration, startMigration } from "@vx/migration";

const CORE_SPEED = 1e9; // operations per second per core
const HOSTS = 100;

const plan = prepareMigration(
  { ram: "2GiB", dirty: { model: "cpu-coupled", intensity: "5%", speedCap: "1000MiB/s" } },
  // The speed cap defaults to the dirtying model's; give up after 200 rounds.
  { strategy: "precopy-simgrid", limits: { maxRounds: 200 } },
);

interface Host {
  readonly up: Resource;
  readonly down: Resource;
  readonly cpu: Resource;
}

/**
 * @param migrating - VMs per even host that migrate.
 * @param residents - busy VMs per host that stay where they are.
 * @param destinations - 0: each even host sends to the next one; n: to one of n odd hosts.
 */
function storm(
  migrating: number,
  residents: number,
  destinations: number,
  capLater?: { readonly at: number; readonly rate: string },
): MigrationResult[] {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const hosts: Host[] = [];
  for (let h = 0; h < HOSTS; h++) {
    hosts.push({
      up: fluid.resource({ name: `h${h}.up`, capacity: 1.25e9 }),
      down: fluid.resource({ name: `h${h}.down`, capacity: 1.25e9 }),
      cpu: fluid.resource({ name: `h${h}.cpu`, capacity: 32 * CORE_SPEED }),
    });
  }
  const results: MigrationResult[] = [];
  const onEnd = (r: MigrationResult): void => {
    results.push(r);
  };
  let started = 0;
  for (let h = 0; h < HOSTS; h++) {
    for (let v = 0; v < residents; v++) {
      new GuestCpu(fluid, { host: hosts[h]!.cpu, coreSpeed: CORE_SPEED, name: `h${h}-stay${v}` });
    }
    for (let v = 0; v < migrating; v++) {
      const cpu = new GuestCpu(fluid, { host: hosts[h]!.cpu, coreSpeed: CORE_SPEED });
      if (h % 2 !== 0) continue; // VMs on odd hosts stay (and load their CPUs)
      const to = destinations > 0 ? 1 + 2 * ((h / 2) % destinations) : h + 1;
      const m = startMigration({ sim, fluid }, plan, {
        route: { resources: [hosts[h]!.up, hosts[to]!.down], latencySeconds: 50e-6 },
        cpu,
        destinationCpu: hosts[to]!.cpu,
        name: `h${h}-vm${v}`,
        onEnd,
      });
      // An operator lowers the migration speed while the storm runs: the transfer in flight is
      // re-capped in place (no restart), later rounds keep the new cap.
      if (capLater !== undefined) sim.schedule(capLater.at, () => m.setMaxBandwidth(capLater.rate));
      started++;
    }
  }
  // The guests' CPU loads run forever: run until every migration has ended.
  sim.run({ until: () => results.length === started });
  return results;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function min(xs: readonly number[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) if (x < m) m = x;
  return m;
}

function max(xs: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** The figures this example promises (README), checked on every run. */
function check(
  what: string,
  results: MigrationResult[],
  expected: { readonly rounds: number; readonly seconds: number },
): void {
  const rounds = quantile(
    results.map((r) => r.roundCount),
    0.5,
  );
  const seconds = quantile(
    results.map((r) => r.totalTimeSeconds),
    0.5,
  );
  const completed = results.every((r) => r.outcome === "completed");
  if (!completed || rounds !== expected.rounds || Math.abs(seconds / expected.seconds - 1) > 0.01) {
    throw new Error(
      `${what}: expected every migration completed in ${expected.rounds} rounds and ${expected.seconds} s, ` +
        `got ${rounds} rounds and ${seconds.toFixed(2)} s`,
    );
  }
}

function report(title: string, results: MigrationResult[]): MigrationResult[] {
  const times = results.map((r) => r.totalTimeSeconds);
  const downs = results.map((r) => r.downtimeSeconds);
  const rounds = results.map((r) => r.roundCount);
  const sent = results.reduce((s, r) => s + r.bytesSent.total, 0);
  const firstRoundDirty = results.map((r) => r.rounds[0]!.dirtyBytes);
  const outcomes = new Map<string, number>();
  for (const r of results) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  console.log(title);
  console.log(
    `   ${results.length} migrations: ${[...outcomes].map(([o, n]) => `${n} ${o}`).join(", ")}`,
  );
  console.log(
    `   total time  min ${formatDuration(min(times))}, median ${formatDuration(quantile(times, 0.5))}, max ${formatDuration(max(times))}`,
  );
  console.log(
    `   downtime    median ${formatDuration(quantile(downs, 0.5))}, max ${formatDuration(max(downs))}`,
  );
  console.log(
    `   rounds      median ${quantile(rounds, 0.5)}, max ${max(rounds)}; ` +
      `dirtied during round 0: median ${formatBytes(quantile(firstRoundDirty, 0.5))}`,
  );
  console.log(
    `   data sent   ${formatBytes(sent)} (${formatBytes(sent / results.length)} per VM)\n`,
  );
  return results;
}

const one = report("1. 10 VMs per host, each host to the next", storm(10, 0, 0));
const two = report(
  "2. plus 54 busy VMs staying on each host: half a core each, half the dirtying",
  storm(10, 54, 0),
);
const three = report("3. 10 VMs per host, two source hosts per destination host", storm(10, 0, 25));
const four = report(
  "4. as 1, with the migration speed lowered to 100 MB/s at 10 s (in place, no restart)",
  storm(10, 0, 0, { at: 10, rate: "100MB/s" }),
);
check("scenario 1", one, { rounds: 9, seconds: 29.58 });
check("scenario 2", two, { rounds: 6, seconds: 21.7 });
check("scenario 3", three, { rounds: 42, seconds: 213 });
check("scenario 4", four, { rounds: 11, seconds: 39.9 });
