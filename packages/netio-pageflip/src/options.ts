/**
 * Options of the receive-path model: what users write (numbers or human strings such as
 * `"10Gbps"`, with defaults) and what the model runs on (base units, every default filled in),
 * with the zod schemas that turn one into the other and reject bad input before anything runs.
 *
 * @module
 */

import {
  bytesSchema,
  durationSchema,
  Gbps,
  GiB,
  KiB,
  MiB,
  ms,
  parseWith,
  percentSchema,
  rateSchema,
  us,
  VxError,
} from "@vx/core";
import type { TopologyPresetName } from "@vx/numa";
import { createTopology, presetTopology, TOPOLOGY_DEFAULTS, TOPOLOGY_PRESETS } from "@vx/numa";
import { z } from "zod";

/**
 * The four ways a packet reaches the guest:
 * - `grant-copy`: the pVM copies the packet into a page the guest granted (Xen's default since
 *   3.x, `feature-rx-copy`); a CPU cost per byte, no change of ownership;
 * - `flip`: page flipping (Xen's old `rx-flip`): the pVM's page holding the packet goes to the
 *   guest, the guest gives back a page from its free list (its allocator prefers local pages);
 * - `informed-flip`: i-flipping: the guest keeps the pages it received in a pool bounded by the
 *   ring and gives those back first;
 * - `numa-aware-flip`: the pVM takes the page it flips from the guest's own node.
 */
export type DeliveryPath = "grant-copy" | "flip" | "informed-flip" | "numa-aware-flip";

/** Every {@link DeliveryPath}, in the order reports list them. */
export const DELIVERY_PATHS: readonly DeliveryPath[] = [
  "grant-copy",
  "flip",
  "informed-flip",
  "numa-aware-flip",
];

/**
 * CPU costs of the receive path, in cycles. *Inferred*: no published per-operation cycle counts
 * for these Xen operations on current hardware were found; the defaults
 * ({@link DEFAULT_PAGEFLIP_COSTS}) are estimates whose reasoning `docs/pageflip.md` gives.
 */
export interface PageflipCosts {
  /** pVM, every path: NIC driver and netback per packet (skb, ring response, notification). Default 1,500. */
  readonly pvmPerPacket: number;
  /** pVM, every path: one hypercall (multicall or grant-table op) per batch. Default 2,000. */
  readonly pvmPerBatch: number;
  /** pVM, grant copy: one `GNTTABOP_copy` operation (grant lookup, map and unmap the page). Default 600. */
  readonly copyPerPacket: number;
  /** pVM, grant copy: per byte copied, times the latency ratio of the pages touched. Default 1. */
  readonly copyPerByte: number;
  /** pVM, flipping: per page flipped (va and M2P updates, `GNTTABOP_transfer`, replacement page). Default 1,200. */
  readonly flipPerPage: number;
  /** pVM, flipping: TLB flush of every CPU once per batch (`UVMF_TLB_FLUSH | UVMF_ALL`). Default 8,000. */
  readonly flipPerBatch: number;
  /** Guest, every path: netfront and the network stack per packet. Default 2,500. */
  readonly guestPerPacket: number;
  /** Guest, every path: per byte of payload read (checksum, copy to the socket), times the latency ratio of the page. Default 0.5. */
  readonly guestPerByte: number;
  /** Guest, flipping: map the received page and give one back (P2M update, reservation). Default 800. */
  readonly guestFlipPerPage: number;
}

/** The default {@link PageflipCosts} (cycles); see `docs/pageflip.md` for the reasoning. */
export const DEFAULT_PAGEFLIP_COSTS: PageflipCosts = {
  pvmPerPacket: 1500,
  pvmPerBatch: 2000,
  copyPerPacket: 600,
  copyPerByte: 1,
  flipPerPage: 1200,
  flipPerBatch: 8000,
  guestPerPacket: 2500,
  guestPerByte: 0.5,
  guestFlipPerPage: 800,
};

