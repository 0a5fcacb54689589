/**
 * The `idle` section: parking of idle VMs inside the data-center run with `@vx/idle` (SEaMLESS,
 * suspend-to-swap, suspend-to-disk, or none), as a data-center extension.
 *
 * @module
 */
import { formatBytes, formatTable } from "@vx/core";
import {
  type IdleParameters,
  type IdleParkingOutput,
  idleParametersSchema,
  idleParking,
} from "@vx/idle";
import { defineFeature, type Feature } from "./feature.js";

const seconds = (s: number): string => (s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`);

/** The `idle` feature of scenario files (a data-center extension: it acts inside the run). */
export const idleFeature: Feature = defineFeature<IdleParameters, IdleParkingOutput>({
  name: "idle",
  description:
    "Parking of idle VMs (@vx/idle): a VM below `threshold` CPU for `idleAfterSeconds` is parked by SEaMLESS (proxy in a sink, VM suspended), suspend-to-swap, suspend-to-disk, or not at all (`none`); parked VMs free their host's RAM and CPU, and are restored on their first request where a host has room.",
  schema: idleParametersSchema,
  kind: "datacenter",
  extension: (value) => idleParking(value),
  format: (o) => {
    const rows = [
      [
        "technique",
        "parks",
        "wakes",
        "served",
        "failed",
        "waited for room",
        "wait p50",
        "wait p95",
        "wait max",
        "sink energy",
      ],
      [
        o.technique,
        String(o.parks),
        String(o.wakes),
        String(o.served),
        String(o.failed),
        String(o.restoresWaited),
        seconds(o.wait.p50),
        seconds(o.wait.p95),
        seconds(o.wait.max),
        `${o.sinkEnergyKWh.toFixed(2)} kWh`,
      ],
    ];
    const p = o.parameters;
    return `Idle parking (idle section): idle below ${(p.threshold * 100).toFixed(1)} % for ${p.idleAfterSeconds} s; sinks of ${o.sinkCapacity} proxies (${formatBytes(p.seamless.proxyBytes)} each):\n${formatTable(rows)}`;
  },
});
