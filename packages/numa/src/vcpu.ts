/**
 * vCPU placement on a NUMA host: pinned to given CPUs, node-local (one node, spilling to the
 * nearest), or spread round-robin over nodes; a ledger of how many vCPUs each CPU carries.
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";
import { topologyIndex } from "./internal/routing.js";
import { checkNode, type Topology } from "./topology.js";

/**
 * How a domain's vCPUs are placed.
 *
 * - `pinned`: vCPU k on CPU `cpus[k mod cpus.length]`, as Xen's `dom0_vcpus_pin` or `xl
 *   vcpu-pin` do.
 * - `node-local`: every vCPU on `node` (default: the node with the most free slots), least
 *   loaded CPU first; when the node is full, on the nearest node with room.
 * - `spread`: round-robin over `nodes` (default all), starting at the one with the most free
 *   slots, each vCPU on the least loaded CPU of its node.
 */
export type VcpuPlacement =
  | { readonly kind: "pinned"; readonly cpus: readonly number[] }
  | { readonly kind: "node-local"; readonly node?: number }
  | { readonly kind: "spread"; readonly nodes?: readonly number[] };

/** Where {@link CpuLedger.place} put a domain's vCPUs. */
export interface VcpuPlacementResult {
  /** CPU id of each vCPU; -1 when it found no room. */
  readonly cpus: Int32Array;
  /** Node index of each vCPU; -1 when it found no room. */
  readonly nodes: Int32Array;
  /** vCPUs placed on each node. */
  readonly perNode: Int32Array;
  /** vCPUs placed. */
  readonly placed: number;
  /** vCPUs that found no room (every allowed CPU at its limit): an outcome, not an error. */
  readonly unplaced: number;
}

/** Options of {@link CpuLedger}. */
export interface CpuLedgerOptions {
  /** vCPUs one CPU may carry (the overcommit ratio); default 1 (dedicated CPUs). */
  readonly vcpusPerCpu?: number;
}

/**
 * Which CPUs carry which domains' vCPUs, with at most `vcpusPerCpu` vCPUs per CPU.
 *
 * Use it to place guests and the pVM on a host and to keep the invariant "no node's CPUs over
 * capacity" (checked by {@link CpuLedger.check} and the property tests).
 *
 * @example
 * ```ts
 * const cpus = new CpuLedger(presetTopology("2-socket"));
 * const dom0 = cpus.place("dom0", 8, { kind: "pinned", cpus: [0, 1, 2, 3, 4, 5, 6, 7] });
 * const vm = cpus.place("vm1", 4, { kind: "node-local", node: 1 });
 * vm.perNode; // Int32Array [0, 4]
 * ```
 */
export class CpuLedger {
  /** The host. */
  readonly topology: Topology;
  /** vCPUs one CPU may carry. */
  readonly vcpusPerCpu: number;
  private readonly load: Map<number, number> = new Map();
  private readonly nodeLoad: Int32Array;
  private readonly domains: Map<string, number[]> = new Map();

  /**
   * @param topology - the host.
   * @param options - the overcommit ratio.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` when `vcpusPerCpu` is not an integer ≥ 1.
   */
  constructor(topology: Topology, options: CpuLedgerOptions = {}) {
    this.topology = topology;
    const ratio = options.vcpusPerCpu ?? 1;
    if (!(Number.isInteger(ratio) && ratio >= 1)) {
      throw new VxError(
        "VX_NUMA_BAD_ARGUMENT",
        `vcpusPerCpu must be an integer ≥ 1, got ${String(ratio)}.`,
        {
          path: ["vcpusPerCpu"],
        },
      );
    }
    this.vcpusPerCpu = ratio;
    for (const node of topology.nodes) for (const cpu of node.cpus) this.load.set(cpu, 0);
    this.nodeLoad = new Int32Array(topology.nodes.length);
  }

