/**
 * The `pvm` section: the resilient privileged VM (R-VMM, DSN 2020) on every host of the data
 * center. Each host that carries guests gets its own seeded fault campaign of `@vx/pvm`
 * (`runFaultCampaign`): its pVM components fail at the section's rates over the scenario's
 * duration, under vanilla Xen, Xoar-like, Remus-like and the resilient pVM, and the guests whose
 * requests are lost or delayed are the VMs that host runs. The output is per host of this data
 * center, with totals per architecture.
 *
 * @module
 */
import { formatTable, type VxPath } from "@vx/core";
import type { DatacenterContext, DatacenterExtension } from "@vx/datacenter";
import {
  PVM_ARCHITECTURE_NAMES,
  PVM_COMPONENTS,
  type PvmArchitectureName,
  type PvmComponent,
  pvmResilienceSchema,
  type ResilienceGuests,
  type ResilienceScenario,
  type ResilienceScenarioInput,
  type ResilienceSummary,
  runFaultCampaign,
} from "@vx/pvm";
import { z } from "zod";
import { defineFeature, type Feature, type SectionIssue } from "./feature.js";

/**
 * Defaults of the `pvm` section. The failure rates are assumptions (no per-component failure
 * rate of a Xen pVM is published; docs/pvm-resilience.md says so): each of dom0's residue,
 * XenStore, the network driver domain and the tool domain fails once in ten host-days, the
 * block backend (in dom0 unless `host.blockDomain`) never on its own. Every other setting is
 * `@vx/pvm`'s (`RESILIENCE_DEFAULTS`, `RESILIENCE_GUEST_DEFAULTS`, the architectures' defaults).
 */
export const PVM_FEATURE_DEFAULTS: {
  readonly perDay: Readonly<Record<PvmComponent, number>>;
  readonly latencyCriticalTypes: readonly string[];
} = {
  perDay: { dom0: 0.1, xenstore: 0.1, net: 0.1, tool: 0.1, block: 0 },
  latencyCriticalTypes: [],
};

/** The `pvm` section after its schema: the VM types served as latency-critical, and the campaign's settings. */
export interface PvmSection {
  /** VM types whose guests are latency-critical (TailBench-like); the others are throughput guests. */
  readonly latencyCriticalTypes: readonly string[];
  /**
   * Every setting of a host's campaign, validated by `@vx/pvm`: its guests are one template group
   * of each kind (count 1, replaced by the host's own counts), its duration and seed are replaced
   * per host.
   */
  readonly template: ResilienceScenario;
}

/** One host's campaign. */
export interface PvmHostRow {
  readonly host: number;
  readonly type: string;
  /** Guests the campaign ran with: the host's mean VM counts over the run, rounded. */
  readonly latencyCriticalGuests: number;
  readonly throughputGuests: number;
  /** The seed of the host's fault draws. */
  readonly seed: number;
  /** Faults injected (the same on every architecture). */
  readonly faults: number;
  /** Per architecture: its summary from `@vx/pvm`. */
  readonly architectures: readonly ResilienceSummary[];
}

/** Totals of one architecture over every host's campaign. */
export interface PvmArchitectureTotals {
  readonly architecture: PvmArchitectureName;
  readonly faults: number;
  readonly hostReboots: number;
  /** Mean time to recover over the unmasked faults of every host, seconds; null if none. */
  readonly meanTimeToRecoverSeconds: number | null;
  /** Worst p99 time to recover of a host, seconds; null if none. */
  readonly worstP99TimeToRecoverSeconds: number | null;
  /** Mean over the hosts run of the share of time their network function was served. */
  readonly networkAvailability: number;
  readonly controlAvailability: number;
  readonly latencyCriticalRequests: number;
  readonly latencyCriticalLost: number;
  readonly latencyCriticalDelayed: number;
  /** Worst p99 latency of a host's latency-critical guests, seconds; null without them. */
  readonly worstLatencyCriticalP99Seconds: number | null;
  /** Throughput requests completed over those an unfaulted, overhead-free host would complete. */
  readonly throughputCompletedFraction: number | null;
  readonly committedControlOpsLost: number;
}

/** What the `pvm` section adds to a result (`result.extensions.pvm.output`). */
export interface PvmOutput {
  /** Hosts that carried guests and ran a campaign. */
  readonly hostsRun: number;
  /** Hosts that carried less than half a guest on average (no campaign). */
  readonly hostsIdle: number;
  readonly simulatedSeconds: number;
  readonly perDay: Readonly<Record<PvmComponent, number>>;
  readonly totals: readonly PvmArchitectureTotals[];
  readonly hosts: readonly PvmHostRow[];
}

