/**
 * The consolidation policy of the spec: overload detection, VM selection and placement, each
 * chosen from its registry, and what happens to VMs that fit no host.
 *
 * @module
 */

import { z } from "zod";
import { doc } from "./internal/doc.js";
import { OVERLOAD_DETECTORS, OVERLOAD_NAMES, type OverloadName } from "./overload.js";
import { PLACEMENT_NAMES, PLACEMENTS, type PlacementName } from "./placement.js";
import { SELECTION_NAMES, type SelectionName, VM_SELECTORS } from "./selection.js";

/** What a run does with VMs that fit no host at the start. */
export type UnplacedRule = "count" | "refuse";

/** The consolidation policy (after the schema). */
export interface PolicySpec {
  /** Overload detection (or a baseline): a key of {@link OVERLOAD_DETECTORS}. */
  readonly overload: OverloadName;
  /**
   * The detector's parameter (its registry default when omitted); absent for the baselines,
   * which take none.
   */
  readonly parameter?: number;
  /** VM selection on an overloaded host: a key of {@link VM_SELECTORS}. */
  readonly selection: SelectionName;
  /** Placement of migrating VMs: a key of {@link PLACEMENTS}. */
  readonly placement: PlacementName;
  /** Evacuate under-loaded hosts and switch them off. */
  readonly underload: boolean;
  /**
   * VMs that fit no host at the start: `count` runs without them, reports them
   * (`summary.unplacedVms`) and counts each as an SLA violation for the whole run; `refuse`
   * fails the run before it starts (`VX_SIM_UNPLACED_VMS`).
   */
  readonly unplaced: UnplacedRule;
}

/** The policy as written. */
export interface PolicyInput {
  overload?: OverloadName | undefined;
  parameter?: number | undefined;
  selection?: SelectionName | undefined;
  placement?: PlacementName | undefined;
  underload?: boolean | undefined;
  unplaced?: UnplacedRule | undefined;
}

/** Defaults of the policy: THR with MMT and PABFD, under-load evacuation, unplaced VMs counted. */
export const POLICY_DEFAULTS: {
  readonly overload: OverloadName;
  readonly selection: SelectionName;
  readonly placement: PlacementName;
  readonly underload: boolean;
  readonly unplaced: UnplacedRule;
} = { overload: "thr", selection: "mmt", placement: "pabfd", underload: true, unplaced: "count" };

function list(entries: readonly { readonly name: string; readonly description: string }[]): string {
  return entries.map((e) => `${e.name}: ${e.description}`).join(" ");
}

function parameterText(): string {
  return OVERLOAD_NAMES.map((n) => {
    const p = OVERLOAD_DETECTORS[n].parameter;
    return p === undefined
      ? `${n}: none`
      : `${n}: ${p.description}, default ${p.default}, in [${p.min}, ${p.max}]`;
  }).join("; ");
}

const fields = z.strictObject({
  overload: doc(
    z.enum(OVERLOAD_NAMES as [OverloadName, ...OverloadName[]]).default(POLICY_DEFAULTS.overload),
    {
      description: `Overload detection (Beloglazov & Buyya, CCPE 2012). ${list(OVERLOAD_NAMES.map((n) => OVERLOAD_DETECTORS[n]))} Default thr.`,
      default: POLICY_DEFAULTS.overload,
    },
  ),
  parameter: doc(z.number().optional(), {
    description: `Parameter of the overload detection; omitted, the detector's default. ${parameterText()}. Not allowed with none or dvfs.`,
  }),
  selection: doc(
    z
      .enum(SELECTION_NAMES as [SelectionName, ...SelectionName[]])
      .default(POLICY_DEFAULTS.selection),
    {
      description: `VM selection on an overloaded host. ${list(SELECTION_NAMES.map((n) => VM_SELECTORS[n]))} Default mmt.`,
      default: POLICY_DEFAULTS.selection,
    },
  ),
  placement: doc(
    z
      .enum(PLACEMENT_NAMES as [PlacementName, ...PlacementName[]])
      .default(POLICY_DEFAULTS.placement),
    {
      description: `Placement of migrating VMs. ${list(PLACEMENT_NAMES.map((n) => PLACEMENTS[n]))} Default pabfd.`,
      default: POLICY_DEFAULTS.placement,
    },
  ),
  underload: doc(z.boolean().default(POLICY_DEFAULTS.underload), {
    description: "Evacuate under-loaded hosts and switch them off. Default true.",
    default: POLICY_DEFAULTS.underload,
  }),
  unplaced: doc(z.enum(["count", "refuse"]).default(POLICY_DEFAULTS.unplaced), {
    description:
      "VMs that fit no host at the start: count (run without them, report them and count each as an SLA violation) or refuse (fail before the run). Default count.",
    default: POLICY_DEFAULTS.unplaced,
  }),
});

/**
 * The zod schema of `policy`. The parameter is checked against its detector's range and filled
 * in with its default ({@link OVERLOAD_DETECTORS}); the baselines refuse one.
 *
 * @example
 * ```ts
 * policySchema.parse({ overload: "mad" }).parameter; // 2.5
 * ```
 */
export const policySchema: z.ZodType<PolicySpec, PolicyInput | undefined> = doc(
  fields
    .superRefine((p, ctx) => {
      const entry = OVERLOAD_DETECTORS[p.overload];
      if (p.parameter === undefined) return;
      if (entry.parameter === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `overload detection "${p.overload}" takes no parameter; remove it`,
          path: ["parameter"],
          params: { vxCode: "VX_SIM_BAD_PARAMETER" },
        });
        return;
      }
      const { min, max } = entry.parameter;
      if (!(p.parameter >= min && p.parameter <= max)) {
        ctx.addIssue({
          code: "custom",
          message: `the ${entry.label} parameter (${entry.parameter.description}) must be in [${min}, ${max}]; got ${p.parameter} (its default is ${entry.parameter.default})`,
          path: ["parameter"],
          params: { vxCode: "VX_SIM_BAD_PARAMETER" },
        });
      }
    })
    .transform((p): PolicySpec => {
      const entry = OVERLOAD_DETECTORS[p.overload];
      const parameter =
        entry.parameter === undefined ? undefined : (p.parameter ?? entry.parameter.default);
      const { parameter: _omit, ...rest } = p;
      return parameter === undefined ? rest : { ...rest, parameter };
    })
    .default(() => ({
      ...POLICY_DEFAULTS,
      parameter: OVERLOAD_DETECTORS[POLICY_DEFAULTS.overload].parameter?.default ?? 0,
    })),
  {
    description:
      "Consolidation policy. Default THR 0.8 with MMT, PABFD placement, under-load evacuation.",
  },
);

/**
 * A short label of a policy for tables: `THR 0.8 + MMT`, or the baseline's label (`NPA`, `DVFS`).
 *
 * @param policy - a policy after the schema.
 * @returns the label.
 * @example
 * ```ts
 * policyLabel({ overload: "mad", parameter: 2.5, selection: "mc", placement: "pabfd", underload: true, unplaced: "count" });
 * // "MAD 2.5 + MC"
 * ```
 */
export function policyLabel(policy: PolicySpec): string {
  const entry = OVERLOAD_DETECTORS[policy.overload];
  if (!entry.consolidates) return entry.label;
  const p = policy.parameter ?? entry.parameter?.default;
  return `${entry.label}${p === undefined ? "" : ` ${p}`} + ${VM_SELECTORS[policy.selection].label}`;
}
