/**
 * Last-mile links for VM streaming: bandwidth and round-trip time presets for 4G LTE, 3G, DSL,
 * cable and Wi-Fi, each with where its figures come from. A link becomes one `@vx/core` fluid
 * resource (the downlink) whose transfers share it max-min fairly with any cross-traffic.
 *
 * @module
 */
import { Mbps, ms } from "@vx/core";

/** Names of the link presets. */
export type LinkPresetName = "lte" | "3g" | "dsl" | "cable" | "wifi";

/** A preset last-mile link. */
export interface LinkPreset {
  /** Its name. */
  readonly name: LinkPresetName;
  /** What it stands for. */
  readonly description: string;
  /** Downlink rate the client gets, bytes per second. */
  readonly bandwidthBytesPerSecond: number;
  /** Round-trip time between client and server, seconds. */
  readonly rttSeconds: number;
  /** Where the figures come from, or why they are assumptions. */
  readonly source: string;
}

/**
 * The link presets, in the order `vx stream --help` lists them.
 *
 * - `lte`: 13 Mbit/s, the median LTE downlink measured by 4GTest (Huang et al., "A Close
 *   Examination of Performance and Power Characteristics of 4G LTE Networks", MobiSys 2012,
 *   abstract); 70 ms round trip, an assumption of the order those authors report for LTE.
 * - `3g`: 2 Mbit/s, 150 ms: an assumption (an HSPA downlink; Huang et al. 2012 find 3G well below
 *   LTE in both rate and delay).
 * - `dsl`: 6 Mbit/s, 40 ms: an assumption (an ADSL line; the FCC's Measuring Broadband America
 *   reports find DSL the slowest and highest-latency wired technology).
 * - `cable`: 20 Mbit/s, 25 ms: an assumption (a DOCSIS 3.0 tier of the early 2010s).
 * - `wifi`: 10 Mbit/s, 30 ms: an assumption (a shared hotspot; Huang et al. 2012 measured LTE's
 *   median downlink above Wi-Fi's).
 *
 * Every preset is a starting point: pass `{ preset: "lte", bandwidth: "7.2Mbps" }` or any
 * `{ bandwidth, rtt }` for the link you have.
 */
export const LINK_PRESETS: Readonly<Record<LinkPresetName, LinkPreset>> = {
  lte: {
    name: "lte",
    description: "4G LTE",
    bandwidthBytesPerSecond: Mbps(13),
    rttSeconds: ms(70),
    source:
      "13 Mbit/s: median LTE downlink, Huang et al., MobiSys 2012; 70 ms: assumption of that order",
  },
  "3g": {
    name: "3g",
    description: "3G (HSPA)",
    bandwidthBytesPerSecond: Mbps(2),
    rttSeconds: ms(150),
    source: "assumption: a typical HSPA downlink and round trip",
  },
  dsl: {
    name: "dsl",
    description: "ADSL",
    bandwidthBytesPerSecond: Mbps(6),
    rttSeconds: ms(40),
    source: "assumption: an ADSL line (FCC Measuring Broadband America: DSL slowest wired)",
  },
  cable: {
    name: "cable",
    description: "cable (DOCSIS 3.0)",
    bandwidthBytesPerSecond: Mbps(20),
    rttSeconds: ms(25),
    source: "assumption: a DOCSIS 3.0 tier",
  },
  wifi: {
    name: "wifi",
    description: "public Wi-Fi",
    bandwidthBytesPerSecond: Mbps(10),
    rttSeconds: ms(30),
    source: "assumption: a shared hotspot, below LTE's median (Huang et al., MobiSys 2012)",
  },
};

/** The preset names, in order. */
export const LINK_PRESET_NAMES: readonly LinkPresetName[] = Object.keys(
  LINK_PRESETS,
) as LinkPresetName[];