/** The host: NUMA nodes, their SLIT distances and the CPU clock. */
export interface PageflipHost {
  /** The `@vx/numa` preset the nodes and distances come from, if any. */
  readonly preset?: TopologyPresetName | undefined;
  /** Number of NUMA nodes. */
  readonly nodes: number;
  /** SLIT distances, `distances[i][j]` (10 = local). */
  readonly distances: readonly (readonly number[])[];
  /** Cycles per second of one core. */
  readonly coreHz: number;
}

/** One domain (the guest or the pVM): where it runs, its memory, its workload and CPU budget. */
export interface PageflipDomain {
  /** The node of its vCPUs; all its memory starts there and its allocator prefers it. */
  readonly node: number;
  /** Its memory, bytes (whole pages are used). */
  readonly memoryBytes: number;
  /** Fraction of its pages in use by its workload at the start; the rest are free. */
  readonly inUseFraction: number;
  /** Workload churn: bytes per second of in-use pages freed and allocated again (oldest first). */
  readonly churnBytesPerSecond: number;
  /** CPU budget for the receive path, in cores (fractions allowed). */
  readonly cores: number;
}

/** How remote memory costs (the parameters of the default, `@vx/numa`, access-cost model). */
export interface PageflipAccess {
  /**
   * Weight of the SLIT in latencies: latency(i, j) = local × (1 + w × (d(i, j) / 10 − 1)), as in
   * `@vx/numa`'s `createTopology` (a preset host keeps its own latencies).
   */
  readonly slitLatencyWeight: number;
  /** Fraction of the guest workload's run time stalled on memory at all-local latency, 0–1. */
  readonly memoryStallFraction: number;
}

/** Every parameter of the model but the delivery path, in base units. */
export interface PageflipModelOptions {
  /** Packet size, bytes. */
  readonly packetBytes: number;
  /** Offered load at the NIC, bytes per second of packets. */
  readonly offeredBytesPerSecond: number;
  /** Simulated time, seconds. */
  readonly durationSeconds: number;
  /** Time between samples of the outputs, seconds. */
  readonly sampleIntervalSeconds: number;
  /** Longest time between two batches of the backend (interrupt moderation / NAPI poll), seconds. */
  readonly batchIntervalSeconds: number;
  /** Slots of the RX ring. */
  readonly ringSlots: number;
  /** Page size, bytes. */
  readonly pageBytes: number;
  /** The host. */
  readonly host: PageflipHost;
  /** The guest receiving the packets. */
  readonly guest: PageflipDomain;
  /** The pVM (driver domain) running the NIC driver and netback. */
  readonly pvm: PageflipDomain;
  /** CPU costs, cycles. */
  readonly costs: PageflipCosts;
  /** Parameters of the default access-cost model. */
  readonly access: PageflipAccess;
}

/** Validated options of one run: the model's parameters and the delivery path. */
export interface PageflipOptions extends PageflipModelOptions {
  /** How packets reach the guest. */
  readonly path: DeliveryPath;
}

/** A domain as users write it; every field has a default. */
export interface PageflipDomainInput {
  /** Node of its vCPUs and memory. Default: 0 for the guest, 1 for the pVM (0 on one node). */
  readonly node?: number | undefined;
  /** Memory, bytes or a string (`"4GiB"`). Default 4 GiB for both. */
  readonly memory?: number | string | undefined;
  /** Fraction of pages in use at the start, a fraction or `"50%"`. Default 50 % guest, 25 % pVM. */
  readonly inUse?: number | string | undefined;
  /** Workload churn, bytes/s or a string (`"64MiB/s"`). Default 64 MiB/s guest, 0 pVM. */
  readonly churn?: number | string | undefined;
  /** CPU budget in cores. Default 2 for the guest, 1 for the pVM (one netback thread). */
  readonly cores?: number | undefined;
}

