/**
 * A rolling upgrade campaign as written in the `upgrade:` section of a scenario (or passed to
 * {@link upgradeCampaign}): which hosts, which strategy (or a mix by VM type), the order, how many
 * hosts at once, spare hosts, when it starts, its deadline, and the faults to inject.
 *
 * @module
 */

import { durationSchema, parseWith, percentSchema } from "@vx/core";
import { z } from "zod";
import {
  STRATEGY_NAMES,
  type StrategyName,
  type StrategySettings,
  type StrategySettingsInput,
  strategySettingsSchema,
  UPGRADE_STRATEGIES,
} from "./strategies.js";

/** The order hosts are upgraded in. */
export type CampaignOrder = "index" | "rack" | "least-loaded" | "most-loaded" | "random";

/** Every order, with what it means. */
export const CAMPAIGN_ORDERS: Readonly<Record<CampaignOrder, string>> = {
  index: "by host index",
  rack: "rack by rack (a tree network's racks; a star is one rack): no host of a rack starts while another rack is in progress",
  "least-loaded": "the host holding the least VM RAM when a slot frees up",
  "most-loaded": "the host holding the most VM RAM when a slot frees up",
  random: "a seeded random permutation",
};

/**
 * Campaign defaults.
 *
 * - `strategy` `"evacuate"`, `order` `"index"`, `concurrency` 1 host at a time, no spare host,
 *   starting at t = 0, no deadline.
 * - Faults: none by default. A failing host loses power at a uniformly drawn instant within
 *   `failureWindow` (10 min) of the start of its upgrade, and is repaired after `repairTime`
 *   (1 h): assumptions, set them.
 */
export const CAMPAIGN_DEFAULTS: {
  readonly strategy: StrategyName;
  readonly order: CampaignOrder;
  readonly concurrency: number;
  readonly spareHosts: number;
  readonly start: number;
  readonly hostFailureProbability: number;
  readonly failureWindow: number;
  readonly repairTime: number;
} = {
  strategy: "evacuate",
  order: "index",
  concurrency: 1,
  spareHosts: 0,
  start: 0,
  hostFailureProbability: 0,
  failureWindow: 600,
  repairTime: 3600,
};

/** The strategy of a campaign: one for every VM, or one per VM type with a default. */
export interface StrategyMix {
  /** The strategy of VMs whose type is not listed. */
  readonly default: StrategyName;
  /** Strategies by VM type name. */
  readonly byVmType: Readonly<Record<string, StrategyName>>;
}

/** Faults injected during the campaign (after the schema). */
export interface CampaignFaults {
  /** Chance that a host loses power during its upgrade (0..1). */
  readonly hostFailureProbability: number;
  /** The failure instant is drawn uniformly in this long after the host's upgrade starts, seconds. */
  readonly failureWindow: number;
  /** A failed host is back (upgraded) this long after it failed, seconds. */
  readonly repairTime: number;
}

/** A campaign (after the schema). */
export interface CampaignSpec {
  readonly strategy: StrategyMix;
  /** Hosts to upgrade: `"all"` or a list of host indices. */
  readonly hosts: "all" | readonly number[];
  readonly order: CampaignOrder;
  /** Hosts upgraded at once. */
  readonly concurrency: number;
  /**
   * The last `spareHosts` hosts of the data center are spares: held out of service (if empty at
   * the start) and brought in only when an evacuation or restart finds no room; never upgraded.
   */
  readonly spareHosts: number;
  /** When the campaign starts, seconds of simulated time. */
  readonly start: number;
  /** Hosts not started by this time are not started (`null`: none), seconds. */
  readonly deadline: number | null;
  readonly faults: CampaignFaults;
  readonly settings: StrategySettings;
}

/** A campaign as written. */
export interface CampaignInput {
  strategy?: StrategyName | { default?: StrategyName; byVmType?: Record<string, StrategyName> };
  hosts?: "all" | readonly number[];
  order?: CampaignOrder;
  concurrency?: number;
  spareHosts?: number;
  start?: number | string;
  deadline?: number | string;
  faults?: {
    hostFailureProbability?: number | string;
    failureWindow?: number | string;
    repairTime?: number | string;
  };
  settings?: StrategySettingsInput;
}

