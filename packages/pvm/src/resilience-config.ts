/**
 * What a pVM fault-tolerance run reads: the host, the guests and their requests, the control
 * operations, the faults (injected, by rate, or a seeded campaign) and each architecture's
 * settings. One zod schema ({@link pvmResilienceSchema}) turns human input into base units and
 * fills every default; the defaults are exported.
 *
 * @module
 */

import { durationSchema, ms, percentSchema, seconds } from "@vx/core";
import { z } from "zod";
import {
  type ArchitectureSettings,
  type ComponentRecovery,
  FAULT_KINDS,
  type FaultKind,
  PVM_ARCHITECTURE_NAMES,
  PVM_ARCHITECTURES,
  PVM_COMPONENTS,
  type PvmArchitectureName,
  type PvmComponent,
} from "./architectures.js";
import type { QuantityInput } from "./config.js";

// ---------------------------------------------------------------------------------------------
// Output types

/** Host-wide settings. */
export interface HostSettings {
  /** From the decision to reboot to the pVM serving again, seconds. */
  readonly rebootSeconds: number;
  /** Then until the guests serve requests again, seconds. */
  readonly guestBootSeconds: number;
  /** Xen's wait before rebooting after a dom0 crash, seconds. */
  readonly crashRebootDelaySeconds: number;
  /** From a corruption to a component's own checks detecting it, seconds. */
  readonly corruptionDetectionSeconds: number;
  /** Whether the block backend has its own domain (split architectures); else it lives in dom0. */
  readonly blockDomain: boolean;
}

/** Latency-critical guests (TailBench-like): open-loop requests at a fixed rate. */
export interface LatencyCriticalGuests {
  readonly kind: "latency-critical";
  /** Name of the group. */
  readonly name: string;
  /** How many guests. */
  readonly count: number;
  /** Requests per second per guest. */
  readonly requestsPerSecond: number;
  /** Mean service time of a request, seconds. */
  readonly serviceSeconds: number;
  /** Server utilisation: a request's latency is exponential with mean `service / (1 − utilisation)` (M/M/1). */
  readonly utilisation: number;
  /** A client gives up on a request after this long, seconds. */
  readonly timeoutSeconds: number;
  /** The pVM functions its requests need. */
  readonly uses: readonly ("network" | "block")[];
}

/** Throughput guests (Apache-Bench-like): closed loop, a fixed number of requests in flight. */
export interface ThroughputGuests {
  readonly kind: "throughput";
  readonly name: string;
  readonly count: number;
  /** Requests in flight per guest. */
  readonly concurrency: number;
  /** Time of one request with no fault, seconds. */
  readonly requestSeconds: number;
  /** A request in flight longer than this is abandoned (and re-issued), seconds. */
  readonly timeoutSeconds: number;
  readonly uses: readonly ("network" | "block")[];
}

/** A group of guests. */
export type ResilienceGuests = LatencyCriticalGuests | ThroughputGuests;

/** Control operations (VM create, migrate, device attach) through XenStore and the toolstack. */
export interface ControlSettings {
  /** Operations per second on the host, arriving evenly. */
  readonly opsPerSecond: number;
  /** An operation waiting longer than this for the control plane fails, seconds. */
  readonly timeoutSeconds: number;
}

/** One injected fault. */
export interface InjectedFault {
  readonly atSeconds: number;
  readonly component: PvmComponent;
  readonly kind: FaultKind;
}

/** A seeded campaign of injected faults. */
export interface CampaignSettings {
  /** How many faults. */
  readonly count: number;
  /** Mean time between faults (exponential gaps), seconds. */
  readonly meanGapSeconds: number;
  /** Relative weight of each component. */
  readonly components: Readonly<Record<PvmComponent, number>>;
}

/** The faults of a run. */
export interface FaultSettings {
  /** Faults at given times. */
  readonly injected: readonly InjectedFault[];
  /** Poisson failures per day of each component (0: none). */
  readonly perDay: Readonly<Record<PvmComponent, number>>;
  /** Mix of kinds for rate-driven and campaign faults (weights). */
  readonly kinds: Readonly<Record<FaultKind, number>>;
  /** A seeded campaign, or null. */
  readonly campaign: CampaignSettings | null;
}