/** The model's parameters as users write them; every field has a default. */
export interface PageflipModelInput {
  /** Packet size, bytes or a string (`"1500B"`). Default 1500. */
  readonly packetSize?: number | string | undefined;
  /** Offered load at the NIC, bytes/s or a string (`"10Gbps"`). Default 10 Gbit/s. */
  readonly offeredRate?: number | string | undefined;
  /** Simulated time, seconds or a string (`"60s"`). Default 10 s. */
  readonly duration?: number | string | undefined;
  /** Time between samples, seconds or a string. Default 100 ms. */
  readonly sampleInterval?: number | string | undefined;
  /** Longest time between two backend batches, seconds or a string. Default 100 µs. */
  readonly batchInterval?: number | string | undefined;
  /** RX ring slots. Default 256 (one 4 KiB ring page of Xen's netif). */
  readonly ringSlots?: number | undefined;
  /** Page size, bytes or a string. Default 4 KiB. */
  readonly pageSize?: number | string | undefined;
  /**
   * The host: a `@vx/numa` preset (`"2-socket"`, …) or a number of nodes and their SLIT
   * distances. Default two nodes at distance 21 (as the `"2-socket"` preset), 2.5 GHz cores.
   */
  readonly host?:
    | {
        readonly preset?: TopologyPresetName | undefined;
        readonly nodes?: number | undefined;
        readonly distances?: readonly (readonly number[])[] | undefined;
        readonly coreHz?: number | undefined;
      }
    | undefined;
  /** The guest. */
  readonly guest?: PageflipDomainInput | undefined;
  /** The pVM. */
  readonly pvm?: PageflipDomainInput | undefined;
  /** CPU costs in cycles; each defaults to {@link DEFAULT_PAGEFLIP_COSTS}. */
  readonly costs?: { readonly [K in keyof PageflipCosts]?: number | undefined } | undefined;
  /**
   * Parameters of the default access-cost model: `slitLatencyWeight` (default 0.6, `@vx/numa`'s
   * `TOPOLOGY_DEFAULTS`) and `memoryStallFraction` (default 1, fully memory-bound).
   */
  readonly access?:
    | {
        readonly slitLatencyWeight?: number | undefined;
        readonly memoryStallFraction?: number | undefined;
      }
    | undefined;
}

/** Options of one run as users write them. */
export interface PageflipOptionsInput extends PageflipModelInput {
  /** How packets reach the guest. Default `"flip"`. */
  readonly path?: DeliveryPath | undefined;
}

/** The `pageflip` section of a scenario: the model's parameters and the paths to compare. */
export interface PageflipScenarioSection extends PageflipModelOptions {
  /** The delivery paths to run, each with the same parameters. */
  readonly paths: readonly DeliveryPath[];
}

/** The `pageflip` section of a scenario as users write it. */
export interface PageflipScenarioSectionInput extends PageflipModelInput {
  /** The delivery paths to run. Default: all four. */
  readonly paths?: readonly DeliveryPath[] | undefined;
}

/** Upper bound on the frames one run tracks (2^25: 128 GiB of 4 KiB pages, ~320 MiB of arrays). */
const MAX_FRAMES = 2 ** 25;

const pathSchema = z.enum(["grant-copy", "flip", "informed-flip", "numa-aware-flip"]);

function domainSchema(defaults: { inUse: number; churn: number; cores: number }) {
  return z
    .strictObject({
      node: z.int().min(0).optional(),
      memory: bytesSchema({ allowZero: false }).default(GiB(4)),
      inUse: percentSchema({ max: 1 }).default(defaults.inUse),
      churn: rateSchema().default(defaults.churn),
      cores: z.number().min(0).default(defaults.cores),
    })
    .prefault({});
}

const costShape = Object.fromEntries(
  Object.entries(DEFAULT_PAGEFLIP_COSTS).map(([key, value]) => [
    key,
    z.number().min(0).default(value),
  ]),
) as { [K in keyof PageflipCosts]: z.ZodDefault<z.ZodNumber> };

