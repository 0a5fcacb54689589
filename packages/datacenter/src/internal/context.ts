/**
 * The extensions of a run and the context each one receives (see `extension.ts`).
 *
 * @internal
 */

import { type Activity, createRandom, type RandomStream, VxError } from "@vx/core";
import type { Route } from "@vx/migration";
import type {
  ContextMigrateOptions,
  DatacenterContext,
  DatacenterExtension,
  DatacenterNetwork,
  ExtensionResult,
  FlowOptions,
  HostState,
  InServiceOptions,
  VmLifeState,
  VmState,
} from "../extension.js";
import { isSuitable } from "../placement.js";
import type { MigrationRecord } from "../result.js";
import type { DatacenterSpec } from "../spec.js";
import type { Engine } from "./engine.js";

const STATES: readonly VmLifeState[] = ["running", "unplaced", "finished", "lost", "suspended"];

/** Recorded series and metrics of one extension. */
class Contribution {
  readonly series: Map<string, { time: number[]; value: number[] }> = new Map();
  readonly metrics: Map<string, number> = new Map();
}

/** One extension's view of the run. */
class Context implements DatacenterContext {
  private readonly engine: Engine;
  private readonly name: string;
  private readonly out: Contribution;
  private readonly owner: ExtensionHost;
  private net: DatacenterNetwork | undefined;

  constructor(engine: Engine, host: ExtensionHost, name: string, out: Contribution) {
    this.engine = engine;
    this.owner = host;
    this.name = name;
    this.out = out;
  }

  get spec(): DatacenterSpec {
    return this.engine.spec;
  }

  get now(): number {
    return this.engine.now;
  }

  get energyJoules(): number {
    return this.engine.energyJoules;
  }

  get hostCount(): number {
    return this.engine.world.hosts;
  }

  get vmCount(): number {
    return this.engine.world.vms;
  }

  private checkHost(h: number, what: string): void {
    if (!(Number.isInteger(h) && h >= 0 && h < this.engine.world.hosts)) {
      throw new VxError(
        "VX_DC_BAD_HOST",
        `${what}: ${String(h)} is not a host index (0 to ${this.engine.world.hosts - 1}).`,
        { path: ["host"] },
      );
    }
  }

  private checkVm(vm: number, what: string): void {
    if (!(Number.isInteger(vm) && vm >= 0 && vm < this.engine.world.vms)) {
      throw new VxError(
        "VX_DC_BAD_VM",
        `${what}: ${String(vm)} is not a VM index (0 to ${this.engine.world.vms - 1}).`,
        { path: ["vm"] },
      );
    }
  }

  host(h: number): HostState {
    this.checkHost(h, "host");
    const w = this.engine.world;
    return {
      index: h,
      type: this.engine.hostTypeNames[w.hostType[h] as number] ?? "",
      active: w.hostActive[h] === 1,
      inService: w.hostOut[h] === 0,
      vms: (w.hostVms[h] as number[]).slice(),
      incoming: (w.hostIn[h] as number[]).slice(),
      cpuUtilisation: w.hostUtil[h] as number,
      mips: w.hostMips[h] as number,
      ramBytes: w.hostRam[h] as number,
      ramFreeBytes: (w.hostRam[h] as number) - (w.hostRamUsed[h] as number),
    };
  }

  vm(vm: number): VmState {
    this.checkVm(vm, "vm");
    const w = this.engine.world;
    const s = this.engine.vmState[vm] as number;
    const state: VmLifeState =
      s === 0 && w.vmInMigration[vm] === 1 ? "migrating" : (STATES[s] as VmLifeState);
    return {
      index: vm,
      type: this.engine.vmTypeNames[w.vmType[vm] as number] ?? "",
      state,
      host: w.vmHost[vm] as number,
      cores: w.vmCores[vm] as number,
      mips: w.vmMips[vm] as number,
      ramBytes: w.vmRam[vm] as number,
      utilisation: w.vmUtil[vm] as number,
    };
  }

  schedule(delay: number, callback: (time: number) => void): () => void {
    if (!(delay >= 0 && Number.isFinite(delay))) {
      throw new VxError(
        "VX_CORE_BAD_DELAY",
        `schedule: the delay must be a finite number ≥ 0 of seconds; got ${String(delay)}.`,
        { path: ["delay"] },
      );
    }
    const handle = this.engine.sim.schedule(delay, (t: number) => callback(t));
    return () => {
      this.engine.sim.cancel(handle);
    };
  }

  findHost(vm: number, exclude?: (host: number) => boolean): number {
    this.checkVm(vm, "findHost");
    const e = this.engine;
    const w = e.world;
    const source = w.vmHost[vm] as number;
    const excluded = (h: number): boolean =>
      w.hostOut[h] === 1 || h === source || (exclude?.(h) ?? false);
    // One VM: scoring every occupied host is cheaper than rebuilding the placement index.
    return e.placeOne(vm, excluded, false);
  }

