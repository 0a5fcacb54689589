/**
 * The migration planner: every strategy of `@vx/migration` side by side for one VM and link, the
 * rounds of each, and the evacuation of a host of such VMs (at once and one after another).
 * Pure: the page's worker and the Node check run the same function.
 */
import {
  compareStrategies,
  evacuateHost,
  type MigrationResult,
  type StrategyName,
  type VmOptions,
} from "@vx/migration";

/** What the planner asks for (strings as a user types them: "16GiB", "10Gbps", "90%"). */
export interface MigrationParams {
  readonly ram: string;
  readonly workingSet: string;
  readonly dirtyRate: string;
  readonly hotShare: string;
  readonly bandwidth: string;
  readonly latency: string;
  /** VMs on the host to evacuate. */
  readonly vms: number;
}

/**
 * The defaults: the busy database VM of the migration-planner example (16 GiB, a 1 GiB working
 * set taking 90 % of 400 MiB/s of dirtying) on a 10 Gbit/s link 0.1 ms away, 4 VMs to evacuate.
 */
export const MIGRATION_PARAMS: MigrationParams = {
  ram: "16GiB",
  workingSet: "1GiB",
  dirtyRate: "400MiB/s",
  hotShare: "90%",
  bandwidth: "10Gbps",
  latency: "100us",
  vms: 4,
};

/** Rounds kept per strategy for the charts (the table counts them all). */
export const MAX_CHART_ROUNDS = 60;

/** One strategy's run, reduced to what the page shows. */
export interface StrategyRow {
  readonly strategy: StrategyName;
  readonly outcome: string;
  readonly totalTimeSeconds: number;
  readonly downtimeSeconds: number;
  readonly bytesSent: number;
  readonly roundCount: number;
  /** Bytes sent, dirty rate (bytes/s) and duration of the first rounds. */
  readonly rounds: {
    readonly bytes: number[];
    readonly dirtyRate: number[];
    readonly seconds: number[];
  };
}

/** One evacuation. */
export interface EvacuationRow {
  readonly strategy: StrategyName;
  readonly sequential: boolean;
  readonly landed: number;
  readonly vms: number;
  readonly totalTimeSeconds: number;
  readonly maxDowntimeSeconds: number | null;
  readonly bytesSent: number;
}

/** The planner's answer. */
export interface MigrationPlan {
  readonly strategies: StrategyRow[];
  readonly evacuations: EvacuationRow[];
}

function vmOf(p: MigrationParams): VmOptions {
  return {
    ram: p.ram,
    workingSet: p.workingSet,
    dirty: { model: "hot-cold", rate: p.dirtyRate, hotShare: p.hotShare },
  };
}

function row(r: MigrationResult): StrategyRow {
  const rounds = r.rounds.slice(0, MAX_CHART_ROUNDS);
  return {
    strategy: r.strategy,
    outcome: r.outcome,
    totalTimeSeconds: r.totalTimeSeconds,
    downtimeSeconds: r.downtimeSeconds,
    bytesSent: r.bytesSent.total,
    roundCount: r.roundCount,
    rounds: {
      bytes: rounds.map((x) => x.bytes),
      dirtyRate: rounds.map((x) => x.dirtyRateBytesPerSecond),
      seconds: rounds.map((x) => x.durationSeconds),
    },
  };
}

/** The strategies evacuated: QEMU's pre-copy and enlightened post-copy. */
export const EVACUATION_STRATEGIES: readonly StrategyName[] = [
  "precopy-qemu",
  "postcopy-enlightened",
];

/**
 * Plans the migration: every strategy (QEMU's max-bandwidth raised to the link rate, at most 200
 * rounds), then the host evacuation with each of {@link EVACUATION_STRATEGIES}.
 *
 * @param p - the VM, the link and the number of VMs to evacuate.
 * @param onProgress - called with the fraction done after each step.
 * @returns the rows the page shows.
 * @throws VxError from `@vx/migration` for a bad field (its path names it).
 */
export function planMigration(
  p: MigrationParams,
  onProgress: (fraction: number) => void = () => {},
): MigrationPlan {
  const vm = vmOf(p);
  const link = { bandwidth: p.bandwidth, latency: p.latency };
  const common = { link, qemu: { maxBandwidth: p.bandwidth }, limits: { maxRounds: 200 } };
  const strategies = compareStrategies(vm, common).map(row);
  const steps = EVACUATION_STRATEGIES.length * 2;
  let done = 0;
  onProgress(1 / (steps + 1));
  const evacuations: EvacuationRow[] = [];
  for (const strategy of EVACUATION_STRATEGIES) {
    for (const sequential of [false, true]) {
      const e = evacuateHost(vm, { ...common, strategy, vms: p.vms, sequential });
      evacuations.push({
        strategy,
        sequential,
        landed: e.landed,
        vms: p.vms,
        totalTimeSeconds: e.totalTimeSeconds,
        maxDowntimeSeconds: e.maxDowntimeSeconds,
        bytesSent: e.bytesSent.total,
      });
      done++;
      onProgress((done + 1) / (steps + 1));
    }
  }
  return { strategies, evacuations };
}
