/**
 * The network part of the spec: the topology that migrations and VM traffic cross (a star or a
 * two-level tree of fluid links) and the VMs' own background traffic.
 *
 * @module
 */

import { durationSchema, rateSchema } from "@vx/core";
import { z } from "zod";
import { doc, tag } from "./internal/doc.js";
import type { QuantityInput } from "./quantity.js";

/**
 * Defaults of the network, in base units.
 *
 * - `latency` 100 µs: one-way host-to-host latency through one switch (an assumption: a few
 *   tens of µs per switch hop plus the hosts' stacks, typical of a switched data-center
 *   network).
 * - `hostsPerRack` 40: a 42U rack of 1U servers under one top-of-rack switch (an assumption).
 * - `oversubscription` 4: fat-tree-era designs run 2.5:1 to 8:1 (Al-Fares, Loukissas & Vahdat,
 *   SIGCOMM 2008, §2.1).
 */
export const NETWORK_DEFAULTS: {
  readonly latency: number;
  readonly hostsPerRack: number;
  readonly oversubscription: number;
} = { latency: 100e-6, hostsPerRack: 40, oversubscription: 4 };

/** The VMs' own network traffic, as background flows on their host's NIC. */
export type VmTrafficSpec =
  /** No VM traffic: migrations have the links to themselves. */
  | { readonly kind: "none" }
  /** Every VM sends and receives `rate` bytes per second. */
  | { readonly kind: "constant"; readonly rate: number }
  /** Every VM uses its NIC share in proportion to its CPU utilisation (an assumption). */
  | { readonly kind: "trace" }
  /** CloudSim's assumption made explicit: VM traffic takes half of each busy host's NIC. */
  | { readonly kind: "half-nic" };

/** The network between hosts (after the schema). */
export type NetworkSpec =
  | {
      readonly topology: "star";
      /** One-way host-to-host latency, seconds. */
      readonly latency: number;
      readonly vmTraffic: VmTrafficSpec;
    }
  | {
      readonly topology: "tree";
      readonly hostsPerRack: number;
      /** A rack's host bandwidth divided by its uplink bandwidth (1 = non-blocking). */
      readonly oversubscription: number;
      /** One-way latency between two hosts of a rack; twice that through the core. */
      readonly latency: number;
      readonly vmTraffic: VmTrafficSpec;
    };

/** VM traffic as written. */
export type VmTrafficInput =
  | { kind: "none" }
  | { kind: "constant"; rate: number | string }
  | { kind: "trace" }
  | { kind: "half-nic" };

/** The network as written. */
export type NetworkInput =
  | {
      topology: "star";
      latency?: QuantityInput | undefined;
      vmTraffic?: VmTrafficInput | undefined;
    }
  | {
      topology: "tree";
      hostsPerRack?: number | undefined;
      oversubscription?: number | undefined;
      latency?: QuantityInput | undefined;
      vmTraffic?: VmTrafficInput | undefined;
    };

const NO_TRAFFIC: VmTrafficSpec = { kind: "none" };

const vmTraffic = doc(
  z
    .discriminatedUnion("kind", [
      z
        .strictObject({ kind: tag("none", "VM traffic kind.") })
        .describe("No VM traffic: migrations have the links to themselves."),
      z
        .strictObject({
          kind: tag("constant", "VM traffic kind."),
          rate: doc(rateSchema({ allowZero: false }), {
            description:
              'What each VM sends (and receives): bytes per second or a rate such as "20Mbps".',
            examples: ["20Mbps"],
          }),
        })
        .describe("Every VM sends and receives a constant rate."),
      z
        .strictObject({ kind: tag("trace", "VM traffic kind.") })
        .describe(
          "Every VM uses its NIC share (vmTypes.*.nic) times its CPU utilisation: network follows CPU (an assumption).",
        ),
      z
        .strictObject({ kind: tag("half-nic", "VM traffic kind.") })
        .describe(
          "CloudSim's assumption made explicit: the VMs of a busy host use half its NIC, which is why CloudSim gives a migration the other half.",
        ),
    ])
    .default(NO_TRAFFIC),
  {
    description:
      "The VMs' own traffic, as flows on their host's NIC that migrations compete with (max-min fair). Default { kind: \"none\" }.",
    default: { kind: "none" },
  },
);

const latency = doc(durationSchema().default(NETWORK_DEFAULTS.latency), {
  description:
    'One-way latency between two hosts (of a rack, for a tree: twice that through the core): seconds or a duration such as "100us". Default "100us".',
  default: "100us",
});

const STAR: NetworkSpec = {
  topology: "star",
  latency: NETWORK_DEFAULTS.latency,
  vmTraffic: NO_TRAFFIC,
};

/**
 * The zod schema of the network: `star` (every host's NIC into one non-blocking core switch) or
 * `tree` (racks of `hostsPerRack` hosts under top-of-rack switches, whose uplinks to one core
 * switch carry the rack's NIC bandwidth divided by `oversubscription`).
 *
 * @example
 * ```ts
 * networkSchema.parse({ topology: "tree" }); // 40 hosts per rack, 4:1, 100 µs, no VM traffic
 * ```
 */
export const networkSchema: z.ZodType<NetworkSpec, NetworkInput | undefined> = doc(
  z
    .discriminatedUnion("topology", [
      z
        .strictObject({
          topology: tag("star", "Network topology."),
          latency,
          vmTraffic,
        })
        .describe("Every host's NIC on one non-blocking switch."),
      z
        .strictObject({
          topology: tag("tree", "Network topology."),
          hostsPerRack: doc(
            z.number().int().min(1).max(100_000).default(NETWORK_DEFAULTS.hostsPerRack),
            { description: "Hosts under each top-of-rack switch. Default 40.", default: 40 },
          ),
          oversubscription: doc(
            z.number().min(1).max(1000).default(NETWORK_DEFAULTS.oversubscription),
            {
              description:
                "Ratio of a rack's host bandwidth to its uplink bandwidth (1 = non-blocking). Default 4.",
              default: 4,
            },
          ),
          latency,
          vmTraffic,
        })
        .describe("Two levels: racks under top-of-rack switches, uplinks to one core switch."),
    ])
    .default(STAR),
  {
    description: 'The network between hosts. Default { topology: "star" }.',
    default: { topology: "star" },
  },
);