  migrate(vm: number, target: number, options: ContextMigrateOptions = {}): boolean {
    this.checkVm(vm, "migrate");
    this.checkHost(target, "migrate");
    const e = this.engine;
    const w = e.world;
    if (e.vmState[vm] !== 0 || w.vmAlive[vm] === 0 || w.vmInMigration[vm] === 1) return false;
    const source = w.vmHost[vm] as number;
    if (source === target || w.hostOut[target] === 1) return false;
    if (!isSuitable(w, target, vm)) return false;
    const t = e.now;
    e.touch(t, [source, target]);
    const touched = new Set<number>();
    e.request(t, vm, target, this.name, options.onEnd, touched);
    for (const h of touched) e.refresh(h, t);
    return true;
  }

  setInService(h: number, inService: boolean, options: InServiceOptions = {}): void {
    this.checkHost(h, "setInService");
    const e = this.engine;
    const w = e.world;
    const t = e.now;
    if (inService) {
      if (w.hostOut[h] === 0) return;
      w.hostOut[h] = 0;
      this.owner.outCount--;
      e.touch(t, [h]);
      e.refresh(h, t);
      return;
    }
    const mode = options.vms ?? "require-empty";
    const list = w.hostVms[h] as number[];
    if (w.hostOut[h] === 1 && (mode !== "lose" || list.length === 0)) return;
    if (mode === "keep") {
      // Draining: the VMs stay; only placement onto the host stops.
      w.hostOut[h] = 1;
      this.owner.outCount++;
      return;
    }
    if (list.length > 0 && mode === "require-empty") {
      throw new VxError(
        "VX_DC_HOST_NOT_EMPTY",
        `setInService: host ${h} still holds or receives ${list.length} VM(s) (${list.slice(0, 5).join(", ")}${list.length > 5 ? ", …" : ""}); migrate them first, or pass { vms: "lose" }.`,
        { path: ["host"] },
      );
    }
    e.touch(t, [h]);
    e.failMigrationsOf(h, t);
    for (const vm of (w.hostVms[h] as number[]).slice()) {
      if (w.isIncoming(h, vm)) continue;
      w.remove(h, vm);
      e.loseVm(vm, t);
    }
    if (w.hostOut[h] === 0) {
      w.hostOut[h] = 1;
      this.owner.outCount++;
    }
    e.refresh(h, t);
  }

  suspendVm(vm: number): boolean {
    this.checkVm(vm, "suspendVm");
    const e = this.engine;
    const w = e.world;
    if (e.vmState[vm] !== 0 || w.vmAlive[vm] === 0 || w.vmInMigration[vm] === 1) return false;
    const t = e.now;
    const h = w.vmHost[vm] as number;
    e.touch(t, [h]);
    w.remove(h, vm);
    w.vmHost[vm] = -1;
    w.vmAlive[vm] = 0;
    e.vmState[vm] = 4;
    e.suspendTime(vm, t, true);
    e.refresh(h, t);
    return true;
  }

  resumeVm(vm: number, host?: number): number {
    this.checkVm(vm, "resumeVm");
    const e = this.engine;
    const w = e.world;
    if (e.vmState[vm] !== 4) return -1;
    const t = e.now;
    // A resumed VM asks what its workload asks now.
    e.sampleDemand(vm, t);
    let h: number;
    if (host !== undefined) {
      this.checkHost(host, "resumeVm");
      h = w.hostOut[host] === 0 && isSuitable(w, host, vm) ? host : -1;
    } else {
      const excluded = (x: number): boolean => w.hostOut[x] === 1;
      h = e.placeOne(vm, excluded, false);
    }
    if (h < 0) return -1;
    e.touch(t, [h]);
    w.add(h, vm);
    w.vmHost[vm] = h;
    w.vmAlive[vm] = 1;
    e.vmState[vm] = 0;
    e.suspendTime(vm, t, false);
    e.refresh(h, t);
    return h;
  }

  workload(vm: number, time?: number): number {
    this.checkVm(vm, "workload");
    const t = time ?? this.engine.now;
    if (!(t >= 0 && Number.isFinite(t))) {
      throw new VxError(
        "VX_CORE_BAD_DELAY",
        `workload: the time must be a finite number ≥ 0 of seconds; got ${String(time)}.`,
        { path: ["time"] },
      );
    }
    return this.engine.workloadAt(vm, t);
  }

