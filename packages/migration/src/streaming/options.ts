/**
 * The options of VM streaming: the link (a preset or a rate, with its round trip), cross-traffic,
 * how stalls are counted, and each strategy's parameters. One zod schema turns what users write
 * (`"lte"`, `"20Mbps"`, `"70ms"`, `"10%"`) into base units and fills every default; the defaults are
 * exported ({@link STREAM_DEFAULTS}).
 *
 * @module
 */
import {
  bytesSchema,
  durationSchema,
  KiB,
  MiB,
  parseRate,
  parseWith,
  percentSchema,
  rateSchema,
  VxError,
} from "@vx/core";
import { z } from "zod";
import type { BytesInput, DurationInput, FractionInput, RateInput } from "../options.js";
import { BAD_STREAM_OPTIONS } from "./errors.js";
import { LINK_PRESET_NAMES, LINK_PRESETS, type LinkPresetName } from "./links.js";

/**
 * A last-mile link: a preset name (`"lte"`), a rate (`"20Mbps"`: the RTT then defaults to the
 * LTE preset's), or `{ preset?, bandwidth?, rtt? }` (a preset with fields overridden).
 */
export type LinkInput =
  | LinkPresetName
  | string
  | {
      /** The preset the other fields start from. Default `"lte"`. */
      readonly preset?: LinkPresetName;
      /** Downlink rate (> 0). Default: the preset's. */
      readonly bandwidth?: RateInput;
      /** Round-trip time. Default: the preset's. */
      readonly rtt?: DurationInput;
    };

/** Competing traffic on the link: greedy flows, always on or on/off. */
export interface CrossTrafficOptions {
  /** Number of flows. Default 1. */
  readonly flows?: number;
  /** Mean on period (exponential); omit for flows that are always on. */
  readonly meanOn?: DurationInput;
  /** Mean off period (exponential). Default 10 s (used only with `meanOn`). */
  readonly meanOff?: DurationInput;
  /** Most a flow takes when on (a video stream's rate, say). Default: unbounded (greedy, TCP-like). */
  readonly rate?: RateInput;
}

/** vTube's parameters. */
export interface VtubeOptions {
  /** Steps of the transition model looked ahead when choosing what to stream. Default 3. */
  readonly lookahead?: number;
  /** A cluster is streamed ahead only if the chance of reaching it within the lookahead is at least this. Default 10 %. */
  readonly minProbability?: FractionInput;
  /** The start buffer covers the most likely path of clusters while its probability stays at least this. Default 50 %. */
  readonly pathConfidence?: FractionInput;
  /** Extra buffer, as a share of the computed need. Default 0. */
  readonly safetyMargin?: FractionInput;
  /** Bytes per streamed piece. Default 1 MiB. */
  readonly chunk?: BytesInput;
}

/** VMTorrent-like profile streaming's parameters. */
export interface VmtorrentOptions {
  /** Bytes per streamed piece. Default 1 MiB. */
  readonly chunk?: BytesInput;
  /** After the profile, go on with the rest of the image in block order (VMTorrent ends with the whole image). Default true. */
  readonly fillRest?: boolean;
}

/** Full download's parameters. */
export interface FullDownloadOptions {
  /** Bytes per piece (back to back, so the total time does not depend on it). Default 64 MiB. */
  readonly chunk?: BytesInput;
}

/** Options of a streaming session (every field optional; defaults in {@link STREAM_DEFAULTS}). */
export interface StreamOptions {
  /** The link. Default `"lte"`. */
  readonly link?: LinkInput;
  /** Competing traffic on the link. Default none. */
  readonly crossTraffic?: CrossTrafficOptions;
  /**
   * Two waits less than this apart count as one stall. Default 0: every wait for data (every
   * miss that blocks the VM) is a stall; 1 s counts user-perceived interruptions instead.
   */
  readonly stallMergeGap?: DurationInput;
  /** vTube's parameters. */
  readonly vtube?: VtubeOptions;
  /** VMTorrent's parameters. */
  readonly vmtorrent?: VmtorrentOptions;
  /** Full download's parameters. */
  readonly fullDownload?: FullDownloadOptions;
  /** Record the time series. Default true. */
  readonly series?: boolean;
  /** Seed of the cross-traffic's on/off periods. Default 1. */
  readonly seed?: number | string;
}