const modelShape = {
  packetSize: bytesSchema({ allowZero: false }).default(1500),
  offeredRate: rateSchema().default(Gbps(10)),
  duration: durationSchema({ allowZero: false }).default(10),
  sampleInterval: durationSchema({ allowZero: false }).default(ms(100)),
  batchInterval: durationSchema({ allowZero: false }).default(us(100)),
  ringSlots: z
    .int()
    .min(1)
    .max(2 ** 20)
    .default(256),
  pageSize: bytesSchema({ min: 64, max: GiB(1) }).default(KiB(4)),
  host: z
    .strictObject({
      preset: z
        .enum(TOPOLOGY_PRESETS as unknown as [TopologyPresetName, ...TopologyPresetName[]])
        .optional(),
      nodes: z.int().min(1).max(64).optional(),
      distances: z.array(z.array(z.number())).optional(),
      coreHz: z.number().positive().default(2.5e9),
    })
    .prefault({})
    .superRefine((host, ctx) => {
      if (host.preset === undefined) return;
      for (const key of ["nodes", "distances"] as const) {
        if (host[key] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `the preset "${host.preset}" brings its own ${key}; give either the preset or ${key}`,
            params: { vxCode: "VX_PAGEFLIP_PRESET_CONFLICT" },
          });
        }
      }
    }),
  guest: domainSchema({ inUse: 0.5, churn: MiB(64), cores: 2 }),
  pvm: domainSchema({ inUse: 0.25, churn: 0, cores: 1 }),
  costs: z.strictObject(costShape).prefault({}),
  access: z
    .strictObject({
      slitLatencyWeight: z.number().min(0).max(10).default(TOPOLOGY_DEFAULTS.slitLatencyWeight),
      memoryStallFraction: z.number().min(0).max(1).default(1),
    })
    .prefault({}),
};

type ModelParsed = z.output<z.ZodObject<typeof modelShape>>;
type Ctx = z.core.$RefinementCtx<unknown>;

/** Fills the derived defaults and renames to base-unit names. */
function resolve(o: ModelParsed): PageflipModelOptions {
  const preset = o.host.preset;
  const topology = preset === undefined ? undefined : presetTopology(preset);
  const nodes = topology?.nodes.length ?? o.host.nodes ?? o.host.distances?.length ?? 2;
  const distances =
    topology?.distances ??
    o.host.distances ??
    Array.from({ length: nodes }, (_, i) =>
      Array.from({ length: nodes }, (_, j) => (i === j ? 10 : 21)),
    );
  const domain = (d: ModelParsed["guest"], node: number): PageflipDomain => ({
    node: d.node ?? node,
    memoryBytes: d.memory,
    inUseFraction: d.inUse,
    churnBytesPerSecond: d.churn,
    cores: d.cores,
  });
  return {
    packetBytes: o.packetSize,
    offeredBytesPerSecond: o.offeredRate,
    durationSeconds: o.duration,
    sampleIntervalSeconds: o.sampleInterval,
    batchIntervalSeconds: o.batchInterval,
    ringSlots: o.ringSlots,
    pageBytes: o.pageSize,
    host: { ...(preset === undefined ? {} : { preset }), nodes, distances, coreHz: o.host.coreHz },
    guest: domain(o.guest, 0),
    pvm: domain(o.pvm, nodes > 1 ? 1 : 0),
    costs: o.costs,
    access: o.access,
  };
}

/** Pages per packet for a path: flipping moves one page, a copy fills as many as it needs. */
export function pagesPerPacket(packetBytes: number, pageBytes: number): number {
  return Math.max(1, Math.ceil(packetBytes / pageBytes));
}

function issue(ctx: Ctx, path: (string | number)[], message: string, vxCode: string): void {
  ctx.addIssue({ code: "custom", message, path, params: { vxCode }, input: undefined });
}

