/**
 * Idle parking inside a data center: a `DatacenterExtension` for `runDatacenter` (and the
 * `idle:` section of `vx run`). Idle VMs are parked by the chosen technique: suspending them frees
 * their host's RAM and CPU, so consolidation switches more hosts off; SEaMLESS proxies go into
 * sinks with a capacity; on the first request a VM is restored where some host has room, or
 * waits (counted).
 *
 * @module
 */

import { parseWith } from "@vx/core";
import type { DatacenterExtension, DatacenterResult, ExtensionResult } from "@vx/datacenter";
import { Parking, WAIT_BUCKETS } from "./internal/parking.js";
import {
  type IdleParameters,
  type IdleParametersInput,
  idleParametersSchema,
} from "./parameters.js";
import { sinkCapacity } from "./techniques.js";

/** The extension's name: its key in `result.extensions`. */
export const IDLE_EXTENSION_NAME = "idle";

/** What the idle extension returns (`result.extensions.idle.output`), plain JSON. */
export interface IdleParkingOutput {
  readonly technique: string;
  /** The parameters the run used (after the schema). */
  readonly parameters: IdleParameters;
  /** Times a VM was parked (its resources released). */
  readonly parks: number;
  /** Parks abandoned because consolidation moved the VM while it converted. */
  readonly parkAborted: number;
  /** Parks refused because every sink was full (SEaMLESS). */
  readonly sinkRefusals: number;
  /** Proxies one sink holds. */
  readonly sinkCapacity: number;
  /** First requests that woke a parked VM. */
  readonly wakes: number;
  /** Wakes served, failed (the client gave up: no proxy), and still waiting or restoring at the end. */
  readonly served: number;
  readonly failed: number;
  readonly pendingAtEnd: number;
  /** Served first requests that waited more than 0 s. */
  readonly requestsDelayed: number;
  /** Restores that found no host with room and waited, and the seconds they waited in all. */
  readonly restoresWaited: number;
  readonly restoreWaitSeconds: number;
  /** First-request waits of served wakes, seconds: mean, median, 95th percentile, maximum. */
  readonly wait: {
    readonly mean: number;
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
    /** Upper bounds of the histogram buckets, seconds (the last bucket is open). */
    readonly buckets: readonly number[];
    /** Wakes per bucket (one more than `buckets`). */
    readonly counts: readonly number[];
  };
  /** VMs parked at the end. */
  readonly parkedAtEnd: number;
  /** Energy of the sinks, kWh (not in the data center's own energy figure). */
  readonly sinkEnergyKWh: number;
  /**
   * CPU the parked VMs' traces asked for below the threshold while parked, MIPS·s (sampled at
   * the rounds): what parking treated as idle noise and did not serve.
   */
  readonly parkedDemandMipsSeconds: number;
  /**
   * CPU the traces of VMs waiting for room to restore asked for meanwhile, MIPS·s (sampled at
   * the rounds): demand delayed, not served, while they wait.
   */
  readonly waitingDemandMipsSeconds: number;
}

/** Nearest-rank percentile of sorted values (0 when empty). */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k] as number;
}

/**
 * The idle-parking extension of a data-center run.
 *
 * At each scheduling round a running VM whose utilisation is below `threshold` starts (or
 * continues) an idle stretch; after `idleAfterSeconds` it converts (SEaMLESS takes a proxy slot
 * in a sink first, or is refused when every sink is full) and, once converted, is suspended: it
 * holds no host RAM or CPU, and consolidation may switch its host off (not with suspend-to-swap:
 * its host is held on, the VM resumes there). A parked VM's first request is where its trace
 * crosses the threshold (linear between rounds); the VM is then resumed where the placement
 * policy finds room, restored, and served; with no room it waits, retried at each round. Series
 * (per round): `parkedVms`, `releasedRamBytes`, `releasedMips`, `sinksOn`, `waitingRestores`.
 *
 * @param options - technique and parameters (see {@link idleParametersSchema}).
 * @returns the extension (name `"idle"`).
 * @throws {@link @vx/core!VxError} `VX_IDLE_BAD_OPTIONS` with the path of the offending field,
 * before any run.
 * @example
 * ```ts
 * const r = runDatacenter(spec, { extensions: [idleParking({ technique: "seamless", threshold: "5%" })] });
 * const out = r.extensions?.idle as ExtensionResult;
 * (out.output as IdleParkingOutput).wait.p95; // seconds
 * ```
 */
