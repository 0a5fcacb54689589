/**
 * Defaults of scenario fields, in base units. The schema's descriptions and docs/scenarios.md say
 * the same; a test keeps them in step.
 */

/** Defaults of the top level, host/VM types, network and migration. */
export const DEFAULTS = {
  seed: 1,
  durationSeconds: 86_400, // 24 h
  stepSeconds: 300,
  /** 1 Gbit/s (the hosts of Beloglazov & Buyya, CCPE 2012). */
  hostNicBytesPerSecond: 125_000_000,
  vmCores: 1,
  /** 100 Mbit/s (CloudSim's VM bandwidth in the PlanetLab experiments). */
  vmNicBytesPerSecond: 12_500_000,
  /** One-way host-to-host latency of a switched data-center network (an assumption). */
  latencySeconds: 100e-6,
  hostsPerRack: 40,
  /** Typical fat-tree-era designs run 2.5:1 to 8:1 (Al-Fares et al., SIGCOMM 2008, §2.1). */
  oversubscription: 4,
  /** QEMU `downtime-limit` default (migration/options.c). */
  downtimeLimitSeconds: 0.3,
  /** QEMU `max-bandwidth` default since 5.2: 128 MiB/s. */
  maxBandwidthBytesPerSecond: 134_217_728,
  /** An assumption: the dirty rate of the worked example in Akoush et al., MASCOTS 2010. */
  dirtyBytesPerSecondAtFullLoad: 33_554_432, // 32 MiB/s
  planetlabIntervalSeconds: 300,
} as const;

/** Default overload-detection parameter per policy (CloudSim 4.0's PlanetLab runners). */
export const POLICY_PARAMETER = {
  thr: 0.8,
  iqr: 1.5,
  mad: 2.5,
  lr: 1.2,
  lrr: 1.2,
  none: 0,
  dvfs: 0,
} as const;

/** Defaults of the synthetic workloads (fractions and seconds). */
export const WORKLOAD = {
  constant: { utilisation: 0.5 },
  diurnal: { mean: 0.5, amplitude: 0.3, periodSeconds: 86_400, noise: 0.05 },
  bursty: { base: 0.2, peak: 0.9, meanGapSeconds: 3600, meanBurstSeconds: 600 },
  idleSpikes: { idle: 0.02, spike: 0.6, meanGapSeconds: 21_600, spikeSeconds: 300 },
  csv: { timeColumn: "time", columns: "all", percent: false },
} as const;