/** A resolved link. */
export interface LinkSpec {
  /** The preset it started from, if any. */
  readonly preset: LinkPresetName | undefined;
  /** Downlink rate, bytes per second. */
  readonly bandwidthBytesPerSecond: number;
  /** Round trip, seconds. */
  readonly rttSeconds: number;
}

/** Resolved cross-traffic. */
export interface CrossTrafficSpec {
  /** Flows. */
  readonly flows: number;
  /** Mean on period, seconds (Infinity: always on). */
  readonly meanOnSeconds: number;
  /** Mean off period, seconds. */
  readonly meanOffSeconds: number;
  /** Rate cap of a flow, bytes per second (Infinity: greedy). */
  readonly bytesPerSecond: number;
}

/** Streaming options in base units, every default filled in. */
export interface StreamSpec {
  /** The link. */
  readonly link: LinkSpec;
  /** Cross-traffic, or undefined. */
  readonly crossTraffic: CrossTrafficSpec | undefined;
  /** Stall merge gap, seconds. */
  readonly stallMergeGapSeconds: number;
  /** vTube. */
  readonly vtube: {
    readonly lookahead: number;
    readonly minProbability: number;
    readonly pathConfidence: number;
    readonly safetyMargin: number;
    readonly chunkBytes: number;
  };
  /** VMTorrent. */
  readonly vmtorrent: { readonly chunkBytes: number; readonly fillRest: boolean };
  /** Full download. */
  readonly fullDownload: { readonly chunkBytes: number };
  /** Whether to record the time series. */
  readonly series: boolean;
  /** Seed. */
  readonly seed: number | string;
}

/**
 * The defaults of {@link StreamOptions}. The link is the `lte` preset (13 Mbit/s, 70 ms). The rest
 * are assumptions (vTube and VMTorrent do not publish these knobs): every wait is a stall (no
 * merging); vTube looks 3 steps ahead, streams clusters with at least a 10 %
 * chance of being reached, buffers the most likely path while it holds at least 50 %, in 1 MiB
 * pieces; VMTorrent streams its profile then the rest of the image in 1 MiB pieces; full download
 * moves 64 MiB pieces back to back.
 */
export const STREAM_DEFAULTS: StreamSpec = {
  link: {
    preset: "lte",
    bandwidthBytesPerSecond: LINK_PRESETS.lte.bandwidthBytesPerSecond,
    rttSeconds: LINK_PRESETS.lte.rttSeconds,
  },
  crossTraffic: undefined,
  stallMergeGapSeconds: 0,
  vtube: {
    lookahead: 3,
    minProbability: 0.1,
    pathConfidence: 0.5,
    safetyMargin: 0,
    chunkBytes: MiB(1),
  },
  vmtorrent: { chunkBytes: MiB(1), fillRest: true },
  fullDownload: { chunkBytes: MiB(64) },
  series: true,
  seed: 1,
};

const S = STREAM_DEFAULTS;
const fraction = (): z.ZodType<number, number | string> => percentSchema({ min: 0, max: 1 });
const chunkSchema = (): z.ZodType<number, number | string> =>
  bytesSchema({ min: KiB(4), max: "1GiB" });

const presetSchema = z.enum(LINK_PRESET_NAMES as [LinkPresetName, ...LinkPresetName[]]);

