/**
 * Memory placement on a NUMA host: each domain's pages per node (typed arrays), allocated under
 * Linux's memory policies (first-touch, bind, interleave, preferred) with the kernel's fallback
 * along nodes ordered by distance, freed and migrated, and optionally recorded over time.
 *
 * @module
 */

import { type Clock, TimeSeries, type TimeSeriesJSON, VxError, type VxPath } from "@vx/core";
import { topologyIndex } from "./internal/routing.js";
import { checkNode, type Topology } from "./topology.js";

/**
 * Where a domain's new pages go (Linux `set_mempolicy(2)` / `mbind(2)` modes; Xen's choices map
 * onto them, see {@link xenMemoryPolicy}).
 *
 * - `first-touch` (Linux's default, `MPOL_DEFAULT`/`MPOL_LOCAL`): on the node of the CPU that
 *   touches the page first; when it is full, on the nearest node with free memory.
 * - `bind` (`MPOL_BIND`): only on `nodes`, nearest to the touching CPU first (Linux ≥ 2.6.26);
 *   pages that do not fit are a shortfall, never placed elsewhere.
 * - `interleave` (`MPOL_INTERLEAVE`): page by page round-robin over `nodes` (default: all); a
 *   full node's pages fall back to the nearest node with free memory.
 * - `preferred` (`MPOL_PREFERRED`): on `node`, then the nearest nodes to it.
 */
export type MemoryPolicy =
  | { readonly kind: "first-touch" }
  | { readonly kind: "bind"; readonly nodes: readonly number[] }
  | { readonly kind: "interleave"; readonly nodes?: readonly number[] }
  | { readonly kind: "preferred"; readonly node: number };

/** Options of {@link MemoryLedger.allocate}. */
export interface AllocateOptions {
  /**
   * Where the CPUs touching the pages are: a node index, or weights per node (e.g. the domain's
   * vCPUs per node; pages are split in proportion). Used by `first-touch` and `bind`. Default 0.
   */
  readonly cpuNode?: number | readonly number[];
}

/** What an allocation placed. */
export interface AllocationResult {
  /** Pages placed on each node by this call. */
  readonly pages: Float64Array;
  /** Pages placed in all. */
  readonly allocatedPages: number;
  /** Pages asked for that found no room (memory full, or outside a `bind` set): an outcome, not an error. */
  readonly shortfallPages: number;
}

/** Options of {@link MemoryLedger}. */
export interface MemoryLedgerOptions {
  /** Page size in bytes; default 4096 (x86 base page). */
  readonly pageBytes?: number;
  /** Memory of each node (bytes; one number for every node) held back by the hypervisor; default 0. */
  readonly reservedBytes?: number | readonly number[];
  /** When given, every domain's pages per node are recorded over time ({@link MemoryLedger.history}). */
  readonly clock?: Clock;
}

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_NUMA_BAD_ARGUMENT", message, { path });
}

function checkCount(x: number, path: VxPath, what: string): void {
  if (!(Number.isFinite(x) && x >= 0))
    bad(`${what} must be a finite number ≥ 0, got ${String(x)}.`, path);
}

/**
 * The pages of every domain on every node of one host.
 *
 * Use it wherever a model needs to know where memory is: guests' RAM, the pVM's buffers, pages
 * that move with page flipping. Counts live in one `Float64Array` (domain × node), so millions of
 * page-level operations allocate nothing. Invariants (checked by {@link MemoryLedger.check} and
 * by the property tests): no node holds more pages than its capacity, and every page is
 * accounted to exactly one node and one domain.
 *
 * @example
 * ```ts
 * const ledger = new MemoryLedger(presetTopology("2-socket"));
 * const vm = ledger.addDomain("vm1");
 * ledger.allocate(vm, GiB(4), { kind: "interleave" }); // 2 GiB on each node
 * ledger.pagesOn(vm, 1); // 524288
 * ```
 */