const componentRates = z.strictObject(
  Object.fromEntries(
    PVM_COMPONENTS.map((c) => [
      c,
      z
        .number()
        .min(0)
        .max(1e6)
        .default(PVM_FEATURE_DEFAULTS.perDay[c])
        .describe(
          `Failures of the ${c} component per host and day (Poisson). Default ${PVM_FEATURE_DEFAULTS.perDay[c]} (an assumption).`,
        ),
    ]),
  ) as Record<PvmComponent, z.ZodDefault<z.ZodNumber>>,
);

const settingsObject = z
  .record(z.string(), z.unknown())
  .describe("As in @vx/pvm's resilience scenarios (pvmResilienceSchema).");

const sectionInput = z.strictObject({
  latencyCriticalTypes: z
    .array(z.string().min(1))
    .max(1000)
    .default([...PVM_FEATURE_DEFAULTS.latencyCriticalTypes])
    .describe(
      "VM types whose guests are latency-critical (TailBench-like, open-loop requests); every other VM is a throughput guest (Apache-Bench-like). Default none.",
    ),
  faults: z
    .strictObject({
      perDay: componentRates.prefault({}),
      kinds: z
        .strictObject({
          crash: z.number().min(0).max(1e6).optional(),
          hang: z.number().min(0).max(1e6).optional(),
          corruption: z.number().min(0).max(1e6).optional(),
        })
        .optional()
        .describe(
          "Mix of fault kinds (weights). Default @vx/pvm's: crash 0.5, hang 0.3, corruption 0.2.",
        ),
    })
    .prefault({}),
  architectures: z
    .array(z.enum(PVM_ARCHITECTURE_NAMES as [PvmArchitectureName, ...PvmArchitectureName[]]))
    .min(1)
    .default([...PVM_ARCHITECTURE_NAMES])
    .describe(
      `Architectures compared on the same faults. Default all: ${PVM_ARCHITECTURE_NAMES.join(", ")}.`,
    ),
  host: settingsObject.optional(),
  control: settingsObject.optional(),
  settings: settingsObject.optional(),
  latencyCriticalGuest: settingsObject
    .optional()
    .describe(
      "A latency-critical guest's requests: rate, service, utilisation, timeout, uses (as @vx/pvm's latency-critical guests; count comes from the data center).",
    ),
  throughputGuest: settingsObject
    .optional()
    .describe(
      "A throughput guest's requests: concurrency, request, timeout, uses (as @vx/pvm's throughput guests; count comes from the data center).",
    ),
});

/** Maps a path of `@vx/pvm`'s scenario back to the section's field. */
function sectionPath(path: readonly PropertyKey[]): PropertyKey[] {
  if (path[0] === "guests") {
    const key = path[1] === 0 ? "latencyCriticalGuest" : "throughputGuest";
    return [key, ...path.slice(2)];
  }
  return [...path];
}

/** The section's schema: its own fields, then every `@vx/pvm` setting validated by `@vx/pvm`. */
const pvmSectionSchema: z.ZodType<PvmSection, unknown> = sectionInput.transform((v, ctx) => {
  const input = {
    duration: 86_400,
    seed: 1,
    ...(v.host === undefined ? {} : { host: v.host }),
    ...(v.control === undefined ? {} : { control: v.control }),
    ...(v.settings === undefined ? {} : { settings: v.settings }),
    architectures: v.architectures,
    faults: {
      perDay: v.faults.perDay,
      ...(v.faults.kinds === undefined ? {} : { kinds: v.faults.kinds }),
    },
    guests: [
      { ...(v.latencyCriticalGuest ?? {}), kind: "latency-critical", count: 1 },
      { ...(v.throughputGuest ?? {}), kind: "throughput", count: 1 },
    ],
  } as unknown as ResilienceScenarioInput;
  const parsed = pvmResilienceSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.issues.push({
        code: "custom",
        message: issue.message,
        path: sectionPath(issue.path),
        input: v,
      });
    }
    return z.NEVER;
  }
  return { latencyCriticalTypes: v.latencyCriticalTypes, template: parsed.data };
});

/** Counts of one host's guests over the run, sampled after the placement and every round. */
class GuestSampler {
  /** Per host: latency-critical then throughput VM counts, summed over samples. */
  private readonly sums: Float64Array;
  private samples = 0;