/** A validated resilience scenario: base units, every default filled. */
export interface ResilienceScenario {
  /** Simulated time, seconds (a campaign runs until its last fault plus one mean gap, if longer). */
  readonly durationSeconds: number;
  /** Seed of the fault draws. */
  readonly seed: number;
  readonly host: HostSettings;
  readonly guests: readonly ResilienceGuests[];
  readonly control: ControlSettings;
  readonly faults: FaultSettings;
  /** Architectures a campaign runs, in registry order. */
  readonly architectures: readonly PvmArchitectureName[];
  /** Every architecture's settings (defaults with the scenario's overrides). */
  readonly settings: Readonly<Record<PvmArchitectureName, ArchitectureSettings>>;
}

// ---------------------------------------------------------------------------------------------
// Input types

/** Input form of a component's recovery. */
export interface ComponentRecoveryInput {
  readonly mechanism?: ComponentRecovery["mechanism"];
  readonly recovery?: QuantityInput;
  readonly refresh?: QuantityInput;
  readonly state?: ComponentRecovery["state"];
}

/** Input form of an architecture's overrides. */
export interface ArchitectureInput {
  readonly heartbeatPeriod?: QuantityInput;
  readonly heartbeatTimeout?: QuantityInput;
  readonly crashDetection?: ArchitectureSettings["crashDetection"];
  readonly hangDetection?: ArchitectureSettings["hangDetection"];
  readonly detectsCorruption?: boolean;
  readonly refreshPeriod?: QuantityInput;
  readonly recoveryCoverage?: QuantityInput;
  readonly corruptedReplicaFallback?: ArchitectureSettings["corruptedReplicaFallback"];
  readonly outputDelay?: QuantityInput;
  readonly pauseFraction?: QuantityInput;
  readonly replayPerOp?: QuantityInput;
  readonly compactEvery?: number;
  readonly components?: { readonly [C in PvmComponent]?: ComponentRecoveryInput };
}

/** Input form of a guest group. */
export type ResilienceGuestsInput =
  | {
      readonly kind: "latency-critical";
      readonly name?: string;
      readonly count?: number;
      readonly rate?: number;
      readonly service?: QuantityInput;
      readonly utilisation?: QuantityInput;
      readonly timeout?: QuantityInput;
      readonly uses?: readonly ("network" | "block")[];
    }
  | {
      readonly kind: "throughput";
      readonly name?: string;
      readonly count?: number;
      readonly concurrency?: number;
      readonly request?: QuantityInput;
      readonly timeout?: QuantityInput;
      readonly uses?: readonly ("network" | "block")[];
    };

/** Input form of {@link ResilienceScenario}. */
export interface ResilienceScenarioInput {
  readonly duration?: QuantityInput;
  readonly seed?: number;
  readonly host?: {
    readonly reboot?: QuantityInput;
    readonly guestBoot?: QuantityInput;
    readonly crashRebootDelay?: QuantityInput;
    readonly corruptionDetection?: QuantityInput;
    readonly blockDomain?: boolean;
  };
  readonly guests?: readonly ResilienceGuestsInput[];
  readonly control?: { readonly rate?: number; readonly timeout?: QuantityInput };
  readonly faults?: {
    readonly injected?: readonly {
      readonly at: QuantityInput;
      readonly component: PvmComponent;
      readonly kind: FaultKind;
    }[];
    readonly perDay?: { readonly [C in PvmComponent]?: number };
    readonly kinds?: { readonly [K in FaultKind]?: number };
    readonly campaign?: {
      readonly count: number;
      readonly meanGap?: QuantityInput;
      readonly components?: { readonly [C in PvmComponent]?: number };
    };
  };
  readonly architectures?: readonly PvmArchitectureName[];
  readonly settings?: { readonly [A in PvmArchitectureName]?: ArchitectureInput };
}

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * Defaults of a resilience scenario. Sourced: Xen's 5 s wait before rebooting after a dom0 crash
 * (`xen/common/domain.c`). Assumptions (docs/pvm-resilience.md gives the reasoning): a server
 * reboot of 120 s to a serving pVM (firmware POST, Xen, dom0), 30 s more for guests to serve
 * again, 1 s from a corruption to a self-check catching it, the block backend in dom0; one
 * control operation every 20 s, abandoned after 60 s; faults split 50 % crashes, 30 % hangs, 20 %
 * detectable corruptions; a campaign of 1,000 faults 10 minutes apart on average, spread evenly
 * over the five components; one simulated day.
 */