/** Cross-field checks, reported with the path of the field users wrote. */
function checkModel(o: PageflipModelOptions, paths: readonly DeliveryPath[], ctx: Ctx): void {
  const { nodes, distances } = o.host;
  if (o.host.preset === undefined) {
    // The SLIT rules of @vx/numa (square, 10 on the diagonal, 10–254 elsewhere), with its errors.
    try {
      createTopology(
        { nodes: distances.map(() => ({ cpus: 0, memory: 0 })), distances },
        { path: ["host"] },
      );
    } catch (error) {
      if (!VxError.isInstance(error)) throw error;
      for (const i of error.issues) issue(ctx, [...i.path], i.message, "VX_PAGEFLIP_BAD_DISTANCES");
    }
    if (distances.length !== nodes) {
      issue(
        ctx,
        ["host", "nodes"],
        `the host has ${nodes} nodes but ${distances.length} rows of distances`,
        "VX_PAGEFLIP_BAD_DISTANCES",
      );
    }
  }
  for (const who of ["guest", "pvm"] as const) {
    if (o[who].node >= nodes) {
      issue(
        ctx,
        [who, "node"],
        `expected a node below ${nodes} (the host has ${nodes}), got ${o[who].node}`,
        "VX_PAGEFLIP_BAD_NODE",
      );
    }
  }
  if (o.host.preset !== undefined && o.guest.node < nodes && o.pvm.node < nodes) {
    const topology = presetTopology(o.host.preset);
    for (const who of ["guest", "pvm"] as const) {
      const node = o[who].node;
      const other = who === "guest" ? o.pvm : o.guest;
      const onNode = o[who].memoryBytes + (other.node === node ? other.memoryBytes : 0);
      const capacity = topology.nodes[node]!.memoryBytes;
      if (onNode > capacity) {
        issue(
          ctx,
          [who, "memory"],
          `node ${node} of "${o.host.preset}" has ${capacity} bytes, fewer than the ${onNode} placed on it`,
          "VX_PAGEFLIP_NODE_FULL",
        );
      }
    }
  }
  const flips = paths.filter((p) => p !== "grant-copy");
  if (flips.length > 0 && o.packetBytes > o.pageBytes) {
    issue(
      ctx,
      ["packetSize"],
      `a ${o.packetBytes}-byte packet does not fit in a ${o.pageBytes}-byte page, and ${flips.join(", ")} ` +
        "moves one page per packet; use packets of at most a page (or grant-copy only)",
      "VX_PAGEFLIP_PACKET_TOO_LARGE",
    );
  }
  const pages = pagesPerPacket(o.packetBytes, o.pageBytes);
  if (pages > o.ringSlots) {
    issue(
      ctx,
      ["packetSize"],
      `a ${o.packetBytes}-byte packet needs ${pages} ring slots, the ring has ${o.ringSlots}`,
      "VX_PAGEFLIP_PACKET_TOO_LARGE",
    );
  }
  const guestPages = Math.floor(o.guest.memoryBytes / o.pageBytes);
  const pvmPages = Math.floor(o.pvm.memoryBytes / o.pageBytes);
  const guestFree = guestPages - Math.round(o.guest.inUseFraction * guestPages);
  const pvmFree = pvmPages - Math.round(o.pvm.inUseFraction * pvmPages);
  if (guestFree < o.ringSlots * pages) {
    issue(
      ctx,
      ["guest", "inUse"],
      `the guest has ${guestFree} free pages, fewer than the ${o.ringSlots * pages} the ring needs; ` +
        "give it more memory or less in use",
      "VX_PAGEFLIP_NO_FREE_PAGES",
    );
  }
  if (pvmFree < pages) {
    issue(
      ctx,
      ["pvm", "inUse"],
      `the pVM has ${pvmFree} free pages; it needs at least ${pages} for a receive buffer`,
      "VX_PAGEFLIP_NO_FREE_PAGES",
    );
  }
  if (guestPages + pvmPages > MAX_FRAMES) {
    issue(
      ctx,
      [guestPages >= pvmPages ? "guest" : "pvm", "memory"],
      `the guest and the pVM hold ${guestPages + pvmPages} pages, more than the ${MAX_FRAMES} a run tracks; ` +
        "use less memory or larger pages",
      "VX_PAGEFLIP_TOO_MANY_PAGES",
    );
  }
  if (o.sampleIntervalSeconds > o.durationSeconds) {
    issue(
      ctx,
      ["sampleInterval"],
      `the sample interval (${o.sampleIntervalSeconds} s) is longer than the run (${o.durationSeconds} s)`,
      "VX_SCHEMA_OUT_OF_RANGE",
    );
  }
}