  constructor(
    private readonly hosts: number,
    private readonly latencyCritical: ReadonlySet<string>,
  ) {
    this.sums = new Float64Array(hosts * 2);
  }

  /** Adds the VMs running (or leaving) on each host now. */
  sample(ctx: DatacenterContext): void {
    for (let v = 0; v < ctx.vmCount; v++) {
      const vm = ctx.vm(v);
      if ((vm.state !== "running" && vm.state !== "migrating") || vm.host < 0) continue;
      const slot = vm.host * 2 + (this.latencyCritical.has(vm.type) ? 0 : 1);
      this.sums[slot] = (this.sums[slot] as number) + 1;
    }
    this.samples++;
  }

  /** A host's mean guest counts, rounded: [latency-critical, throughput]. */
  mean(host: number): readonly [number, number] {
    if (this.samples === 0 || host >= this.hosts) return [0, 0];
    return [
      Math.round((this.sums[host * 2] as number) / this.samples),
      Math.round((this.sums[host * 2 + 1] as number) / this.samples),
    ];
  }
}

/** A host's scenario: the template with its guests, the run's duration and its own seed. */
function hostScenario(
  template: ResilienceScenario,
  counts: readonly [number, number],
  durationSeconds: number,
  seed: number,
): ResilienceScenario {
  const guests: ResilienceGuests[] = [];
  for (const g of template.guests) {
    const count = g.kind === "latency-critical" ? counts[0] : counts[1];
    if (count > 0) guests.push({ ...g, count });
  }
  return { ...template, guests, durationSeconds, seed };
}

/** Adds up one architecture's summaries over the hosts. */
function totals(
  architecture: PvmArchitectureName,
  rows: readonly PvmHostRow[],
): PvmArchitectureTotals {
  let faults = 0;
  let reboots = 0;
  let recoverSum = 0;
  let recovered = 0;
  let worstRecover: number | null = null;
  let network = 0;
  let control = 0;
  let lcRequests = 0;
  let lcLost = 0;
  let lcDelayed = 0;
  let worstP99: number | null = null;
  let tpDone = 0;
  let tpIdeal = 0;
  let ctlLost = 0;
  for (const row of rows) {
    const s = row.architectures.find((a) => a.architecture === architecture);
    if (s === undefined) continue;
    faults += s.faults.injected;
    reboots += s.faults.hostReboots;
    const unmasked = s.faults.injected - s.faults.masked;
    if (s.timeToRecover.meanSeconds !== null && unmasked > 0) {
      recoverSum += s.timeToRecover.meanSeconds * unmasked;
      recovered += unmasked;
    }
    const p99 = s.timeToRecover.p99Seconds;
    if (p99 !== null && (worstRecover === null || p99 > worstRecover)) worstRecover = p99;
    network += s.availability.network;
    control += s.availability.control;
    if (s.latencyCritical !== null) {
      lcRequests += s.latencyCritical.requests;
      lcLost += s.latencyCritical.lost;
      lcDelayed += s.latencyCritical.delayed;
      const q = s.latencyCritical.p99LatencySeconds;
      if (q !== null && (worstP99 === null || q > worstP99)) worstP99 = q;
    }
    if (s.throughput !== null) {
      tpDone += s.throughput.completed;
      tpIdeal += s.throughput.ideal;
    }
    ctlLost += s.control.committedLost;
  }
  const n = rows.length;
  return {
    architecture,
    faults,
    hostReboots: reboots,
    meanTimeToRecoverSeconds: recovered > 0 ? recoverSum / recovered : null,
    worstP99TimeToRecoverSeconds: worstRecover,
    networkAvailability: n > 0 ? network / n : 1,
    controlAvailability: n > 0 ? control / n : 1,
    latencyCriticalRequests: lcRequests,
    latencyCriticalLost: lcLost,
    latencyCriticalDelayed: lcDelayed,
    worstLatencyCriticalP99Seconds: worstP99,
    throughputCompletedFraction: tpIdeal > 0 ? tpDone / tpIdeal : null,
    committedControlOpsLost: ctlLost,
  };
}

/** The extension: samples each host's guests during the run, runs the campaigns at its end. */
class PvmCampaignExtension implements DatacenterExtension<PvmOutput> {
  readonly name = "pvm";
  private sampler: GuestSampler | undefined;

  constructor(private readonly section: PvmSection) {}