export const RESILIENCE_DEFAULTS: {
  readonly durationSeconds: number;
  readonly host: HostSettings;
  readonly control: ControlSettings;
  readonly kinds: Readonly<Record<FaultKind, number>>;
  readonly campaign: CampaignSettings;
} = {
  durationSeconds: seconds(86_400),
  host: {
    rebootSeconds: seconds(120),
    guestBootSeconds: seconds(30),
    crashRebootDelaySeconds: seconds(5),
    corruptionDetectionSeconds: seconds(1),
    blockDomain: false,
  },
  control: { opsPerSecond: 0.05, timeoutSeconds: seconds(60) },
  kinds: { crash: 0.5, hang: 0.3, corruption: 0.2 },
  campaign: {
    count: 1000,
    meanGapSeconds: seconds(600),
    components: { dom0: 1, xenstore: 1, net: 1, tool: 1, block: 1 },
  },
};

/**
 * The default guests: 25 latency-critical ones (TailBench-like: 200 requests/s each, 2 ms of
 * service at 50 % utilisation, so 4 ms on average; clients give up after 1 s) and 25 throughput
 * ones (Apache-Bench-like: 8 requests in flight, 5 ms each; `ab`'s 30 s timeout), all over the
 * network. The rates and times are assumptions.
 */
export const RESILIENCE_GUEST_DEFAULTS: {
  readonly latencyCritical: LatencyCriticalGuests;
  readonly throughput: ThroughputGuests;
} = {
  latencyCritical: {
    kind: "latency-critical",
    name: "tailbench",
    count: 25,
    requestsPerSecond: 200,
    serviceSeconds: ms(2),
    utilisation: 0.5,
    timeoutSeconds: seconds(1),
    uses: ["network"],
  },
  throughput: {
    kind: "throughput",
    name: "ab",
    count: 25,
    concurrency: 8,
    requestSeconds: ms(5),
    timeoutSeconds: seconds(30),
    uses: ["network"],
  },
};

// ---------------------------------------------------------------------------------------------
// The schema

const fraction = (): z.ZodType<number, number | string> => percentSchema({ min: 0, max: 1 });
const componentEnum = z.enum(PVM_COMPONENTS as [PvmComponent, ...PvmComponent[]]);
const kindEnum = z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]);
const usesSchema = z.array(z.enum(["network", "block"])).min(1);
const weight = z.number().min(0).max(1e6);
const L = RESILIENCE_GUEST_DEFAULTS.latencyCritical;
const T = RESILIENCE_GUEST_DEFAULTS.throughput;
const D = RESILIENCE_DEFAULTS;

const guestSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("latency-critical"),
      name: z.string().min(1).default(L.name),
      count: z.int().min(1).max(100_000).default(L.count),
      rate: z.number().positive().max(1e9).default(L.requestsPerSecond),
      service: durationSchema({ allowZero: false }).default(L.serviceSeconds),
      utilisation: percentSchema({ min: 0, max: "99%" }).default(L.utilisation),
      timeout: durationSchema({ allowZero: false }).default(L.timeoutSeconds),
      uses: usesSchema.default([...L.uses]),
    }),
    z.strictObject({
      kind: z.literal("throughput"),
      name: z.string().min(1).default(T.name),
      count: z.int().min(1).max(100_000).default(T.count),
      concurrency: z.int().min(1).max(1_000_000).default(T.concurrency),
      request: durationSchema({ allowZero: false }).default(T.requestSeconds),
      timeout: durationSchema({ allowZero: false }).default(T.timeoutSeconds),
      uses: usesSchema.default([...T.uses]),
    }),
  ])
  .transform(
    (g): ResilienceGuests =>
      g.kind === "latency-critical"
        ? {
            kind: g.kind,
            name: g.name,
            count: g.count,
            requestsPerSecond: g.rate,
            serviceSeconds: g.service,
            utilisation: g.utilisation,
            timeoutSeconds: g.timeout,
            uses: [...new Set(g.uses)],
          }
        : {
            kind: g.kind,
            name: g.name,
            count: g.count,
            concurrency: g.concurrency,
            requestSeconds: g.request,
            timeoutSeconds: g.timeout,
            uses: [...new Set(g.uses)],
          },
  );

function componentsRecord<S extends z.ZodType>(value: S) {
  return z.strictObject(
    Object.fromEntries(PVM_COMPONENTS.map((c) => [c, value.optional()])) as Record<
      PvmComponent,
      z.ZodOptional<S>
    >,
  );
}

const componentRecoverySchema = z.strictObject({
  mechanism: z.enum(["host-reboot", "restart", "failover"]).optional(),
  recovery: durationSchema().optional(),
  refresh: durationSchema().optional(),
  state: z.enum(["volatile", "snapshot", "replicated", "logged"]).optional(),
});

