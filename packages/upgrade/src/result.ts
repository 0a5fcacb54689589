/**
 * What a campaign returns (plain JSON): the contract between the campaign and the reports.
 *
 * @module
 */

/**
 * How a campaign ended, the worst first: `unfinished` (the run ended before the last host was
 * back), `deadline-missed` (hosts not started by the deadline), `did-not-converge` (hosts given
 * up because a VM's migrations kept failing), `host-failed` (a host lost power during its
 * upgrade), `completed`.
 */
export type CampaignOutcome =
  | "completed"
  | "host-failed"
  | "did-not-converge"
  | "deadline-missed"
  | "unfinished";

/** How one host's upgrade ended. */
export type HostOutcome = "upgraded" | "failed" | "did-not-converge" | "missed" | "unfinished";

/** Per-VM downtime over the campaign, seconds, for the VMs its upgrades touched. */
export interface DowntimeStats {
  /** VMs that sat on a host when it was upgraded (evacuated, terminated or paused). */
  readonly vms: number;
  readonly meanSeconds: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly p99Seconds: number;
  readonly maxSeconds: number;
  readonly totalSeconds: number;
}

/** One host of the campaign. */
export interface HostRecord {
  readonly host: number;
  /** When its upgrade started (`null`: never). */
  readonly startSeconds: number | null;
  /** When it was back in service (`null`: not back). */
  readonly endSeconds: number | null;
  readonly outcome: HostOutcome;
  /** Times it was upgraded (0 or 1). */
  readonly upgrades: number;
}

/** A campaign's result: `result.extensions.upgrade.output`. */
export interface CampaignOutput {
  /** The strategy, or the mix (`evacuate; web: terminate`). */
  readonly strategy: string;
  readonly outcome: CampaignOutcome;
  readonly hostsTargeted: number;
  readonly hostsUpgraded: number;
  readonly hostsFailed: number;
  readonly hostsGivenUp: number;
  readonly hostsMissed: number;
  readonly hostsUnfinished: number;
  /** When the campaign started, seconds. */
  readonly startSeconds: number;
  /** From the start until the last host was back (`null` when none was). */
  readonly makespanSeconds: number | null;
  readonly downtime: DowntimeStats;
  /** Bytes the campaign's migrations moved. */
  readonly bytesMoved: number;
  /** Migrations the campaign asked for, and those that ended without the VM landing. */
  readonly migrations: number;
  readonly migrationsFailed: number;
  /** VMs lost (a host failing during its upgrade, a migration losing its VM). */
  readonly vmsLost: number;
  /** VMs terminated and restarted on purpose. */
  readonly vmsRestarted: number;
  /** Spare hosts brought into service. */
  readonly spareHostsUsed: number;
  /**
   * Peak RAM of VMs moved (or restarted) elsewhere while their host was still being upgraded:
   * the room the rest of the data center had to hold for the campaign, bytes.
   */
  readonly spareCapacityNeededBytes: number;
  /** Most hosts in upgrade at once. */
  readonly peakHostsInUpgrade: number;
  readonly hosts: readonly HostRecord[];
}
