/**
 * The rack engine's metrics (time-weighted gauges, histograms, series) and the assembly of its
 * plain-JSON result (internal).
 *
 * @module
 */

import { Histogram, type Simulation, TimeSeries, TimeWeightedGauge } from "@vx/core";
import type { DeviceKind, RackLayout } from "../layout.js";
import type {
  DisaggResult,
  DisaggSeries,
  Distribution,
  MigrationSummary,
  RejectReason,
  ResourceShares,
  SharedRegionOutcome,
  VmOutcome,
} from "../result.js";
import type { RackSettings } from "../settings.js";
import type { MutableMigration, RegionState, VmState } from "./state.js";

/** Time-weighted gauges, histograms and series of a rack run. */
export class RackMetrics {
  readonly cores: TimeWeightedGauge;
  readonly memory: TimeWeightedGauge;
  readonly memoryRequested: TimeWeightedGauge;
  readonly cpuBusy: TimeWeightedGauge;
  readonly ports: TimeWeightedGauge;
  readonly devices: Record<DeviceKind, TimeWeightedGauge>;
  readonly strandedCores: TimeWeightedGauge;
  readonly strandedMemory: TimeWeightedGauge;
  readonly strandedDevices: Record<DeviceKind, TimeWeightedGauge>;
  readonly rounding: TimeWeightedGauge;
  readonly powered: TimeWeightedGauge;
  readonly computeWatts: TimeWeightedGauge;
  readonly memoryWatts: TimeWeightedGauge;
  readonly devicesWatts: TimeWeightedGauge;
  readonly fabricWatts: TimeWeightedGauge;
  readonly assembly: Histogram = new Histogram("disagg.assembly");
  readonly hotplugLatency: Histogram = new Histogram("disagg.hotplug");
  private readonly series: readonly TimeSeries[] | undefined;

  constructor(sim: Simulation, series: boolean) {
    const gauge = (name: string): TimeWeightedGauge => new TimeWeightedGauge(sim, name);
    const perKind = (prefix: string): Record<DeviceKind, TimeWeightedGauge> => ({
      accelerator: gauge(`${prefix}.accelerator`),
      nic: gauge(`${prefix}.nic`),
      storage: gauge(`${prefix}.storage`),
    });
    this.cores = gauge("util.cores");
    this.memory = gauge("util.memory");
    this.memoryRequested = gauge("util.memoryRequested");
    this.cpuBusy = gauge("util.cpuBusy");
    this.ports = gauge("util.ports");
    this.devices = perKind("util");
    this.strandedCores = gauge("stranded.cores");
    this.strandedMemory = gauge("stranded.memory");
    this.strandedDevices = perKind("stranded");
    this.rounding = gauge("rounding");
    this.powered = gauge("powered");
    this.computeWatts = gauge("watts.compute");
    this.memoryWatts = gauge("watts.memory");
    this.devicesWatts = gauge("watts.devices");
    this.fabricWatts = gauge("watts.fabric");
    this.series = series
      ? ["bricksPowered", "powerWatts", "cores", "memory", "vms"].map((n) => new TimeSeries(sim, n))
      : undefined;
  }

  /** Total power now, watts. */
  get watts(): number {
    return (
      this.computeWatts.value +
      this.memoryWatts.value +
      this.devicesWatts.value +
      this.fabricWatts.value
    );
  }

  /** Records the series at the current time (if recorded). */
  recordSeries(runningVms: number): void {
    const s = this.series;
    if (s === undefined) return;
    s[0]!.record(this.powered.value);
    s[1]!.record(this.watts);
    s[2]!.record(this.cores.value);
    s[3]!.record(this.memory.value);
    s[4]!.record(runningVms);
  }

  /** The series as JSON, or `null` when not recorded. */
  seriesJSON(): DisaggSeries | null {
    const s = this.series;
    if (s === undefined) return null;
    return {
      bricksPowered: s[0]!.toJSON(),
      powerWatts: s[1]!.toJSON(),
      cores: s[2]!.toJSON(),
      memory: s[3]!.toJSON(),
      vms: s[4]!.toJSON(),
    };
  }
}

/** Counters a result reports as they are. */
export interface RackCounts {
  readonly requests: number;
  readonly admitted: number;
  readonly rejected: Readonly<Record<RejectReason, number>>;
  readonly plugs: number;
  readonly unplugs: number;
  readonly hotplugFailed: number;
  readonly sectionsPlugged: number;
  readonly sectionsUnplugged: number;
}

/** What {@link buildResult} reads. */
export interface ReportInput {
  readonly now: number;
  readonly start: number;
  readonly layout: RackLayout;
  readonly settings: RackSettings;
  readonly circuit: boolean;
  readonly reconfigurations: number;
  readonly totalUnits: Readonly<Record<DeviceKind, number>>;
  readonly vms: readonly VmState[];
  readonly regions: readonly RegionState[];
  readonly migrations: readonly MutableMigration[];
  readonly metrics: RackMetrics;
  readonly counts: RackCounts;
}

const emptyDistribution = (h: Histogram): Distribution =>
  h.count === 0
    ? { count: 0, mean: null, p95: null, max: null }
    : { count: h.count, mean: h.mean, p95: h.percentile(95), max: h.max };