const architectureInputSchema = z.strictObject({
  heartbeatPeriod: durationSchema({ allowZero: false }).optional(),
  heartbeatTimeout: durationSchema({ allowZero: false }).optional(),
  crashDetection: z.enum(["immediate", "next-beat", "timeout"]).optional(),
  hangDetection: z.enum(["timeout", "none"]).optional(),
  detectsCorruption: z.boolean().optional(),
  refreshPeriod: durationSchema().optional(),
  recoveryCoverage: fraction().optional(),
  corruptedReplicaFallback: z.enum(["host-reboot", "restart"]).optional(),
  outputDelay: durationSchema().optional(),
  pauseFraction: percentSchema({ min: 0, max: "99%" }).optional(),
  replayPerOp: durationSchema().optional(),
  compactEvery: z.int().min(1).max(1e9).optional(),
  components: componentsRecord(componentRecoverySchema).optional(),
});

type ArchitectureOverrides = z.output<typeof architectureInputSchema>;

/** An architecture's defaults with a scenario's overrides. */
function mergeArchitecture(
  base: ArchitectureSettings,
  o: ArchitectureOverrides | undefined,
): ArchitectureSettings {
  if (o === undefined) return base;
  const components = Object.fromEntries(
    PVM_COMPONENTS.map((c): [PvmComponent, ComponentRecovery] => {
      const b = base.components[c];
      const x = o.components?.[c];
      return [
        c,
        {
          mechanism: x?.mechanism ?? b.mechanism,
          recoverySeconds: x?.recovery ?? b.recoverySeconds,
          refreshSeconds: x?.refresh ?? b.refreshSeconds,
          state: x?.state ?? b.state,
        },
      ];
    }),
  ) as Record<PvmComponent, ComponentRecovery>;
  return {
    monolithic: base.monolithic,
    heartbeatPeriodSeconds: o.heartbeatPeriod ?? base.heartbeatPeriodSeconds,
    heartbeatTimeoutSeconds: o.heartbeatTimeout ?? base.heartbeatTimeoutSeconds,
    crashDetection: o.crashDetection ?? base.crashDetection,
    hangDetection: o.hangDetection ?? base.hangDetection,
    detectsCorruption: o.detectsCorruption ?? base.detectsCorruption,
    refreshPeriodSeconds: o.refreshPeriod ?? base.refreshPeriodSeconds,
    recoveryCoverage: o.recoveryCoverage ?? base.recoveryCoverage,
    corruptedReplicaFallback: o.corruptedReplicaFallback ?? base.corruptedReplicaFallback,
    outputDelaySeconds: o.outputDelay ?? base.outputDelaySeconds,
    pauseFraction: o.pauseFraction ?? base.pauseFraction,
    replaySecondsPerOp: o.replayPerOp ?? base.replaySecondsPerOp,
    compactEveryOps: o.compactEvery ?? base.compactEveryOps,
    components,
  };
}

const allComponents = (value: number): Record<PvmComponent, number> =>
  Object.fromEntries(PVM_COMPONENTS.map((c) => [c, value])) as Record<PvmComponent, number>;