/**
 * The zod schema of one run's options: {@link PageflipOptionsInput} in, {@link PageflipOptions}
 * out, defaults filled, cross-field checks done (node indices, distances, a packet larger than a
 * page with a flipping path, enough free pages for the ring).
 *
 * Use {@link parsePageflipOptions} to validate with vx's errors; use the schema itself to embed
 * the options in a larger schema.
 *
 * @example
 * ```ts
 * pageflipOptionsSchema.parse({ path: "informed-flip", offeredRate: "1Gbps" }).ringSlots; // 256
 * ```
 */
export const pageflipOptionsSchema: z.ZodType<PageflipOptions, PageflipOptionsInput> = z
  .strictObject({ path: pathSchema.default("flip"), ...modelShape })
  .transform(({ path, ...rest }): PageflipOptions => ({ path, ...resolve(rest) }))
  .superRefine((o, ctx) => checkModel(o, [o.path], ctx));

/**
 * The zod schema of the `pageflip` section of a `vx` scenario: the model's parameters (as in
 * {@link pageflipOptionsSchema}) and `paths`, the delivery paths to compare (default all four).
 *
 * Use it to register the section with the scenario loader; run a validated section with
 * `comparePaths`.
 *
 * @example
 * ```ts
 * const section = pageflipScenarioSectionSchema.parse({ offeredRate: "10Gbps", duration: "60s" });
 * section.paths; // ["grant-copy", "flip", "informed-flip", "numa-aware-flip"]
 * ```
 */
export const pageflipScenarioSectionSchema: z.ZodType<
  PageflipScenarioSection,
  PageflipScenarioSectionInput
> = z
  .strictObject({
    paths: z
      .array(pathSchema)
      .min(1)
      .default([...DELIVERY_PATHS])
      .refine((paths) => new Set(paths).size === paths.length, {
        message: "list each delivery path at most once",
      }),
    ...modelShape,
  })
  .transform(({ paths, ...rest }): PageflipScenarioSection => ({ paths, ...resolve(rest) }))
  .superRefine((o, ctx) => checkModel(o, o.paths, ctx));

/**
 * Validates one run's options and fills the defaults.
 *
 * @param input - the options as users write them.
 * @returns the options in base units.
 * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_INVALID_OPTIONS` listing every offending field with its
 *   path (each issue's code says what is wrong, e.g. `VX_PAGEFLIP_PACKET_TOO_LARGE`).
 * @example
 * ```ts
 * parsePageflipOptions({ ringSlots: 0 });
 * // throws VxError: Invalid page-flip options (1 problem):
 * //   ringSlots: expected a number ≥ 1, got 0
 * ```
 */
export function parsePageflipOptions(input: PageflipOptionsInput = {}): PageflipOptions {
  return parseWith(pageflipOptionsSchema, input, {
    code: "VX_PAGEFLIP_INVALID_OPTIONS",
    what: "page-flip options",
  });
}

/**
 * Validates a `pageflip` scenario section and fills the defaults.
 *
 * @param input - the section as users write it.
 * @param path - where the section is in the scenario, prefixed to every issue's path.
 * @returns the section in base units.
 * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_INVALID_OPTIONS` listing every offending field.
 * @example
 * ```ts
 * parsePageflipSection({ paths: ["flip"], packetSize: "9000B" }, ["pageflip"]);
 * // throws: pageflip.packetSize: a 9000-byte packet does not fit in a 4096-byte page, …
 * ```
 */
export function parsePageflipSection(
  input: PageflipScenarioSectionInput = {},
  path: readonly (string | number)[] = [],
): PageflipScenarioSection {
  return parseWith(pageflipScenarioSectionSchema, input, {
    code: "VX_PAGEFLIP_INVALID_OPTIONS",
    what: "pageflip section",
    path,
  });
}
