/**
 * The step engine behind `simulatePvm`: guests' demand, the pVM's pools and placement, CPU shares,
 * memory traffic on the fabric, and the metrics, advanced one step at a time over typed arrays.
 *
 * Per step (all guests at once): levels → item demands → (Closer) controller with dead time →
 * per-pool max-min CPU shares → served items → aggregate memory traffic per class → the fabric
 * (closed form when nothing is oversubscribed, else the fluid solver) → metrics.
 *
 * @module
 */

import {
  createRandom,
  FluidSystem,
  formatBytes,
  Simulation,
  type TimeSeriesJSON,
  VxError,
  type VxPath,
} from "@vx/core";
import { CpuLedger, MemoryFabric, MemoryLedger, nodesByDistance, type Topology } from "@vx/numa";
import type { PvmScenario, TaskCost } from "../config.js";
import type { GuestResult, PvmPolicy, PvmRunResult, PvmSeries, PvmSummary } from "../result.js";
import { type LevelSource, levelSource } from "./demand.js";
import { LogHistogram } from "./log-histogram.js";

const KINDS = ["netback", "blkback", "deviceModel"] as const;
const PAGE_BYTES = 4096;

function doesNotFit(path: VxPath, message: string): never {
  throw new VxError("VX_PVM_DOES_NOT_FIT", message, { path });
}

/**
 * Max-min shares of one pool (progressive filling): demands `x[ids[i]]` (each already capped at
 * one vCPU) share capacity `cap`; writes the shares to `a` and returns their sum.
 */
function waterfill(
  ids: Int32Array,
  count: number,
  x: Float64Array,
  a: Float64Array,
  cap: number,
): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += x[ids[i]!]!;
  if (sum <= cap) {
    for (let i = 0; i < count; i++) a[ids[i]!] = x[ids[i]!]!;
    return sum;
  }
  // Raise a common level; demands at or below it are met in full and leave the rest more room.
  let remaining = cap;
  let active = count;
  let prev = 0;
  let level = 0;
  for (;;) {
    level = remaining / active;
    let k = 0;
    let s = 0;
    for (let i = 0; i < count; i++) {
      const v = x[ids[i]!]!;
      if (v > prev && v <= level) {
        k++;
        s += v;
      }
    }
    if (k === 0 || k === active) break;
    remaining -= s;
    active -= k;
    prev = level;
  }
  let used = 0;
  for (let i = 0; i < count; i++) {
    const v = x[ids[i]!]!;
    const share = v < level ? v : level;
    a[ids[i]!] = share;
    used += share;
  }
  return used;
}

/** Inputs of {@link runPvm}. */
export interface EngineInput {
  readonly scenario: PvmScenario;
  readonly topology: Topology;
  readonly policy: PvmPolicy;
  /** Path prefix of the scenario, for errors. */
  readonly path: VxPath;
}