const D = CAMPAIGN_DEFAULTS;
const strategyName = z
  .enum(STRATEGY_NAMES as [StrategyName, ...StrategyName[]])
  .describe(`A strategy: ${STRATEGY_NAMES.join(", ")}.`);

function inPlaceCount(mix: StrategyMix): number {
  const set = new Set<StrategyName>([mix.default, ...Object.values(mix.byVmType)]);
  let n = 0;
  for (const s of set) if (UPGRADE_STRATEGIES[s].kind === "in-place") n++;
  return n;
}

/**
 * The zod schema of a campaign. A mix may combine evacuation, termination and at most one
 * in-place strategy (a host reboots one way).
 *
 * @example
 * ```ts
 * campaignSchema.parse({ strategy: "hyfix", concurrency: 4 }).order; // "index"
 * ```
 */
export const campaignSchema: z.ZodType<CampaignSpec, unknown> = z.strictObject({
  strategy: z
    .union([
      strategyName.transform((s): StrategyMix => ({ default: s, byVmType: {} })),
      z.strictObject({
        default: strategyName.default(D.strategy),
        byVmType: z.record(z.string(), strategyName).default({}),
      }),
    ])
    .default({ default: D.strategy, byVmType: {} })
    .refine((m) => inPlaceCount(m) <= 1, {
      message: "a mix may hold at most one in-place strategy (a host reboots one way)",
      params: { vxCode: "VX_UPGRADE_BAD_MIX" },
    })
    .describe(
      'The strategy of every VM, or { default, byVmType: { <vm type>: <strategy> } }. Default "evacuate".',
    ),
  hosts: z
    .union([z.literal("all"), z.array(z.number().int().min(0)).min(1)])
    .default("all")
    .refine((h) => h === "all" || new Set(h).size === h.length, {
      message: "list each host once",
    })
    .describe('Hosts to upgrade: "all" (default) or a list of host indices.'),
  order: z
    .enum(Object.keys(CAMPAIGN_ORDERS) as [CampaignOrder, ...CampaignOrder[]])
    .default(D.order)
    .describe(
      `Order: ${Object.entries(CAMPAIGN_ORDERS)
        .map(([k, v]) => `${k} (${v})`)
        .join("; ")}. Default "index".`,
    ),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(D.concurrency)
    .describe("Hosts upgraded at once. Default 1."),
  spareHosts: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(D.spareHosts)
    .describe("The last N hosts are spares, brought in only when room runs out. Default 0."),
  start: durationSchema()
    .default(D.start)
    .describe("When the campaign starts (simulated time). Default 0."),
  deadline: durationSchema()
    .optional()
    .transform((d) => d ?? null)
    .describe("Hosts not started by this time are not started. Default none."),
  faults: z
    .strictObject({
      hostFailureProbability: percentSchema({ max: 1 })
        .default(D.hostFailureProbability)
        .describe("Chance that a host loses power during its upgrade. Default 0."),
      failureWindow: durationSchema({ allowZero: false })
        .default(D.failureWindow)
        .describe("The failure instant is uniform in this long after the upgrade starts."),
      repairTime: durationSchema()
        .default(D.repairTime)
        .describe("A failed host is back this long after it failed. Default 1h."),
    })
    .prefault({}),
  settings: strategySettingsSchema.prefault({}),
}) as unknown as z.ZodType<CampaignSpec, unknown>;

/**
 * Validates a campaign.
 *
 * @param input - the campaign as written.
 * @param path - where it sits in a larger input (error paths are prefixed with it).
 * @returns the campaign with every default filled in.
 * @throws {@link @vx/core!VxError} `VX_UPGRADE_BAD_CAMPAIGN` listing every problem with its path.
 * @example
 * ```ts
 * parseCampaign({ strategy: { default: "hyfix", byVmType: { web: "terminate" } } });
 * ```
 */
export function parseCampaign(
  input: CampaignInput | undefined,
  path: readonly (string | number)[] = [],
): CampaignSpec {
  return parseWith(campaignSchema, input ?? {}, {
    code: "VX_UPGRADE_BAD_CAMPAIGN",
    what: "upgrade campaign",
    path: [...path],
  });
}