/** A link given as one string: a preset name, else a rate. */
const linkStringSchema = z.string().transform((text, ctx): LinkSpec => {
  const preset = LINK_PRESETS[text as LinkPresetName];
  if (preset !== undefined) {
    return {
      preset: preset.name,
      bandwidthBytesPerSecond: preset.bandwidthBytesPerSecond,
      rttSeconds: preset.rttSeconds,
    };
  }
  let rate: number;
  try {
    rate = parseRate(text);
  } catch {
    ctx.addIssue({
      code: "custom",
      message: `expected a preset (${LINK_PRESET_NAMES.join(", ")}) or a rate such as "20Mbps", got ${JSON.stringify(text)}`,
      params: { vxCode: "VX_SCHEMA_INVALID_VALUE" },
    });
    return z.NEVER;
  }
  if (!(rate > 0)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a rate > 0, got ${JSON.stringify(text)}`,
      params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" },
    });
    return z.NEVER;
  }
  return {
    preset: undefined,
    bandwidthBytesPerSecond: rate,
    rttSeconds: LINK_PRESETS.lte.rttSeconds,
  };
});

const linkObjectSchema = z
  .strictObject({
    preset: presetSchema.optional(),
    bandwidth: rateSchema({ allowZero: false }).optional(),
    rtt: durationSchema({ max: "1h" }).optional(),
  })
  .transform((o): LinkSpec => {
    const p = LINK_PRESETS[o.preset ?? "lte"];
    return {
      preset: o.bandwidth === undefined && o.rtt === undefined ? p.name : o.preset,
      bandwidthBytesPerSecond: o.bandwidth ?? p.bandwidthBytesPerSecond,
      rttSeconds: o.rtt ?? p.rttSeconds,
    };
  });

/** The zod schema of a {@link LinkInput}. @internal */
export const linkSchema: z.ZodType<LinkSpec, unknown> = z.union([
  linkStringSchema,
  linkObjectSchema,
]);

const crossTrafficSchema = z
  .strictObject({
    flows: z.int().min(1).max(10_000).default(1),
    meanOn: durationSchema({ allowZero: false }).optional(),
    meanOff: durationSchema({ allowZero: false }).default(10),
    rate: rateSchema({ allowZero: false }).optional(),
  })
  .transform(
    (o): CrossTrafficSpec => ({
      flows: o.flows,
      meanOnSeconds: o.meanOn ?? Number.POSITIVE_INFINITY,
      meanOffSeconds: o.meanOff,
      bytesPerSecond: o.rate ?? Number.POSITIVE_INFINITY,
    }),
  );

/** The zod schema of {@link StreamOptions}. @internal */
export const streamSchema: z.ZodType<StreamSpec, unknown> = z
  .strictObject({
    link: linkSchema.default(S.link),
    crossTraffic: crossTrafficSchema.optional(),
    stallMergeGap: durationSchema().default(S.stallMergeGapSeconds),
    vtube: z
      .strictObject({
        lookahead: z.int().min(1).max(64).default(S.vtube.lookahead),
        minProbability: fraction().default(S.vtube.minProbability),
        pathConfidence: fraction().default(S.vtube.pathConfidence),
        safetyMargin: percentSchema({ min: 0, max: 10 }).default(S.vtube.safetyMargin),
        chunk: chunkSchema().default(S.vtube.chunkBytes),
      })
      .prefault({}),
    vmtorrent: z
      .strictObject({
        chunk: chunkSchema().default(S.vmtorrent.chunkBytes),
        fillRest: z.boolean().default(S.vmtorrent.fillRest),
      })
      .prefault({}),
    fullDownload: z
      .strictObject({ chunk: chunkSchema().default(S.fullDownload.chunkBytes) })
      .prefault({}),
    series: z.boolean().default(S.series),
    seed: z.union([z.int(), z.string()]).default(S.seed),
  })
  .transform(
    (o): StreamSpec => ({
      link: o.link,
      crossTraffic: o.crossTraffic,
      stallMergeGapSeconds: o.stallMergeGap,
      vtube: {
        lookahead: o.vtube.lookahead,
        minProbability: o.vtube.minProbability,
        pathConfidence: o.vtube.pathConfidence,
        safetyMargin: o.vtube.safetyMargin,
        chunkBytes: o.vtube.chunk,
      },
      vmtorrent: { chunkBytes: o.vmtorrent.chunk, fillRest: o.vmtorrent.fillRest },
      fullDownload: { chunkBytes: o.fullDownload.chunk },
      series: o.series,
      seed: o.seed,
    }),
  );

/**
 * Validates streaming options and fills every default.
 *
 * @param options - the options (all optional).
 * @returns them in base units.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` listing every bad field with
 * its path: an unknown key or preset, a zero rate, a negative round trip, a piece under 4 KiB, …
 * @example
 * ```ts
 * resolveStreamOptions({ link: "3g" }).link.rttSeconds; // 0.15
 * resolveStreamOptions({ link: { preset: "lte", bandwidth: "7.2Mbps" } }).link.bandwidthBytesPerSecond; // 900000
 * ```
 */
export function resolveStreamOptions(options: StreamOptions = {}): StreamSpec {
  if (typeof options !== "object" || options === null) {
    throw new VxError(BAD_STREAM_OPTIONS, "streaming options must be an object.", { path: [] });
  }
  return parseWith(streamSchema, options, { code: BAD_STREAM_OPTIONS, what: "streaming options" });
}