/** Runs one policy over the scenario. */
export function runPvm(input: EngineInput): PvmRunResult {
  const { scenario, topology, policy } = input;
  const at = (...p: (string | number)[]): VxPath => [...input.path, ...p];
  const n = topology.nodes.length;
  const pvm = scenario.pvm;
  const costs = scenario.backends;
  const dt = scenario.stepSeconds;
  const ticks = Math.max(1, Math.round(scenario.durationSeconds / dt));
  const sampleTicks = Math.max(1, Math.round(scenario.sampleSeconds / dt));

  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const fabric = new MemoryFabric(fluid, topology);
  const memory = new MemoryLedger(topology, { clock: sim, pageBytes: PAGE_BYTES });
  const guestCpus = new CpuLedger(topology, { vcpusPerCpu: pvm.vcpusPerCpu });

  // Latency factor lf[c * n + m] = latency(c → m) / latency(c → c).
  const lf = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const row = topology.latencySeconds[c]!;
    for (let m = 0; m < n; m++) lf[c * n + m] = row[m]! / row[c]!;
  }

  // ---- the pVM's memory, reserved at boot before any guest starts -----------------------------
  const pvmDomain = memory.addDomain("pvm");
  const closer = policy === "closer";
  {
    const [bytes, node, where] = closer
      ? [pvm.baseMemoryBytes, pvm.homeNode, at("pvm", "baseMemory")]
      : [pvm.static.memoryBytes, pvm.static.memoryNode, at("pvm", "static", "memory")];
    if (memory.allocate(pvmDomain, bytes, { kind: "bind", nodes: [node] }).shortfallPages > 0) {
      doesNotFit(
        where,
        `the pVM's ${formatBytes(bytes)} do not fit on node ${node} (${formatBytes(topology.nodes[node]!.memoryBytes)}).`,
      );
    }
  }

  // ---- guests ---------------------------------------------------------------------------------
  const names: string[] = [];
  const home: number[] = [];
  const sources: LevelSource[] = [];
  const guestCpuDemand = new Float64Array(n);
  const lamG: number[] = []; // per guest, per CPU node: mean latency factor to its memory
  const memNodes: number[][] = [];
  const memFrac: number[][] = [];
  const root = createRandom(scenario.seed);
  const taskList: { g: number; k: number; peak: number; bytes: number }[] = [];
  scenario.guests.forEach((group, gi) => {
    for (let i = 0; i < group.count; i++) {
      const g = names.length;
      const name = `${group.name}-${i}`;
      names.push(name);
      const placed = guestCpus.place(
        name,
        group.vcpus,
        group.node === "spread" ? { kind: "node-local" } : { kind: "node-local", node: group.node },
      );
      if (placed.unplaced > 0) {
        doesNotFit(
          at("guests", gi, "count"),
          `guest ${name} needs ${group.vcpus} vCPUs but the host's CPUs are full at ${pvm.vcpusPerCpu} vCPUs per CPU; use fewer guests or raise pvm.vcpusPerCpu.`,
        );
      }
      let h = 0;
      for (let m = 1; m < n; m++) if (placed.perNode[m]! > placed.perNode[h]!) h = m;
      home.push(h);
      for (let m = 0; m < n; m++) guestCpuDemand[m]! += placed.perNode[m]! * group.cpuUtilisation;
      const d = memory.addDomain(name);
      const r = memory.allocate(
        d,
        group.memoryBytes,
        { kind: "first-touch" },
        { cpuNode: [...placed.perNode] },
      );
      if (r.shortfallPages > 0) {
        doesNotFit(
          at("guests", gi, "memory"),
          `guest ${name} (${formatBytes(group.memoryBytes)}) does not fit: the host's memory is full; use fewer or smaller guests.`,
        );
      }
      const pages = memory.domainPages(d);
      const total = memory.totalPages(d);
      const nodesOf: number[] = [];
      const fracOf: number[] = [];
      for (let m = 0; m < n; m++) {
        if (pages[m]! > 0) {
          nodesOf.push(m);
          fracOf.push(pages[m]! / total);
        }
      }
      if (total === 0) {
        nodesOf.push(h);
        fracOf.push(1);
      }
      memNodes.push(nodesOf);
      memFrac.push(fracOf);
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let q = 0; q < nodesOf.length; q++) s += fracOf[q]! * lf[c * n + nodesOf[q]!]!;
        lamG.push(s);
      }
      sources.push(levelSource(group.demand, root.stream(`guest/${g}`)));
      const peaks = [
        group.network.bytesPerSecond / group.network.packetBytes,
        group.block.requestsPerSecond,
        group.deviceModel.requestsPerSecond,
      ];
      const sizes = [
        group.network.packetBytes,
        group.block.requestBytes,
        group.deviceModel.requestBytes,
      ];
      for (let k = 0; k < 3; k++) {
        if (peaks[k]! > 0) taskList.push({ g, k, peak: peaks[k]!, bytes: sizes[k]! });
      }
    }
  });
  const G = names.length;

  // ---- tasks (one per guest and backend kind with work to do) ---------------------------------
  const T = taskList.length;
  const tGuest = Int32Array.from(taskList, (t) => t.g);
  const tKind = Int32Array.from(taskList, (t) => t.k);
  const tPeak = Float64Array.from(taskList, (t) => t.peak);
  const tBytes = Float64Array.from(taskList, (t) => t.bytes);
  const kindCost: TaskCost[] = KINDS.map((k) => costs[k]);
  const copyTime = 1 / costs.copyBytesPerSecond;
  const deviceNode = [pvm.nicNode, pvm.storageNode, pvm.storageNode];
  // Per-task constants, flat, so the per-step loops touch only typed arrays.
  const tHome = Int32Array.from(taskList, (t) => home[t.g]!);
  const tDevice = Int32Array.from(taskList, (t) => deviceNode[t.k]!);
  const tMeta = Float64Array.from(taskList, (t) => kindCost[t.k]!.metadataBytes);
  const tBuf = Float64Array.from(taskList, (t) => kindCost[t.k]!.bufferBytes);
  /** The node of the guest's memory when it is all on one node, else -1 (use memNodes/memFrac). */
  const tMem = Int32Array.from(taskList, (t) =>
    memNodes[t.g]!.length === 1 ? memNodes[t.g]![0]! : -1,
  );
  // Tasks grouped by their guest's home node.
  const byHomeStart = new Int32Array(n + 1);
  for (let t = 0; t < T; t++) byHomeStart[tHome[t]! + 1]!++;
  for (let h = 0; h < n; h++) byHomeStart[h + 1]! += byHomeStart[h]!;
  const byHome = new Int32Array(T);
  {
    const fill = byHomeStart.slice(0, n);
    for (let t = 0; t < T; t++) byHome[fill[tHome[t]!]!++] = t;
  }

  /** CPU seconds per item for task t with CPU weights w[h*n+c] and buffer weights b[h*n+m] of group h. */
  const W = new Float64Array(n * n); // per home group: CPU node weights
  const B = new Float64Array(n * n); // per home group: buffer node weights
  const lamB = new Float64Array(n * n); // per home group, per CPU node
  const cost = new Float64Array(T);
  const costLocal = new Float64Array(T);
  const itemCost = (t: number, h: number, weights: Float64Array, lamBuf: Float64Array): number => {
    const g = tGuest[t]!;
    const kc = kindCost[tKind[t]!]!;
    const s = kc.memoryStallFraction;
    const b = kc.bufferShare;
    const copy = tBytes[t]! * copyTime;
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const w = weights[h * n + c]!;
      if (w === 0) continue;
      const lb = lamBuf[h * n + c]!;
      const lg = lamG[g * n + c]!;
      sum +=
        w * (kc.cpuSecondsPerItem * (1 - s + s * (b * lb + (1 - b) * lg)) + (copy * (lb + lg)) / 2);
    }
    return sum;
  };
  const updateGroup = (h: number): void => {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let m = 0; m < n; m++) s += B[h * n + m]! * lf[c * n + m]!;
      lamB[h * n + c] = s;
    }
    for (let i = byHomeStart[h]!; i < byHomeStart[h + 1]!; i++) {
      const t = byHome[i]!;
      cost[t] = itemCost(t, h, W, lamB);
    }
  };
  {
    // All-local cost (CPU and buffers on the guest's home node): what Closer sizes for.
    const Wl = new Float64Array(n * n);
    const Ll = new Float64Array(n * n);
    for (let h = 0; h < n; h++) {
      Wl[h * n + h] = 1;
      for (let c = 0; c < n; c++) Ll[h * n + c] = lf[c * n + h]!;
    }
    for (let t = 0; t < T; t++) costLocal[t] = itemCost(t, tHome[t]!, Wl, Ll);
  }

  // ---- the pVM --------------------------------------------------------------------------------
  const pvmCpus = new CpuLedger(topology);
  const vcpus = new Float64Array(n); // vCPUs held per node (pool capacity)
  const poolOf = new Int32Array(n); // pool (node) serving each home group
  const bufPages = new Float64Array(n); // Closer: buffer pages held per node
  const local = new Float64Array(n).fill(1); // Closer: share of node h's buffers held on h
  const avail = new Float64Array(n); // Closer: most vCPUs a node can give the pVM
  const cs = pvm.closer;
  if (!closer) {
    const st = pvm.static;
    const r = pvmCpus.place("pvm", st.vcpus, { kind: "spread", nodes: st.nodes });
    if (r.unplaced > 0) {
      doesNotFit(
        at("pvm", "static", "vcpus"),
        `${st.vcpus} dedicated vCPUs do not fit on the CPUs of nodes ${st.nodes.join(", ")}.`,
      );
    }
    for (let m = 0; m < n; m++) vcpus[m] = r.perNode[m]!;
    for (let h = 0; h < n; h++) {
      poolOf[h] = 0; // a single pool
      for (let c = 0; c < n; c++) W[h * n + c] = vcpus[c]! / st.vcpus;
      B[h * n + st.memoryNode] = 1;
      updateGroup(h);
    }
  } else {
    for (let m = 0; m < n; m++) {
      avail[m] = Math.max(
        0,
        Math.floor(topology.nodes[m]!.cpus.length - guestCpuDemand[m]! + 1e-9),
      );
    }
    avail[pvm.homeNode] = Math.max(avail[pvm.homeNode]!, cs.minHomeVcpus);
    vcpus[pvm.homeNode] = cs.minHomeVcpus;
  }
  const order = Array.from({ length: n }, (_, h) => nodesByDistance(topology, h));
  const assignPools = (): void => {
    for (let h = 0; h < n; h++) {
      let p = h;
      if (vcpus[h] === 0)
        for (const m of order[h]!)
          if (vcpus[m]! > 0) {
            p = m;
            break;
          }
      const changed = poolOf[h] !== p;
      poolOf[h] = p;
      const ell = local[h]!;
      let dirty = changed;
      for (let m = 0; m < n; m++) {
        const want = m === h ? (h === pvm.homeNode ? 1 : ell) : m === pvm.homeNode ? 1 - ell : 0;
        if (B[h * n + m] !== want) {
          B[h * n + m] = want;
          dirty = true;
        }
        const wc = m === p ? 1 : 0;
        if (W[h * n + m] !== wc) {
          W[h * n + m] = wc;
          dirty = true;
        }
      }
      if (dirty) updateGroup(h);
    }
  };
  if (closer) assignPools();

  // Closer's dead time: applied(j) = max of desired over [j − delay − hold, j − delay].
  const delayTicks = Math.round(cs.reactionDelaySeconds / dt);
  const holdTicks = Math.round(cs.shrinkHoldSeconds / dt);
  const ringLen = delayTicks + holdTicks + 1;
  const wantCpu = new Float64Array(ringLen * n);
  const wantBuf = new Float64Array(ringLen * n);
  const neededBuf = new Float64Array(n);
  const winCpu = new Float64Array(n).fill(-1); // max of desired vCPUs over the window
  const winBuf = new Float64Array(n).fill(-1);
  const winCpuAt = new Float64Array(n).fill(-1); // step of that max
  const winBufAt = new Float64Array(n).fill(-1);
  let seenLast = -1;
  const bufHeadroom = 1 + cs.bufferHeadroom;

  // ---- per-step state -------------------------------------------------------------------------
  const level = new Float64Array(G);
  const demand = new Float64Array(T); // items/s asked
  const cpuWant = new Float64Array(T); // CPU asked, capped at one vCPU
  const alloc = new Float64Array(T); // CPU granted
  const served = new Float64Array(T); // items/s served (before the fabric)
  const poolTasks = new Int32Array(T);
  const poolUse = new Float64Array(n);
  const S = new Float64Array(n * n); // per group: DMA bytes/s per device node
  const GW = new Float64Array(n * n); // per group: bytes/s written to guest memory per node
  const groupBytes = new Float64Array(n);
  const groupMeta = new Float64Array(n);
  const phi = new Float64Array(n);

  // ---- accumulators ---------------------------------------------------------------------------
  const hist = new LogHistogram();
  const guestDemand = new Float64Array(G);
  const guestServed = new Float64Array(G);
  const guestLat = new Float64Array(G);
  const guestLatW = new Float64Array(G);
  // Run totals, in a typed array: closure variables holding doubles would box on every store.
  const acc = new Float64Array(14);
  const A_DEMAND = 0;
  const A_SERVED = 1;
  const A_LAT = 2;
  const A_LAT_WEIGHT = 3;
  const A_ACCESS = 4;
  const A_REMOTE = 5;
  const A_CPU_USED = 6;
  const A_CPU_HELD = 7;
  const A_CPU_HELD_MAX = 8;
  const A_MEM_USED = 9;
  const A_MEM_HELD = 10;
  const A_MEM_HELD_MAX = 11;
  const A_SHORT_STEPS = 12;
  const A_SATURATED_STEPS = 13;
  const nSamples = Math.ceil(ticks / sampleTicks);
  const sTime = new Float64Array(nSamples);
  const sDemand = new Float64Array(nSamples);
  const sServed = new Float64Array(nSamples);
  const sLat = new Float64Array(nSamples);
  const sLatW = new Float64Array(nSamples);
  const sAccess = new Float64Array(nSamples);
  const sRemote = new Float64Array(nSamples);
  const sCpuUsed = new Float64Array(nSamples);
  const sCpuRes = new Float64Array(nSamples);
  const sMemUsed = new Float64Array(nSamples);
  const sMemRes = new Float64Array(nSamples);
  const sVcpus = new Float64Array(nSamples * n);
  const sTicks = new Float64Array(nSamples);

  let j = 0;
  let pending = false;

  const closerControl = (): void => {
    // Desired vCPUs and buffer pages per node from this step's demand (sized all-local).
    const slot = j % ringLen;
    neededBuf.fill(0);
    for (let h = 0; h < n; h++) {
      let cpu = 0;
      let buf = 0;
      for (let i = byHomeStart[h]!; i < byHomeStart[h + 1]!; i++) {
        const t = byHome[i]!;
        const d = demand[t]!;
        if (d <= 0) continue;
        const c = d * costLocal[t]!;
        cpu += c < 1 ? c : 1;
        buf += tBuf[t]!;
      }
      neededBuf[h] = buf;
      let want = Math.ceil(cpu / cs.targetUtilisation - 1e-9);
      if (h === pvm.homeNode && want < cs.minHomeVcpus) want = cs.minHomeVcpus;
      wantCpu[slot * n + h] = want;
      wantBuf[slot * n + h] = Math.ceil((buf * bufHeadroom) / PAGE_BYTES);
    }
    let poolsChanged = false;
    // Warm start: before the run, the demand is taken to have been the initial one forever.
    const last = cs.warmStart ? Math.max(0, j - delayTicks) : j - delayTicks;
    const first = Math.max(0, last - holdTicks);
    const entered = last > seenLast;
    for (let h = 0; h < n; h++) {
      let cpu = h === pvm.homeNode ? cs.minHomeVcpus : 0;
      let buf = 0;
      if (last >= 0) {
        // Sliding-window maxima, updated as entries come in and rescanned only when the maximum
        // leaves the window.
        if (entered) {
          const s = (last % ringLen) * n + h;
          if (wantCpu[s]! >= winCpu[h]!) {
            winCpu[h] = wantCpu[s]!;
            winCpuAt[h] = last;
          }
          if (wantBuf[s]! >= winBuf[h]!) {
            winBuf[h] = wantBuf[s]!;
            winBufAt[h] = last;
          }
        }
        if (winCpuAt[h]! < first || winBufAt[h]! < first) {
          winCpu[h] = -1;
          winBuf[h] = -1;
          for (let i = first; i <= last; i++) {
            const s = (i % ringLen) * n + h;
            if (wantCpu[s]! >= winCpu[h]!) {
              winCpu[h] = wantCpu[s]!;
              winCpuAt[h] = i;
            }
            if (wantBuf[s]! >= winBuf[h]!) {
              winBuf[h] = wantBuf[s]!;
              winBufAt[h] = i;
            }
          }
        }
        cpu = winCpu[h]!;
        buf = winBuf[h]!;
      }
      if (cpu > avail[h]!) cpu = avail[h]!;
      if (vcpus[h] !== cpu) {
        if ((vcpus[h] === 0) !== (cpu === 0)) poolsChanged = true;
        vcpus[h] = cpu;
      }
      const have = bufPages[h]!;
      if (buf > have)
        bufPages[h] =
          have +
          memory.allocatePages(pvmDomain, buf - have, { kind: "bind", nodes: [h] }).allocatedPages;
      else if (buf < have) bufPages[h] = have - memory.freePages(pvmDomain, have - buf, h);
      const need = neededBuf[h]!;
      const ell = need > 0 ? Math.min(1, (bufPages[h]! * PAGE_BYTES) / need) : 1;
      if (ell !== local[h]) {
        local[h] = ell;
        poolsChanged = true;
      }
    }
    if (last > seenLast) seenLast = last;
    if (poolsChanged) assignPools();
  };

  const prepare = (): void => {
    const now = j * dt;
    for (let g = 0; g < G; g++) level[g] = sources[g]!.at(now);
    for (let t = 0; t < T; t++) demand[t] = level[tGuest[t]!]! * tPeak[t]!;
    if (closer) closerControl();

    // CPU: max-min shares in each pool; each backend thread uses at most one vCPU.
    for (let t = 0; t < T; t++) {
      const c = demand[t]! * cost[t]!;
      cpuWant[t] = c < 1 ? c : 1;
    }
    if (!closer) {
      poolUse[0] = waterfill(byHome, T, cpuWant, alloc, pvm.static.vcpus);
    } else {
      poolUse.fill(0);
      for (let p = 0; p < n; p++) {
        if (vcpus[p] === 0) continue;
        let count = 0;
        for (let h = 0; h < n; h++) {
          if (poolOf[h] !== p) continue;
          for (let i = byHomeStart[h]!; i < byHomeStart[h + 1]!; i++)
            poolTasks[count++] = byHome[i]!;
        }
        if (count > 0) poolUse[p] = waterfill(poolTasks, count, cpuWant, alloc, vcpus[p]!);
      }
    }

    // Served items, and the memory traffic they make: device DMA into the buffers, the copy's
    // reads of them and its writes to the guest's memory.
    S.fill(0);
    GW.fill(0);
    groupBytes.fill(0);
    groupMeta.fill(0);
    for (let t = 0; t < T; t++) {
      const a = alloc[t]!;
      const r = a > 0 ? a / cost[t]! : 0;
      served[t] = r;
      if (r === 0) continue;
      const h = tHome[t]!;
      const bytes = r * tBytes[t]!;
      S[h * n + tDevice[t]!]! += bytes;
      groupBytes[h]! += bytes;
      groupMeta[h]! += r * tMeta[t]!;
      const mem = tMem[t]!;
      if (mem >= 0) GW[h * n + mem]! += bytes;
      else {
        const g = tGuest[t]!;
        const mn = memNodes[g]!;
        const mf = memFrac[g]!;
        for (let q = 0; q < mn.length; q++) GW[h * n + mn[q]!]! += bytes * mf[q]!;
      }
    }
    fabric.clearDemands();
    for (let h = 0; h < n; h++) {
      if (groupBytes[h] === 0) continue;
      for (let m = 0; m < n; m++) {
        const bm = B[h * n + m]!;
        if (bm === 0) continue;
        for (let k = 0; k < n; k++) {
          const dma = S[h * n + k]!;
          if (dma > 0) fabric.addDemand(1, k, m, dma * bm);
        }
        for (let c = 0; c < n; c++) {
          const wc = W[h * n + c]!;
          if (wc > 0) fabric.addDemand(0, c, m, groupBytes[h]! * wc * bm);
        }
      }
      for (let c = 0; c < n; c++) {
        const wc = W[h * n + c]!;
        if (wc === 0) continue;
        for (let m = 0; m < n; m++) {
          const x = GW[h * n + m]!;
          if (x > 0) fabric.addDemand(1, c, m, x * wc);
        }
      }
    }
    pending = fabric.commit();
  };

  const finish = (): void => {
    // Share of its traffic each home group got from the fabric: the least over the classes it uses.
    const saturated = pending;
    if (saturated) acc[A_SATURATED_STEPS]!++;
    for (let h = 0; h < n; h++) {
      let f = 1;
      if (saturated && groupBytes[h]! > 0) {
        for (let m = 0; m < n; m++) {
          const bm = B[h * n + m]!;
          if (bm === 0) continue;
          for (let k = 0; k < n; k++)
            if (S[h * n + k]! > 0) f = Math.min(f, fabric.fractionAt(1, k, m));
          for (let c = 0; c < n; c++)
            if (W[h * n + c]! > 0) f = Math.min(f, fabric.fractionAt(0, c, m));
        }
        for (let c = 0; c < n; c++) {
          if (W[h * n + c] === 0) continue;
          for (let m = 0; m < n; m++)
            if (GW[h * n + m]! > 0) f = Math.min(f, fabric.fractionAt(1, c, m));
        }
      }
      phi[h] = f;
    }

    const sample = Math.floor(j / sampleTicks);
    let stepDemand = 0;
    let stepServed = 0;
    let stepLat = 0;
    let stepLatW = 0;
    let cpuUsed = 0;
    let memUsed = pvm.baseMemoryBytes;
    for (let t = 0; t < T; t++) {
      const d = demand[t]!;
      if (d <= 0) continue;
      const g = tGuest[t]!;
      const h = tHome[t]!;
      const r = served[t]! * phi[h]!;
      const bytes = tBytes[t]!;
      stepDemand += d * bytes;
      stepServed += r * bytes;
      guestDemand[g]! += d * bytes;
      guestServed[g]! += r * bytes;
      cpuUsed += r * cost[t]!;
      memUsed += tBuf[t]!;
      if (r <= 0) continue;
      const pool = closer ? poolOf[h]! : 0;
      const cap = closer ? vcpus[pool]! : pvm.static.vcpus;
      const rho = poolUse[pool]! / cap;
      const ring = pvm.ringSlots / r;
      let lat: number;
      if (r < d * (1 - 1e-9) || rho >= 1 - 1e-9) lat = ring;
      else {
        lat = cost[t]! / (1 - rho);
        if (lat > ring) lat = ring;
      }
      const w = r * dt;
      hist.add(lat, w);
      stepLat += lat * w;
      stepLatW += w;
      guestLat[g]! += lat * w;
      guestLatW[g]! += w;
    }
    // Remote accesses of the pVM's vCPUs: reading buffers, writing guest memory, metadata (half each).
    let access = 0;
    let remote = 0;
    for (let h = 0; h < n; h++) {
      const f = phi[h]!;
      const rd = groupBytes[h]! * f;
      if (rd === 0) continue;
      let localRead = 0;
      let wr = 0;
      let localWrite = 0;
      for (let c = 0; c < n; c++) {
        const wc = W[h * n + c]!;
        localRead += wc * B[h * n + c]!;
        localWrite += wc * GW[h * n + c]!;
      }
      for (let m = 0; m < n; m++) wr += GW[h * n + m]!;
      const meta = groupMeta[h]! * f;
      const remoteWriteShare = wr > 0 ? 1 - localWrite / wr : 0;
      access += rd + wr * f + meta;
      remote +=
        rd * (1 - localRead) +
        wr * f * remoteWriteShare +
        (meta / 2) * (1 - localRead + remoteWriteShare);
    }
    let cpuRes = 0;
    for (let m = 0; m < n; m++) cpuRes += vcpus[m]!;
    let memRes: number;
    if (closer) {
      let pages = 0;
      for (let m = 0; m < n; m++) pages += bufPages[m]!;
      memRes = pvm.baseMemoryBytes + pages * PAGE_BYTES;
    } else {
      memRes = pvm.static.memoryBytes;
    }
    if (memUsed > memRes * (1 + 1e-12)) acc[A_SHORT_STEPS]!++;

    acc[A_DEMAND]! += stepDemand;
    acc[A_SERVED]! += stepServed;
    acc[A_LAT]! += stepLat;
    acc[A_LAT_WEIGHT]! += stepLatW;
    acc[A_ACCESS]! += access;
    acc[A_REMOTE]! += remote;
    acc[A_CPU_USED]! += cpuUsed;
    acc[A_CPU_HELD]! += cpuRes;
    acc[A_MEM_USED]! += memUsed;
    acc[A_MEM_HELD]! += memRes;
    if (cpuRes > acc[A_CPU_HELD_MAX]!) acc[A_CPU_HELD_MAX] = cpuRes;
    if (memRes > acc[A_MEM_HELD_MAX]!) acc[A_MEM_HELD_MAX] = memRes;
    if (sTicks[sample] === 0) sTime[sample] = j * dt;
    sTicks[sample]!++;
    sDemand[sample]! += stepDemand;
    sServed[sample]! += stepServed;
    sLat[sample]! += stepLat;
    sLatW[sample]! += stepLatW;
    sAccess[sample]! += access;
    sRemote[sample]! += remote;
    sCpuUsed[sample]! += cpuUsed;
    sCpuRes[sample]! += cpuRes;
    sMemUsed[sample]! += memUsed;
    sMemRes[sample]! += memRes;
    for (let m = 0; m < n; m++) sVcpus[sample * n + m]! += vcpus[m]!;
  };

  const readout = (): void => {
    finish();
    j++;
    if (j < ticks) sim.scheduleAt(j * dt, tick);
  };
  const tick = (): void => {
    prepare();
    if (pending) sim.schedule(0, readout);
    else readout();
  };
  sim.scheduleAt(0, tick);
  sim.run();
  const simulated = ticks * dt;

  // ---- results --------------------------------------------------------------------------------
  const nz = (x: number): number => x + 0;
  const orNull = (x: number): number | null => (Number.isFinite(x) ? nz(x) : null);
  const series: PvmSeries = {
    time: [],
    demandBytesPerSecond: [],
    throughputBytesPerSecond: [],
    meanLatencySeconds: [],
    remoteAccessFraction: [],
    cpuUsed: [],
    cpuReserved: [],
    memoryUsedBytes: [],
    memoryReservedBytes: [],
    vcpusPerNode: [],
  };
  for (let s = 0; s < nSamples; s++) {
    const k = sTicks[s]!;
    series.time.push(nz(sTime[s]!));
    series.demandBytesPerSecond.push(nz(sDemand[s]! / k));
    series.throughputBytesPerSecond.push(nz(sServed[s]! / k));
    series.meanLatencySeconds.push(sLatW[s]! > 0 ? nz(sLat[s]! / sLatW[s]!) : null);
    series.remoteAccessFraction.push(sAccess[s]! > 0 ? nz(sRemote[s]! / sAccess[s]!) : 0);
    series.cpuUsed.push(nz(sCpuUsed[s]! / k));
    series.cpuReserved.push(nz(sCpuRes[s]! / k));
    series.memoryUsedBytes.push(nz(sMemUsed[s]! / k));
    series.memoryReservedBytes.push(nz(sMemRes[s]! / k));
    series.vcpusPerNode.push(Array.from({ length: n }, (_, m) => nz(sVcpus[s * n + m]! / k)));
  }
  const guests: GuestResult[] = names.map((name, g) => ({
    name,
    node: home[g]!,
    demandBytesPerSecond: nz(guestDemand[g]! / ticks),
    throughputBytesPerSecond: nz(guestServed[g]! / ticks),
    meanLatencySeconds: guestLatW[g]! > 0 ? nz(guestLat[g]! / guestLatW[g]!) : null,
  }));
  const summary: PvmSummary = {
    policy,
    topology: topology.name,
    guests: G,
    simulatedSeconds: nz(simulated),
    demandBytesPerSecond: nz(acc[A_DEMAND]! / ticks),
    throughputBytesPerSecond: nz(acc[A_SERVED]! / ticks),
    servedFraction: acc[A_DEMAND]! > 0 ? nz(acc[A_SERVED]! / acc[A_DEMAND]!) : 1,
    meanLatencySeconds: acc[A_LAT_WEIGHT]! > 0 ? nz(acc[A_LAT]! / acc[A_LAT_WEIGHT]!) : null,
    p50LatencySeconds: orNull(hist.quantile(0.5)),
    p99LatencySeconds: orNull(hist.quantile(0.99)),
    remoteAccessFraction: acc[A_ACCESS]! > 0 ? nz(acc[A_REMOTE]! / acc[A_ACCESS]!) : 0,
    cpuUsedMean: nz(acc[A_CPU_USED]! / ticks),
    cpuReservedMean: nz(acc[A_CPU_HELD]! / ticks),
    cpuIdleReservedMean: nz(Math.max(0, acc[A_CPU_HELD]! - acc[A_CPU_USED]!) / ticks),
    cpuReservedMax: nz(acc[A_CPU_HELD_MAX]!),
    memoryUsedMeanBytes: nz(acc[A_MEM_USED]! / ticks),
    memoryReservedMeanBytes: nz(acc[A_MEM_HELD]! / ticks),
    memoryIdleReservedMeanBytes: nz(Math.max(0, acc[A_MEM_HELD]! - acc[A_MEM_USED]!) / ticks),
    memoryReservedMaxBytes: nz(acc[A_MEM_HELD_MAX]!),
    memoryShortFraction: nz(acc[A_SHORT_STEPS]! / ticks),
    fabricSaturatedFraction: nz(acc[A_SATURATED_STEPS]! / ticks),
  };
  const pvmPagesPerNode: TimeSeriesJSON[] = memory.history(pvmDomain);
  memory.check();
  return { summary, series, guests, pvmPagesPerNode, pageBytes: PAGE_BYTES };
}