export function idleParking(
  options: IdleParametersInput = {},
): DatacenterExtension<IdleParkingOutput> {
  const p = parseWith(idleParametersSchema, options, {
    code: "VX_IDLE_BAD_OPTIONS",
    what: "idle parking options",
  });
  let run: Parking | undefined;
  return {
    name: IDLE_EXTENSION_NAME,
    start(ctx) {
      run = new Parking(p);
      run.start(ctx);
    },
    round(ctx) {
      run?.round(ctx);
    },
    migrationEnded(ctx) {
      run?.retry(ctx);
    },
    end(ctx) {
      const r = run as Parking;
      const e = r.end(ctx);
      const sorted = r.waits.slice().sort((a, b) => a - b);
      const counts = new Array<number>(WAIT_BUCKETS.length + 1).fill(0);
      let sum = 0;
      for (const w of sorted) {
        sum += w;
        let k = 0;
        while (k < WAIT_BUCKETS.length && w > (WAIT_BUCKETS[k] as number)) k++;
        counts[k] = (counts[k] as number) + 1;
      }
      ctx.metric("parks", r.parks);
      ctx.metric("wakes", r.wakes);
      ctx.metric("restoresWaited", r.restoresWaited);
      ctx.metric("sinkEnergyKWh", e.sinkJoules / 3.6e6);
      return {
        technique: p.technique,
        parameters: p,
        parks: r.parks,
        parkAborted: r.parkAborted,
        sinkRefusals: r.sinkRefusals,
        sinkCapacity: sinkCapacity(p),
        wakes: r.wakes,
        served: r.served,
        failed: r.failed,
        pendingAtEnd: e.pending,
        requestsDelayed: r.requestsDelayed,
        restoresWaited: r.restoresWaited,
        restoreWaitSeconds: r.restoreWaitSeconds,
        wait: {
          mean: sorted.length === 0 ? 0 : sum / sorted.length,
          p50: percentile(sorted, 0.5),
          p95: percentile(sorted, 0.95),
          max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
          buckets: WAIT_BUCKETS,
          counts,
        },
        parkedAtEnd: e.parkedAtEnd,
        sinkEnergyKWh: e.sinkJoules / 3.6e6,
        parkedDemandMipsSeconds: r.parkedDemandMipsSeconds,
        waitingDemandMipsSeconds: r.waitingDemandMipsSeconds,
      };
    },
  };
}

/** The idle extension's part of a run's result: its output, series and metrics. */
export interface IdleParkingResult {
  readonly output: IdleParkingOutput;
  readonly series: ExtensionResult["series"];
  readonly metrics: ExtensionResult["metrics"];
}

/**
 * Reads the idle extension's part of a data-center result.
 *
 * @param result - a run with {@link idleParking} among its extensions.
 * @returns its output, series and metrics, or `undefined` when the run had no idle extension.
 * @example
 * ```ts
 * const idle = idleParkingResult(runDatacenter(spec, { extensions: [idleParking()] }));
 * idle?.output.wait.p95;
 * ```
 */
export function idleParkingResult(result: DatacenterResult): IdleParkingResult | undefined {
  const x = result.extensions?.[IDLE_EXTENSION_NAME] as ExtensionResult | undefined;
  if (x === undefined || x.output === null || typeof x.output !== "object") return undefined;
  return { output: x.output as IdleParkingOutput, series: x.series, metrics: x.metrics };
}