export class MemoryLedger {
  /** The host. */
  readonly topology: Topology;
  /** Page size in bytes. */
  readonly pageBytes: number;
  private readonly n: number;
  private readonly capacity: Float64Array;
  private readonly used: Float64Array;
  private counts: Float64Array;
  private readonly names: string[] = [];
  private readonly cursor: number[] = [];
  private readonly clock: Clock | undefined;
  private readonly series: TimeSeries[][] = [];
  private readonly scratch: Float64Array;

  /**
   * @param topology - the host.
   * @param options - page size, memory held back per node, clock for recording.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` for a page size that is not a positive integer
   *   or a reserve that is negative or larger than a node.
   */
  constructor(topology: Topology, options: MemoryLedgerOptions = {}) {
    this.topology = topology;
    this.n = topology.nodes.length;
    const pageBytes = options.pageBytes ?? 4096;
    if (!(Number.isInteger(pageBytes) && pageBytes > 0)) {
      bad(`pageBytes must be a positive integer, got ${String(pageBytes)}.`, ["pageBytes"]);
    }
    this.pageBytes = pageBytes;
    this.capacity = new Float64Array(this.n);
    this.used = new Float64Array(this.n);
    this.scratch = new Float64Array(this.n);
    const reserved = options.reservedBytes ?? 0;
    for (let i = 0; i < this.n; i++) {
      const r = typeof reserved === "number" ? reserved : reserved[i];
      if (r === undefined || !(r >= 0 && r <= topology.nodes[i]!.memoryBytes)) {
        bad(`the reserve of node ${i} must be 0–${topology.nodes[i]!.memoryBytes} bytes.`, [
          "reservedBytes",
          i,
        ]);
      }
      this.capacity[i] = Math.floor((topology.nodes[i]!.memoryBytes - r) / pageBytes);
    }
    this.counts = new Float64Array(this.n * 8);
    this.clock = options.clock;
  }