  start(ctx: DatacenterContext): void {
    this.sampler = new GuestSampler(ctx.hostCount, new Set(this.section.latencyCriticalTypes));
    this.sampler.sample(ctx);
  }

  round(ctx: DatacenterContext): void {
    this.sampler?.sample(ctx);
  }

  end(ctx: DatacenterContext): PvmOutput {
    const template = this.section.template;
    const seeds = ctx.random("seeds");
    const rows: PvmHostRow[] = [];
    let idle = 0;
    for (let h = 0; h < ctx.hostCount; h++) {
      // One draw per host, idle or not, so a host's seed does not depend on the others' guests.
      const seed = seeds.int(0, 2 ** 31 - 1);
      const counts = this.sampler?.mean(h) ?? [0, 0];
      if (counts[0] + counts[1] === 0) {
        idle++;
        continue;
      }
      const campaign = runFaultCampaign(hostScenario(template, counts, ctx.spec.duration, seed), {
        path: ["pvm"],
      });
      rows.push({
        host: h,
        type: ctx.host(h).type,
        latencyCriticalGuests: counts[0],
        throughputGuests: counts[1],
        seed,
        faults: campaign.faultCount,
        architectures: campaign.results.map((r) => r.summary),
      });
    }
    const out: PvmOutput = {
      hostsRun: rows.length,
      hostsIdle: idle,
      simulatedSeconds: ctx.spec.duration,
      perDay: template.faults.perDay,
      totals: template.architectures.map((a) => totals(a, rows)),
      hosts: rows,
    };
    for (const t of out.totals) {
      ctx.metric(`${t.architecture}.hostReboots`, t.hostReboots);
      ctx.metric(`${t.architecture}.latencyCriticalLost`, t.latencyCriticalLost);
      ctx.metric(`${t.architecture}.networkAvailability`, t.networkAvailability);
    }
    return out;
  }
}

const dur = (x: number | null): string =>
  x === null ? "-" : x < 1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(1)} s`;
const pct = (x: number | null): string => (x === null ? "-" : `${(x * 100).toFixed(3)}%`);

/** The `pvm` feature of scenario files (a data-center extension: a fault campaign per host). */
export const pvmFeature: Feature = defineFeature<PvmSection, PvmOutput>({
  name: "pvm",
  description:
    "The resilient privileged VM (@vx/pvm; R-VMM, DSN 2020) on every host: a seeded fault campaign per host that carries guests, with that host's VMs as guests (latency-critical or throughput by VM type), under vanilla Xen, Xoar-like, Remus-like and the resilient pVM.",
  schema: pvmSectionSchema,
  kind: "datacenter",
  check: (value, scenario) => {
    const issues: SectionIssue[] = [];
    value.latencyCriticalTypes.forEach((t, i) => {
      if (scenario.vmTypes[t] === undefined) {
        const path: VxPath = ["latencyCriticalTypes", i];
        issues.push({
          code: "VX_SIM_BAD_PVM",
          message: `${JSON.stringify(t)} is not a VM type of this scenario (vmTypes: ${Object.keys(scenario.vmTypes).join(", ")}).`,
          path,
        });
      }
    });
    return issues;
  },
  extension: (value) => new PvmCampaignExtension(value),
  format: (out) => {
    const rows = [
      [
        "architecture",
        "faults",
        "host reboots",
        "recover mean",
        "recover p99 (worst host)",
        "network up",
        "control up",
        "LC lost",
        "LC p99 (worst host)",
        "TP done",
        "ctl ops lost",
      ],
    ];
    for (const t of out.totals) {
      rows.push([
        t.architecture,
        String(t.faults),
        String(t.hostReboots),
        dur(t.meanTimeToRecoverSeconds),
        dur(t.worstP99TimeToRecoverSeconds),
        pct(t.networkAvailability),
        pct(t.controlAvailability),
        t.latencyCriticalRequests > 0 ? String(t.latencyCriticalLost) : "-",
        dur(t.worstLatencyCriticalP99Seconds),
        pct(t.throughputCompletedFraction),
        String(t.committedControlOpsLost),
      ]);
    }
    const rates = PVM_COMPONENTS.filter((c) => out.perDay[c] > 0)
      .map((c) => `${c} ${out.perDay[c]}`)
      .join(", ");
    return `pVM fault campaigns on ${out.hostsRun} hosts with guests (${out.hostsIdle} idle), failures per host-day: ${rates === "" ? "none" : rates} (pvm section):\n${formatTable(rows)}`;
  },
});
