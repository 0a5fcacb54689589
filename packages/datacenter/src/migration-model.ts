/**
 * CloudSim's migration delay: the time the `cloudsim` migration model gives a migration, and the
 * horizon of the LR and LRR detectors' prediction in every model (CloudSim's
 * `getMaximumVmMigrationTime`, part of the detectors' definition).
 *
 * @module
 */

/** What a migration model needs to know about one migration. */
export interface MigrationRequest {
  /** The VM's memory, bytes. */
  readonly ramBytes: number;
  /** The source host's NIC, bytes per second. */
  readonly sourceNicBytesPerSecond: number;
  /** The destination host's NIC, bytes per second. */
  readonly targetNicBytesPerSecond: number;
}

/** A migration delay model: the duration of each migration from the VM's RAM and the hosts' NICs. */
export interface MigrationModel {
  /** Short name, as in `MigrationSpec.model`. */
  readonly name: string;
  /**
   * Seconds from the start of a migration to its end.
   *
   * @param request - the VM's memory and the NICs of both hosts.
   * @returns a finite duration ≥ 0.
   */
  durationSeconds(request: MigrationRequest): number;
}

/**
 * CloudSim's migration model: delay = RAM / (50 % of the destination host's bandwidth), the other
 * half being left to the VMs' own traffic. No dirty pages, no rounds, no downtime, no contention
 * between concurrent migrations. 870 MB over 1 Gbit/s: 870e6 B / 62.5e6 B/s = 13.92 s.
 *
 * Source: CloudSim 4.0 `PowerDatacenter.updateCloudletProcessing`
 * (`vm.getRam() / (targetHost.getBw() / (2 * 8000))`); Beloglazov & Buyya, CCPE 24(13), 2012,
 * §5.
 *
 * @example
 * ```ts
 * cloudsimMigrationModel.durationSeconds({
 *   ramBytes: MB(870), sourceNicBytesPerSecond: Gbps(1), targetNicBytesPerSecond: Gbps(1),
 * }); // 13.92
 * ```
 */
export const cloudsimMigrationModel: MigrationModel = {
  name: "cloudsim",
  durationSeconds(request: MigrationRequest): number {
    return request.ramBytes / (request.targetNicBytesPerSecond / 2);
  },
};