  /**
   * Adds a domain (a VM, the pVM, a pool of buffers) with no pages yet.
   *
   * @param name - a label for results.
   * @returns the domain's id (dense, from 0).
   */
  addDomain(name: string): number {
    const d = this.names.length;
    if ((d + 1) * this.n > this.counts.length) {
      const bigger = new Float64Array(this.counts.length * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    this.names.push(name);
    this.cursor.push(0);
    if (this.clock !== undefined) {
      const row: TimeSeries[] = [];
      for (let i = 0; i < this.n; i++) {
        const s = new TimeSeries(this.clock, `${name}.node${i}.pages`);
        s.record(0);
        row.push(s);
      }
      this.series.push(row);
    }
    return d;
  }

  /** Number of domains. */
  get domainCount(): number {
    return this.names.length;
  }

  /**
   * @param domain - a domain id.
   * @returns its name.
   */
  domainName(domain: number): string {
    this.checkDomain(domain);
    return this.names[domain]!;
  }

  /**
   * Allocates `bytes` (rounded up to whole pages) for a domain under a policy.
   *
   * @param domain - a domain id.
   * @param bytes - how much.
   * @param policy - where pages go.
   * @param options - where the touching CPUs are.
   * @returns the pages placed per node and the shortfall.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` for an unknown domain or a negative size;
   *   `VX_NUMA_BAD_NODE` for a node index out of range in the policy or options;
   *   `VX_NUMA_BAD_POLICY` for an unknown policy or an empty node set.
   */
  allocate(
    domain: number,
    bytes: number,
    policy: MemoryPolicy,
    options: AllocateOptions = {},
  ): AllocationResult {
    checkCount(bytes, ["bytes"], "bytes");
    return this.allocatePages(domain, Math.ceil(bytes / this.pageBytes), policy, options);
  }

  /**
   * Allocates whole pages for a domain under a policy (see {@link MemoryPolicy}).
   *
   * @param domain - a domain id.
   * @param pages - how many pages; an integer ≥ 0.
   * @param policy - where pages go.
   * @param options - where the touching CPUs are.
   * @returns the pages placed per node and the shortfall.
   * @throws {@link @vx/core!VxError} as {@link MemoryLedger.allocate}.
   */
  allocatePages(
    domain: number,
    pages: number,
    policy: MemoryPolicy,
    options: AllocateOptions = {},
  ): AllocationResult {
    this.checkDomain(domain);
    if (!(Number.isInteger(pages) && pages >= 0))
      bad(`pages must be an integer ≥ 0, got ${pages}.`, ["pages"]);
    const placed = new Float64Array(this.n);
    const index = topologyIndex(this.topology);
    let left = pages;
    switch (policy?.kind) {
      case "first-touch":
      case "bind": {
        const set =
          policy.kind === "bind" ? this.nodeSet(policy.nodes, ["policy", "nodes"]) : undefined;
        const parts = this.split(pages, options.cpuNode ?? 0);
        for (let c = 0; c < this.n; c++) {
          let want = parts[c]!;
          if (want === 0) continue;
          for (const node of index.byDistance(c)) {
            if (want === 0) break;
            if (set !== undefined && !set.has(node)) continue;
            want -= this.take(domain, node, want, placed);
          }
          left -= parts[c]! - want;
        }
        break;
      }
      case "preferred": {
        checkNode(this.topology, policy.node, ["policy", "node"]);
        left -= this.fallback(domain, policy.node, pages, placed);
        break;
      }
      case "interleave": {
        const nodes =
          policy.nodes === undefined
            ? Array.from({ length: this.n }, (_, i) => i)
            : [...this.nodeSet(policy.nodes, ["policy", "nodes"])].sort((a, b) => a - b);
        const m = nodes.length;
        const start = this.cursor[domain]! % m;
        const each = Math.floor(pages / m);
        const extra = pages % m;
        for (let k = 0; k < m; k++) {
          const node = nodes[(start + k) % m]!;
          const share = each + (k < extra ? 1 : 0);
          left -= this.fallback(domain, node, share, placed);
        }
        this.cursor[domain] = (start + extra) % m;
        break;
      }
      default:
        throw new VxError(
          "VX_NUMA_BAD_POLICY",
          `unknown memory policy ${JSON.stringify((policy as { kind?: unknown } | undefined)?.kind)}; use first-touch, bind, interleave or preferred.`,
          { path: ["policy", "kind"] },
        );
    }
    this.recordDomain(domain);
    return { pages: placed, allocatedPages: pages - left, shortfallPages: left };
  }

  /**
   * Frees pages of a domain: from one node, or from every node in proportion to what it holds
   * there (largest remainder, ties to the lower index).
   *
   * @param domain - a domain id.
   * @param pages - how many; at most what it holds (there).
   * @param node - the node to free from; default all, proportionally.
   * @returns pages freed (less than asked when the domain holds fewer).
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` / `VX_NUMA_BAD_NODE` for bad arguments.
   */
  freePages(domain: number, pages: number, node?: number): number {
    this.checkDomain(domain);
    if (!(Number.isInteger(pages) && pages >= 0))
      bad(`pages must be an integer ≥ 0, got ${pages}.`, ["pages"]);
    const base = domain * this.n;
    let freed = 0;
    if (node !== undefined) {
      checkNode(this.topology, node, ["node"]);
      freed = Math.min(pages, this.counts[base + node]!);
      this.counts[base + node]! -= freed;
      this.used[node]! -= freed;
      this.recordNode(domain, node);
      return freed;
    } else {
      const total = this.totalPages(domain);
      const want = Math.min(pages, total);
      if (want > 0) {
        const share = this.scratch;
        let assigned = 0;
        for (let i = 0; i < this.n; i++) {
          share[i] = Math.floor((want * this.counts[base + i]!) / total);
          assigned += share[i]!;
        }
        // Largest remainders get the pages still to free.
        while (assigned < want) {
          let best = -1;
          let bestRem = -1;
          for (let i = 0; i < this.n; i++) {
            if (share[i]! >= this.counts[base + i]!) continue;
            const rem = (want * this.counts[base + i]!) / total - share[i]!;
            if (rem > bestRem) {
              bestRem = rem;
              best = i;
            }
          }
          share[best]!++;
          assigned++;
        }
        for (let i = 0; i < this.n; i++) {
          this.counts[base + i]! -= share[i]!;
          this.used[i]! -= share[i]!;
        }
      }
      freed = want;
    }
    this.recordDomain(domain);
    return freed;
  }

  /**
   * Frees every page of a domain.
   *
   * @param domain - a domain id.
   * @returns pages freed.
   */
  freeAll(domain: number): number {
    this.checkDomain(domain);
    let freed = 0;
    const base = domain * this.n;
    for (let i = 0; i < this.n; i++) {
      freed += this.counts[base + i]!;
      this.used[i]! -= this.counts[base + i]!;
      this.counts[base + i] = 0;
    }
    this.recordDomain(domain);
    return freed;
  }

  /**
   * Moves pages of a domain from one node to another (page migration, or ownership drift).
   *
   * @param domain - a domain id.
   * @param from - source node.
   * @param to - destination node.
   * @param pages - how many.
   * @returns pages moved: at most what the domain holds on `from` and what `to` has free.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` / `VX_NUMA_BAD_NODE` for bad arguments.
   */
  migrate(domain: number, from: number, to: number, pages: number): number {
    this.checkDomain(domain);
    checkNode(this.topology, from, ["from"]);
    checkNode(this.topology, to, ["to"]);
    if (!(Number.isInteger(pages) && pages >= 0))
      bad(`pages must be an integer ≥ 0, got ${pages}.`, ["pages"]);
    if (from === to) return 0;
    const base = domain * this.n;
    const moved = Math.min(pages, this.counts[base + from]!, this.freePagesOn(to));
    this.counts[base + from]! -= moved;
    this.used[from]! -= moved;
    this.counts[base + to]! += moved;
    this.used[to]! += moved;
    this.recordNode(domain, from);
    this.recordNode(domain, to);
    return moved;
  }

  /**
   * Moves pages of one domain on one node to another domain on the same node (an ownership swap,
   * as page flipping does); capacity does not change.
   *
   * @param from - domain giving the pages.
   * @param to - domain receiving them.
   * @param node - the node they are on.
   * @param pages - how many.
   * @returns pages handed over: at most what `from` holds on `node`.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` / `VX_NUMA_BAD_NODE` for bad arguments.
   */
  transfer(from: number, to: number, node: number, pages: number): number {
    this.checkDomain(from);
    this.checkDomain(to);
    checkNode(this.topology, node, ["node"]);
    if (!(Number.isInteger(pages) && pages >= 0))
      bad(`pages must be an integer ≥ 0, got ${pages}.`, ["pages"]);
    const moved = Math.min(pages, this.counts[from * this.n + node]!);
    this.counts[from * this.n + node]! -= moved;
    this.counts[to * this.n + node]! += moved;
    this.recordNode(from, node);
    this.recordNode(to, node);
    return moved;
  }

  /**
   * @param domain - a domain id.
   * @param node - a node index.
   * @returns pages the domain holds on that node.
   */
  pagesOn(domain: number, node: number): number {
    this.checkDomain(domain);
    checkNode(this.topology, node, ["node"]);
    return this.counts[domain * this.n + node]!;
  }

  /**
   * @param domain - a domain id.
   * @returns a copy of its pages per node.
   */
  domainPages(domain: number): Float64Array {
    this.checkDomain(domain);
    return this.counts.slice(domain * this.n, (domain + 1) * this.n);
  }

  /**
   * @param domain - a domain id.
   * @returns its pages over all nodes.
   */
  totalPages(domain: number): number {
    this.checkDomain(domain);
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += this.counts[domain * this.n + i]!;
    return sum;
  }

  /**
   * @param node - a node index.
   * @returns pages in use on it, over all domains.
   */
  usedPagesOn(node: number): number {
    checkNode(this.topology, node, ["node"]);
    return this.used[node]!;
  }

  /**
   * @param node - a node index.
   * @returns pages still free on it.
   */
  freePagesOn(node: number): number {
    checkNode(this.topology, node, ["node"]);
    return this.capacity[node]! - this.used[node]!;
  }

  /**
   * @param node - a node index.
   * @returns pages it can hold (its memory less the reserve).
   */
  capacityPagesOn(node: number): number {
    checkNode(this.topology, node, ["node"]);
    return this.capacity[node]!;
  }

  /**
   * Fraction of a domain's pages that are not on the node(s) of its CPUs: the share of its
   * accesses that are remote when accesses are spread evenly over its pages.
   *
   * @param domain - a domain id.
   * @param cpuNode - node of its CPUs, or weights per node (vCPUs per node).
   * @returns a fraction in [0, 1]; 0 for a domain without pages.
   */
  remoteFraction(domain: number, cpuNode: number | readonly number[]): number {
    this.checkDomain(domain);
    const total = this.totalPages(domain);
    if (total === 0) return 0;
    const w = this.weights(cpuNode, ["cpuNode"]);
    let local = 0;
    for (let i = 0; i < this.n; i++) local += w[i]! * this.counts[domain * this.n + i]!;
    return 1 - local / total;
  }

  /**
   * A domain's pages per node over time (needs the `clock` option).
   *
   * @param domain - a domain id.
   * @returns one step series per node, named `<domain>.node<i>.pages`.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` when the ledger was built without a clock.
   */
  history(domain: number): TimeSeriesJSON[] {
    this.checkDomain(domain);
    const row = this.series[domain];
    if (row === undefined)
      bad("this ledger records no history; pass a clock to its constructor.", ["clock"]);
    return row.map((s) => s.toJSON());
  }

  /**
   * Checks the invariants: counts are whole and ≥ 0, each node's use equals the sum of the
   * domains' pages on it and stays within its capacity.
   *
   * @throws {@link @vx/core!VxError} `VX_NUMA_LEDGER_BROKEN` describing the first violation (a bug).
   */
  check(): void {
    for (let i = 0; i < this.n; i++) {
      let sum = 0;
      for (let d = 0; d < this.names.length; d++) {
        const c = this.counts[d * this.n + i]!;
        if (!(Number.isInteger(c) && c >= 0)) broken(`domain ${d} holds ${c} pages on node ${i}.`);
        sum += c;
      }
      if (sum !== this.used[i])
        broken(`node ${i}: domains hold ${sum} pages, the node counts ${this.used[i]}.`);
      if (sum > this.capacity[i]!)
        broken(`node ${i} holds ${sum} pages, over its ${this.capacity[i]}.`);
    }
  }

  // ---- internals --------------------------------------------------------------------------

  private checkDomain(domain: number): void {
    if (!(Number.isInteger(domain) && domain >= 0 && domain < this.names.length)) {
      bad(`unknown domain ${String(domain)}; add it with addDomain() first.`, ["domain"]);
    }
  }

  private nodeSet(nodes: readonly number[] | undefined, path: VxPath): Set<number> {
    if (!Array.isArray(nodes) || nodes.length === 0) {
      throw new VxError(
        "VX_NUMA_BAD_POLICY",
        "a bind or interleave policy needs a non-empty node list.",
        { path },
      );
    }
    nodes.forEach((node, k) => {
      checkNode(this.topology, node, [...path, k]);
    });
    return new Set(nodes);
  }

  /** Normalised weights per node from a node index or a weight list. */
  private weights(cpuNode: number | readonly number[], path: VxPath): Float64Array {
    const w = new Float64Array(this.n);
    if (typeof cpuNode === "number") {
      checkNode(this.topology, cpuNode, path);
      w[cpuNode] = 1;
      return w;
    }
    if (!Array.isArray(cpuNode) || cpuNode.length !== this.n) {
      bad(`give a node index or ${this.n} weights, one per node.`, path);
    }
    let sum = 0;
    cpuNode.forEach((x: number, i) => {
      checkCount(x, [...path, i], "a weight");
      sum += x;
    });
    if (!(sum > 0)) bad("at least one weight must be > 0.", path);
    for (let i = 0; i < this.n; i++) w[i] = cpuNode[i]! / sum;
    return w;
  }

  /** Splits `pages` over CPU nodes in proportion to weights (largest remainder). */
  private split(pages: number, cpuNode: number | readonly number[]): Float64Array {
    const w = this.weights(cpuNode, ["options", "cpuNode"]);
    const parts = new Float64Array(this.n);
    let assigned = 0;
    for (let i = 0; i < this.n; i++) {
      parts[i] = Math.floor(pages * w[i]!);
      assigned += parts[i]!;
    }
    while (assigned < pages) {
      let best = 0;
      let bestRem = -1;
      for (let i = 0; i < this.n; i++) {
        const rem = pages * w[i]! - parts[i]!;
        if (rem > bestRem) {
          bestRem = rem;
          best = i;
        }
      }
      parts[best]!++;
      assigned++;
    }
    return parts;
  }

  /** Takes up to `want` pages on `node`; returns how many. */
  private take(domain: number, node: number, want: number, placed: Float64Array): number {
    const got = Math.min(want, this.capacity[node]! - this.used[node]!);
    if (got <= 0) return 0;
    this.counts[domain * this.n + node]! += got;
    this.used[node]! += got;
    placed[node]! += got;
    return got;
  }

  /** Takes `want` pages starting at `node`, then along its nearest-first order. */
  private fallback(domain: number, node: number, want: number, placed: Float64Array): number {
    let got = 0;
    for (const other of topologyIndex(this.topology).byDistance(node)) {
      if (got === want) break;
      got += this.take(domain, other, want - got, placed);
    }
    return got;
  }

  private recordNode(domain: number, node: number): void {
    const row = this.series[domain];
    if (row !== undefined) row[node]!.record(this.counts[domain * this.n + node]!);
  }

  private recordDomain(domain: number): void {
    const row = this.series[domain];
    if (row === undefined) return;
    for (let i = 0; i < this.n; i++) row[i]!.record(this.counts[domain * this.n + i]!);
  }
}

function broken(message: string): never {
  throw new VxError("VX_NUMA_LEDGER_BROKEN", message);
}

/**
 * The memory policy Xen uses for a domain (Xen `xen/common/domain.c`,
 * `domain_update_node_affinity`; `xen/common/page_alloc.c`): an explicit node if given; else its
 * node-affinity, which follows the vCPUs' affinity (pages spread over those nodes); else
 * interleaved over every node.
 *
 * @param options - the explicit node, or the nodes the domain's vCPUs may run on.
 * @returns the equivalent {@link MemoryPolicy}.
 * @example
 * ```ts
 * xenMemoryPolicy({ node: 1 }); // { kind: "bind", nodes: [1] }
 * xenMemoryPolicy({ vcpuNodes: [0, 1] }); // { kind: "interleave", nodes: [0, 1] }
 * xenMemoryPolicy({}); // { kind: "interleave" }
 * ```
 */
export function xenMemoryPolicy(options: {
  readonly node?: number;
  readonly vcpuNodes?: readonly number[];
}): MemoryPolicy {
  if (options.node !== undefined) return { kind: "bind", nodes: [options.node] };
  if (options.vcpuNodes !== undefined && options.vcpuNodes.length > 0) {
    const nodes = [...new Set(options.vcpuNodes)].sort((a, b) => a - b);
    return nodes.length === 1 ? { kind: "bind", nodes } : { kind: "interleave", nodes };
  }
  return { kind: "interleave" };
}