/** Assembles a rack's plain-JSON result as of `input.now`. */
export function buildResult(input: ReportInput): DisaggResult {
  const c = input.counts;
  const now = input.now;
  const slowdowns = new Histogram("disagg.slowdown");
  const io = new Histogram("disagg.io");
  const vms = input.vms
    .filter((vm) => vm.status !== "waiting")
    .map((vm): VmOutcome => {
      const rejected = vm.status === "rejected";
      let mean: number | null = null;
      let ioMean: number | null = null;
      if (!rejected) {
        const end = vm.status === "departed" ? vm.endT : now;
        const open = vm.status === "running" ? now - vm.lastT : 0;
        const acc = vm.slowdownAcc + vm.slowdown * open;
        mean = end > vm.startT ? acc / (end - vm.startT) : vm.slowdown;
        slowdowns.record(mean);
        if (vm.ioLatencySeconds !== null) {
          io.record(vm.ioLatencySeconds);
          const ioAcc = vm.ioAcc + vm.ioFraction * open;
          ioMean = end > vm.startT ? ioAcc / (end - vm.startT) : vm.ioFraction;
        }
      }
      const departed = vm.status === "departed";
      const total = departed ? vm.endSections : vm.sections.length;
      const remote = departed
        ? vm.endRemote
        : total > 0
          ? 1 - (vm.holderCount.get(vm.compute) ?? 0) / total
          : 0;
      return {
        name: vm.req.name,
        status: rejected ? "rejected" : vm.status === "departed" ? "departed" : "running",
        rejectReason: vm.rejectReason,
        computeBrick: rejected ? null : input.layout.bricks[vm.compute]!.name,
        assemblySeconds: vm.assemblySeconds,
        sections: total,
        remoteFraction: remote,
        slowdown: mean,
        maxSlowdown: rejected ? null : vm.maxSlowdown,
        ioLatencySeconds: vm.ioLatencySeconds,
        ioBandwidthFraction: ioMean,
        hotplugs: { done: vm.hotplugsDone, failed: vm.hotplugsFailed },
      };
    });
  const g = input.metrics;
  const shares = (
    cores: TimeWeightedGauge,
    memory: TimeWeightedGauge,
    devices: Record<DeviceKind, TimeWeightedGauge>,
  ): ResourceShares => ({
    cores: cores.mean(),
    memory: memory.mean(),
    devices: {
      accelerator: input.totalUnits.accelerator > 0 ? devices.accelerator.mean() : null,
      nic: input.totalUnits.nic > 0 ? devices.nic.mean() : null,
      storage: input.totalUnits.storage > 0 ? devices.storage.mean() : null,
    },
  });
  const energy = {
    compute: g.computeWatts.integral(),
    memory: g.memoryWatts.integral(),
    devices: g.devicesWatts.integral(),
    fabric: g.fabricWatts.integral(),
  };
  const migrationSummary = (kind: "compute" | "memory"): MigrationSummary => {
    const list = input.migrations.filter((m) => m.kind === kind);
    const times = new Histogram(`migration.${kind}.time`);
    const downs = new Histogram(`migration.${kind}.downtime`);
    let bytes = 0;
    let sections = 0;
    let completed = 0;
    for (const m of list) {
      bytes += m.bytes;
      sections += m.sections;
      if (m.outcome === "completed" && m.timeSeconds !== null) {
        completed++;
        times.record(m.timeSeconds);
        downs.record(m.downtimeSeconds);
      }
    }
    return {
      count: list.length,
      completed,
      failed: list.filter((m) => m.outcome !== "completed" && m.outcome !== "in-progress").length,
      bytes,
      sections,
      timeSeconds: emptyDistribution(times),
      downtimeSeconds: emptyDistribution(downs),
    };
  };
  const regions = input.regions.map(
    (r): SharedRegionOutcome => ({
      name: r.spec.name,
      method: r.spec.method,
      sections: r.allocatedSections,
      peakAccessors: r.peakAccessors,
      peakUtilisation: r.peakUtilisation,
      saturated: r.saturated,
    }),
  );
  return {
    summary: {
      durationSeconds: now - input.start,
      sectionBytes: input.settings.sectionBytes,
      policy: input.settings.policy,
      requests: c.requests,
      admitted: c.admitted,
      rejected: { ...c.rejected },
      utilisation: {
        ...shares(g.cores, g.memory, g.devices),
        memoryRequested: g.memoryRequested.mean(),
        cpuBusy: g.cpuBusy.mean(),
        ports: input.circuit ? g.ports.mean() : null,
      },
      stranded: shares(g.strandedCores, g.strandedMemory, g.strandedDevices),
      roundingWasteBytes: g.rounding.mean(),
      bricksPowered: {
        mean: g.powered.mean(),
        peak: g.powered.max,
        total: input.layout.bricks.length,
      },
      energyJoules: {
        ...energy,
        total: energy.compute + energy.memory + energy.devices + energy.fabric,
      },
      slotAssemblySeconds: emptyDistribution(g.assembly),
      slowdown: emptyDistribution(slowdowns),
      ioLatencySeconds: emptyDistribution(io),
      hotplug: {
        plugs: c.plugs,
        unplugs: c.unplugs,
        failed: c.hotplugFailed,
        sectionsPlugged: c.sectionsPlugged,
        sectionsUnplugged: c.sectionsUnplugged,
        latencySeconds: emptyDistribution(g.hotplugLatency),
      },
      reconfigurations: input.reconfigurations,
      migrations: { compute: migrationSummary("compute"), memory: migrationSummary("memory") },
      sharedRegions: regions,
    },
    vms,
    migrations: input.migrations.map((m) => ({ ...m })),
    series: g.seriesJSON(),
  };
}