const scenarioSchema = z
  .strictObject({
    duration: durationSchema({ allowZero: false, max: "3650d" }).default(D.durationSeconds),
    seed: z.int().default(1),
    host: z
      .strictObject({
        reboot: durationSchema().default(D.host.rebootSeconds),
        guestBoot: durationSchema().default(D.host.guestBootSeconds),
        crashRebootDelay: durationSchema().default(D.host.crashRebootDelaySeconds),
        corruptionDetection: durationSchema().default(D.host.corruptionDetectionSeconds),
        blockDomain: z.boolean().default(D.host.blockDomain),
      })
      .prefault({}),
    guests: z
      .array(guestSchema)
      .min(1)
      .max(1000)
      .prefault([{ kind: "latency-critical" }, { kind: "throughput" }]),
    control: z
      .strictObject({
        rate: z.number().min(0).max(1e6).default(D.control.opsPerSecond),
        timeout: durationSchema({ allowZero: false }).default(D.control.timeoutSeconds),
      })
      .prefault({}),
    faults: z
      .strictObject({
        injected: z
          .array(
            z.strictObject({
              at: durationSchema(),
              component: componentEnum,
              kind: kindEnum,
            }),
          )
          .max(10_000_000)
          .default([]),
        perDay: componentsRecord(z.number().min(0).max(1e6)).default({}),
        kinds: z
          .strictObject({
            crash: weight.default(D.kinds.crash),
            hang: weight.default(D.kinds.hang),
            corruption: weight.default(D.kinds.corruption),
          })
          .prefault({}),
        campaign: z
          .strictObject({
            count: z.int().min(1).max(10_000_000),
            meanGap: durationSchema({ allowZero: false }).default(D.campaign.meanGapSeconds),
            components: componentsRecord(weight).optional(),
          })
          .optional(),
      })
      .prefault({}),
    architectures: z
      .array(z.enum(PVM_ARCHITECTURE_NAMES as [PvmArchitectureName, ...PvmArchitectureName[]]))
      .min(1)
      .default([...PVM_ARCHITECTURE_NAMES]),
    settings: z
      .strictObject(
        Object.fromEntries(
          PVM_ARCHITECTURE_NAMES.map((a) => [a, architectureInputSchema.optional()]),
        ) as Record<PvmArchitectureName, z.ZodOptional<typeof architectureInputSchema>>,
      )
      .default({}),
  })
  .superRefine((s, ctx) => {
    const k = s.faults.kinds;
    if (k.crash + k.hang + k.corruption <= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["faults", "kinds"],
        message: "at least one fault kind needs a weight above 0",
      });
    }
    const w = s.faults.campaign?.components;
    if (w !== undefined && PVM_COMPONENTS.every((c) => (w[c] ?? 0) === 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["faults", "campaign", "components"],
        message: "at least one component needs a weight above 0",
      });
    }
    for (const a of PVM_ARCHITECTURE_NAMES) {
      const o = s.settings[a];
      const base = PVM_ARCHITECTURES.find((x) => x.name === a)!.defaults;
      const period = o?.heartbeatPeriod ?? base.heartbeatPeriodSeconds;
      const timeout = o?.heartbeatTimeout ?? base.heartbeatTimeoutSeconds;
      if (timeout < period) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", a, "heartbeatTimeout"],
          message: `the heartbeat timeout (${timeout} s) is shorter than its period (${period} s)`,
        });
      }
    }
  })
  .transform((s): ResilienceScenario => {
    const campaign = s.faults.campaign;
    return {
      durationSeconds: s.duration,
      seed: s.seed,
      host: {
        rebootSeconds: s.host.reboot,
        guestBootSeconds: s.host.guestBoot,
        crashRebootDelaySeconds: s.host.crashRebootDelay,
        corruptionDetectionSeconds: s.host.corruptionDetection,
        blockDomain: s.host.blockDomain,
      },
      guests: s.guests,
      control: { opsPerSecond: s.control.rate, timeoutSeconds: s.control.timeout },
      faults: {
        injected: s.faults.injected
          .map((f) => ({ atSeconds: f.at, component: f.component, kind: f.kind }))
          .sort((a, b) => a.atSeconds - b.atSeconds),
        perDay: { ...allComponents(0), ...s.faults.perDay } as Record<PvmComponent, number>,
        kinds: s.faults.kinds,
        campaign:
          campaign === undefined
            ? null
            : {
                count: campaign.count,
                meanGapSeconds: campaign.meanGap,
                components: (campaign.components === undefined
                  ? { ...D.campaign.components }
                  : { ...allComponents(0), ...campaign.components }) as Record<
                  PvmComponent,
                  number
                >,
              },
      },
      architectures: PVM_ARCHITECTURE_NAMES.filter((a) => s.architectures.includes(a)),
      settings: Object.fromEntries(
        PVM_ARCHITECTURES.map((a) => [a.name, mergeArchitecture(a.defaults, s.settings[a.name])]),
      ) as Record<PvmArchitectureName, ArchitectureSettings>,
    };
  });

/**
 * A pVM fault-tolerance scenario: the host, guests with requests, control operations, faults and
 * architecture overrides. Validate with `parseWith` from @vx/core (or let
 * {@link simulateResilience} / {@link runFaultCampaign} do it); the output is a
 * {@link ResilienceScenario}. Every field has a default ({@link RESILIENCE_DEFAULTS},
 * {@link RESILIENCE_GUEST_DEFAULTS}, each architecture's in {@link PVM_ARCHITECTURES}).
 *
 * @example
 * ```ts
 * const s = parseWith(pvmResilienceSchema, {
 *   faults: { campaign: { count: 100, meanGap: "10min" } },
 *   settings: { resilient: { heartbeatPeriod: "50ms", heartbeatTimeout: "150ms" } },
 * });
 * ```
 */
export const pvmResilienceSchema: z.ZodType<ResilienceScenario, ResilienceScenarioInput> =
  scenarioSchema as unknown as z.ZodType<ResilienceScenario, ResilienceScenarioInput>;