  holdHost(h: number): () => void {
    this.checkHost(h, "holdHost");
    const e = this.engine;
    const w = e.world;
    const t = e.now;
    e.touch(t, [h]);
    w.hostHeld[h] = (w.hostHeld[h] as number) + 1;
    e.refresh(h, t);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const now = e.now;
      e.touch(now, [h]);
      w.hostHeld[h] = (w.hostHeld[h] as number) - 1;
      e.refresh(h, now);
    };
  }

  get network(): DatacenterNetwork {
    if (this.net === undefined) {
      const topology = this.engine.network();
      const engine = this.engine;
      this.net = {
        fluid: topology.fluid,
        route: (a: number, b: number): Route => {
          this.checkHost(a, "route");
          this.checkHost(b, "route");
          if (a === b) {
            throw new VxError("VX_DC_BAD_HOST", "route: the two hosts must differ.", {
              path: ["host"],
            });
          }
          return topology.route(a, b);
        },
        startFlow: (o: FlowOptions): Activity => {
          this.checkHost(o.from, "startFlow");
          this.checkHost(o.to, "startFlow");
          if (o.from === o.to || !(o.bytes > 0 && Number.isFinite(o.bytes))) {
            throw new VxError(
              "VX_DC_BAD_FLOW",
              "startFlow: give two different hosts and a finite number of bytes > 0.",
              { path: ["bytes"] },
            );
          }
          const route = topology.route(o.from, o.to);
          const t0 = engine.now;
          return topology.fluid.start({
            amount: o.bytes,
            resources: route.resources,
            latency: route.latencySeconds ?? 0,
            ...(o.bound === undefined ? {} : { bound: o.bound }),
            name: o.name ?? `${this.name}-flow`,
            onEnd: (a: Activity) => {
              const sent = a.amount - (a.outcome?.remaining ?? 0);
              topology.carry(route.resources, t0, engine.now, sent);
              o.onEnd?.(a);
            },
          });
        },
      };
    }
    return this.net;
  }

  random(stream: string): RandomStream {
    return createRandom(this.engine.spec.seed).stream(`extensions/${this.name}/${stream}`);
  }

  record(series: string, value: number): void {
    let s = this.out.series.get(series);
    if (s === undefined) {
      s = { time: [], value: [] };
      this.out.series.set(series, s);
    }
    s.time.push(this.engine.now);
    s.value.push(value);
  }

  metric(name: string, value: number): void {
    this.out.metrics.set(name, value);
  }
}

/** The extensions of a run: their contexts and hooks. */
export class ExtensionHost {
  private readonly list: readonly {
    readonly ext: DatacenterExtension;
    readonly ctx: Context;
    readonly out: Contribution;
  }[];
  /** Hosts out of service now. */
  outCount = 0;

  constructor(engine: Engine, extensions: readonly DatacenterExtension[]) {
    const names = new Set<string>();
    this.list = extensions.map((ext, i) => {
      if (typeof ext?.name !== "string" || ext.name === "" || names.has(ext.name)) {
        throw new VxError(
          "VX_DC_BAD_EXTENSION",
          `extension ${i} needs a name of its own (got ${JSON.stringify(ext?.name)}).`,
          { path: ["extensions", i, "name"] },
        );
      }
      for (const hook of ["start", "round", "migrationEnded", "end"] as const) {
        if (ext[hook] !== undefined && typeof ext[hook] !== "function") {
          throw new VxError(
            "VX_DC_BAD_EXTENSION",
            `extension ${JSON.stringify(ext.name)}: ${hook} must be a function when given.`,
            { path: ["extensions", i, hook] },
          );
        }
      }
      names.add(ext.name);
      const out = new Contribution();
      return { ext, ctx: new Context(engine, this, ext.name, out), out };
    });
  }

  /** Whether any host is out of service (placement then excludes them). */
  get anyOutOfService(): boolean {
    return this.outCount > 0;
  }

  /** Whether some extension listens to migration ends. */
  get wantsMigrations(): boolean {
    return this.list.some((x) => x.ext.migrationEnded !== undefined);
  }

  start(): void {
    for (const x of this.list) x.ext.start?.(x.ctx);
  }

  round(): void {
    for (const x of this.list) x.ext.round?.(x.ctx);
  }

  migrationEnded(record: MigrationRecord): void {
    for (const x of this.list) x.ext.migrationEnded?.(x.ctx, record);
  }

  /** Calls the end hooks; returns each extension's contribution (undefined without extensions). */
  end(): Record<string, ExtensionResult> | undefined {
    if (this.list.length === 0) return undefined;
    const out: Record<string, ExtensionResult> = {};
    for (const x of this.list) {
      const output = x.ext.end?.(x.ctx) ?? null;
      const series: Record<string, { time: number[]; value: number[] }> = {};
      for (const [k, v] of x.out.series) series[k] = v;
      const metrics: Record<string, number> = {};
      for (const [k, v] of x.out.metrics) metrics[k] = v;
      out[x.ext.name] = { output, series, metrics };
    }
    return out;
  }
}
