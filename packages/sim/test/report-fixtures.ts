// A small hand-made data-center result for the report tests (not a test file itself).
import type { DatacenterResult, DatacenterSummary } from "@vx/datacenter";

/** A summary with the migration and network figures of a CloudSim-model run without trouble. */
function summary(
  s: Pick<
    DatacenterSummary,
    | "scenario"
    | "seed"
    | "hosts"
    | "vms"
    | "simulatedSeconds"
    | "energyKWh"
    | "migrations"
    | "slatah"
    | "pdm"
    | "slav"
    | "esv"
    | "hostShutdowns"
    | "meanActiveHosts"
  > &
    Partial<DatacenterSummary>,
): DatacenterSummary {
  return {
    migrationModel: "cloudsim",
    unplacedVms: 0,
    unservedCpuShare: 0,
    migrationsCompleted: s.migrations,
    migrationsCancelled: 0,
    vmsLost: 0,
    migrationsUnfinished: 0,
    migrationBytes: 0,
    totalMigrationSeconds: 0,
    meanMigrationSeconds: 0,
    maxMigrationSeconds: 0,
    totalDowntimeSeconds: 0,
    meanDowntimeSeconds: 0,
    p95DowntimeSeconds: 0,
    maxDowntimeSeconds: 0,
    downtimeShare: 0,
    meanQueueSeconds: 0,
    maxQueueSeconds: 0,
    meanNicUtilisation: null,
    peakNicUtilisation: null,
    meanUplinkUtilisation: null,
    peakUplinkUtilisation: null,
    ...s,
  };
}

/** 12 intervals of 300 s on 4 hosts and 6 VMs, with 3 migrations. */
export function smallResult(): DatacenterResult {
  return {
    summary: summary({
      scenario: "small",
      seed: 7,
      hosts: 4,
      vms: 6,
      simulatedSeconds: 3600,
      energyKWh: 0.39875,
      migrations: 3,
      slatah: 0.0525,
      pdm: 0.00075,
      slav: 0.0525 * 0.00075,
      esv: 0.39875 * 0.0525 * 0.00075,
      hostShutdowns: 2,
      meanActiveHosts: 3.25,
      migrationsCompleted: 2,
      migrationsCancelled: 1,
      meanQueueSeconds: 1.5,
      maxQueueSeconds: 4.5,
    }),
    series: {
      time: [0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300],
      activeHosts: [4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3],
      powerWatts: [420, 431.5, 440, 330, 335, 340.25, 338, 336, 332, 331, 330, 329],
      meanUtilisation: [0.31, 0.35, 0.42, 0.55, 0.6, 0.58, 0.57, 0.52, 0.5, 0.49, 0.47, 0.45],
      migrations: [0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      overloadedHosts: [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
      migrationsInFlight: [0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
    migrationLog: [
      {
        time: 300,
        vm: 2,
        from: 0,
        to: 1,
        durationSeconds: 13.92,
        downtimeSeconds: 0,
        bytes: 870e6,
        outcome: "completed",
        queueSeconds: 0,
        origin: "consolidation",
      },
      {
        time: 300,
        vm: 5,
        from: 0,
        to: 2,
        durationSeconds: 9.808,
        downtimeSeconds: 0,
        bytes: 613e6,
        outcome: "completed",
        queueSeconds: 0,
        origin: "consolidation",
      },
      {
        time: 600,
        vm: 1,
        from: 3,
        to: 2,
        durationSeconds: 27.84,
        downtimeSeconds: 0.125,
        bytes: 1.74e9,
        outcome: "aborted",
        queueSeconds: 4.5,
        origin: 'upgrade, "rack 3"',
      },
    ],
  };
}

/** A long run: `n` intervals of `step` seconds with varying series (for downsampling and charts). */
export function longResult(n: number, step = 300): DatacenterResult {
  const time: number[] = [];
  const activeHosts: number[] = [];
  const powerWatts: number[] = [];
  const meanUtilisation: number[] = [];
  const migrations: number[] = [];
  const overloadedHosts: number[] = [];
  for (let i = 0; i < n; i++) {
    const day = Math.sin((2 * Math.PI * i * step) / 86_400);
    time.push(i * step);
    activeHosts.push(400 + Math.round(200 * day));
    powerWatts.push(60_000 + 25_000 * day);
    meanUtilisation.push(0.6 + 0.25 * day);
    migrations.push((i * 7) % 13 === 0 ? 20 : i % 5);
    overloadedHosts.push(i % 17 === 0 ? 9 : i % 3);
  }
  return {
    summary: summary({
      scenario: "long",
      migrationModel: "precopy",
      seed: 1,
      hosts: 800,
      vms: 1052,
      simulatedSeconds: n * step,
      energyKWh: 1234.5678,
      migrations: migrations.reduce((a, b) => a + b, 0),
      slatah: 0.031,
      pdm: 0.0008,
      slav: 0.031 * 0.0008,
      esv: 1234.5678 * 0.031 * 0.0008,
      hostShutdowns: 5000,
      meanActiveHosts: 400.5,
      migrationBytes: 5.5e12,
      meanDowntimeSeconds: 0.125,
      maxDowntimeSeconds: 1.5,
    }),
    series: {
      time,
      activeHosts,
      powerWatts,
      meanUtilisation,
      migrations,
      overloadedHosts,
      migrationsInFlight: migrations.map(() => 0),
    },
    migrationLog: [],
  };
}
