/**
 * How long a live migration takes in the data-center model: the seam where a migration model
 * plugs in.
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { MigrationSpec } from "../scenario/types.js";

/** What a migration model needs to know about one migration. */
export interface MigrationRequest {
  /** The VM's memory, bytes. */
  readonly ramBytes: number;
  /** The source host's NIC, bytes per second. */
  readonly sourceNicBytesPerSecond: number;
  /** The destination host's NIC, bytes per second. */
  readonly targetNicBytesPerSecond: number;
}

/**
 * A migration model for the data-center engine: the duration of each migration.
 *
 * During a migration the engine applies CloudSim's CPU accounting whatever the model: the VM gets
 * 90 % of its demand on the source (the 10 % lost is performance degradation due to migration,
 * PDM) and the destination reserves 10 % of it. A model that also moves bytes over a shared
 * network (pre-copy from `@vx/migration`, with dirtying, contention and downtime) will implement
 * this interface with its own state; today only {@link cloudsimMigrationModel} exists and
 * `migration.model: precopy` is rejected with `VX_SIM_UNSUPPORTED` before a run starts.
 */
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
 * §5; vx `shared/reference/models.md` §1.7.
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

/**
 * The migration model a scenario asks for.
 *
 * @param spec - the scenario's `migration` section.
 * @returns the model.
 * @throws {@link @vx/core!VxError} `VX_SIM_UNSUPPORTED` (path `["migration", "model"]`) for `precopy`,
 * which needs `@vx/migration` on the shared network and is not wired into the data-center model
 * yet.
 * @example
 * ```ts
 * migrationModelFor({ model: "cloudsim" }).name; // "cloudsim"
 * ```
 */
export function migrationModelFor(spec: MigrationSpec): MigrationModel {
  if (spec.model === "cloudsim") return cloudsimMigrationModel;
  throw new VxError(
    "VX_SIM_UNSUPPORTED",
    `migration model "${spec.model}" is not available in the data-center model yet (pre-copy on the shared network needs @vx/migration, which is being wired in); use { model: "cloudsim" }.`,
    { path: ["migration", "model"] },
  );
}