  /**
   * Places `count` more vCPUs of a domain.
   *
   * @param domain - the domain's name (placing again adds vCPUs to it).
   * @param count - how many vCPUs; an integer ≥ 0.
   * @param placement - how.
   * @returns where they went; vCPUs with no room are `unplaced`.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` for a bad count, an empty pinned or node list,
   *   an unknown placement; `VX_NUMA_BAD_CPU` for a CPU id the host does not have;
   *   `VX_NUMA_BAD_NODE` for a node index out of range.
   */
  place(domain: string, count: number, placement: VcpuPlacement): VcpuPlacementResult {
    if (!(Number.isInteger(count) && count >= 0))
      bad(`count must be an integer ≥ 0, got ${count}.`, ["count"]);
    const n = this.topology.nodes.length;
    const cpus = new Int32Array(count).fill(-1);
    const nodes = new Int32Array(count).fill(-1);
    const perNode = new Int32Array(n);
    const index = topologyIndex(this.topology);
    const kind = (placement as { kind?: unknown } | undefined)?.kind;
    if (kind === "pinned") {
      const list = (placement as { cpus: readonly number[] }).cpus;
      if (!Array.isArray(list) || list.length === 0)
        bad("a pinned placement needs a non-empty CPU list.", ["placement", "cpus"]);
      list.forEach((cpu, k) => {
        if (!this.load.has(cpu)) {
          throw new VxError("VX_NUMA_BAD_CPU", `the host has no CPU ${String(cpu)}.`, {
            path: ["placement", "cpus", k],
          });
        }
      });
      for (let k = 0; k < count; k++) {
        const cpu = list[k % list.length]!;
        if (this.load.get(cpu)! < this.vcpusPerCpu)
          this.put(cpu, index.cpuNode.get(cpu)!, k, cpus, nodes, perNode);
      }
    } else if (kind === "node-local") {
      const p = placement as { node?: number };
      let home: number;
      if (p.node === undefined) home = this.roomiest(Array.from({ length: n }, (_, i) => i));
      else {
        checkNode(this.topology, p.node, ["placement", "node"]);
        home = p.node;
      }
      const order = index.byDistance(home);
      for (let k = 0; k < count; k++) {
        for (const node of order) {
          const cpu = this.leastLoaded(node);
          if (cpu >= 0) {
            this.put(cpu, node, k, cpus, nodes, perNode);
            break;
          }
        }
      }
    } else if (kind === "spread") {
      const p = placement as { nodes?: readonly number[] };
      const set = p.nodes ?? Array.from({ length: n }, (_, i) => i);
      if (!Array.isArray(set) || set.length === 0)
        bad("a spread placement needs a non-empty node list.", ["placement", "nodes"]);
      set.forEach((node, k) => {
        checkNode(this.topology, node, ["placement", "nodes", k]);
      });
      const m = set.length;
      let pos = set.indexOf(this.roomiest(set));
      for (let k = 0; k < count; k++) {
        for (let step = 0; step < m; step++) {
          const node = set[(pos + step) % m]!;
          const cpu = this.leastLoaded(node);
          if (cpu >= 0) {
            this.put(cpu, node, k, cpus, nodes, perNode);
            pos = (pos + step + 1) % m;
            break;
          }
        }
      }
    } else {
      bad(`unknown vCPU placement ${JSON.stringify(kind)}; use pinned, node-local or spread.`, [
        "placement",
        "kind",
      ]);
    }
    let placed = 0;
    const mine = this.domains.get(domain) ?? [];
    for (let k = 0; k < count; k++) {
      if (cpus[k]! >= 0) {
        placed++;
        mine.push(cpus[k]!);
      }
    }
    this.domains.set(domain, mine);
    return { cpus, nodes, perNode, placed, unplaced: count - placed };
  }

  /**
   * Removes every vCPU of a domain.
   *
   * @param domain - the domain's name.
   * @returns how many vCPUs it had.
   */
  release(domain: string): number {
    const mine = this.domains.get(domain);
    if (mine === undefined) return 0;
    const index = topologyIndex(this.topology);
    for (const cpu of mine) {
      this.load.set(cpu, this.load.get(cpu)! - 1);
      this.nodeLoad[index.cpuNode.get(cpu)!]!--;
    }
    this.domains.delete(domain);
    return mine.length;
  }

  /**
   * @param cpu - a CPU id.
   * @returns vCPUs it carries (0 for a CPU the host does not have).
   */
  vcpusOnCpu(cpu: number): number {
    return this.load.get(cpu) ?? 0;
  }

  /**
   * @param node - a node index.
   * @returns vCPUs its CPUs carry.
   */
  vcpusOnNode(node: number): number {
    checkNode(this.topology, node, ["node"]);
    return this.nodeLoad[node]!;
  }

  /**
   * @param node - a node index.
   * @returns vCPUs it can carry: CPUs × `vcpusPerCpu`.
   */
  capacityOn(node: number): number {
    checkNode(this.topology, node, ["node"]);
    return this.topology.nodes[node]!.cpus.length * this.vcpusPerCpu;
  }

  /**
   * Checks that no CPU carries more than `vcpusPerCpu` vCPUs and that node totals add up.
   *
   * @throws {@link @vx/core!VxError} `VX_NUMA_LEDGER_BROKEN` describing the first violation (a bug).
   */
  check(): void {
    const index = topologyIndex(this.topology);
    const sums = new Int32Array(this.topology.nodes.length);
    for (const [cpu, load] of this.load) {
      if (load < 0 || load > this.vcpusPerCpu) {
        throw new VxError(
          "VX_NUMA_LEDGER_BROKEN",
          `CPU ${cpu} carries ${load} vCPUs (limit ${this.vcpusPerCpu}).`,
        );
      }
      sums[index.cpuNode.get(cpu)!]! += load;
    }
    sums.forEach((s, i) => {
      if (s !== this.nodeLoad[i] || s > this.capacityOn(i)) {
        throw new VxError(
          "VX_NUMA_LEDGER_BROKEN",
          `node ${i}: ${s} vCPUs on its CPUs, ${this.nodeLoad[i]} counted.`,
        );
      }
    });
  }

  private put(
    cpu: number,
    node: number,
    k: number,
    cpus: Int32Array,
    nodes: Int32Array,
    perNode: Int32Array,
  ): void {
    this.load.set(cpu, this.load.get(cpu)! + 1);
    this.nodeLoad[node]!++;
    cpus[k] = cpu;
    nodes[k] = node;
    perNode[node]!++;
  }

  /** The least loaded CPU of a node with room (ties: lowest id), or -1. */
  private leastLoaded(node: number): number {
    let best = -1;
    let bestLoad = this.vcpusPerCpu;
    for (const cpu of this.topology.nodes[node]!.cpus) {
      const l = this.load.get(cpu)!;
      if (l < bestLoad) {
        bestLoad = l;
        best = cpu;
      }
    }
    return best;
  }

  /** The node of `set` with the most free slots (ties: first in the set). */
  private roomiest(set: readonly number[]): number {
    let best = set[0]!;
    let bestFree = -1;
    for (const node of set) {
      const free = this.capacityOn(node) - this.nodeLoad[node]!;
      if (free > bestFree) {
        bestFree = free;
        best = node;
      }
    }
    return best;
  }
}

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_NUMA_BAD_ARGUMENT", message, { path });
}
