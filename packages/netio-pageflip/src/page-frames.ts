/**
 * Page ownership at page level: which domain owns each machine frame, which NUMA node each frame
 * is on, and each domain's free lists per node.
 *
 * @module
 */

import { VxError } from "@vx/core";

/** Owner value of a frame that belongs to no domain. */
export const NO_OWNER = 255;

/** Options of {@link PageFrames}. */
export interface PageFramesOptions {
  /**
   * Frames on each NUMA node, node 0 first. Frames are numbered node by node: node 0 holds frames
   * `0 … framesPerNode[0] - 1`, node 1 the next ones, and so on.
   */
  readonly framesPerNode: readonly number[];
  /** Number of domains, 1–255; domains are numbered `0 … domains - 1`. */
  readonly domains: number;
  /**
   * SLIT distances (`distances[i][j]`, 10 = local) used to order the fallback nodes of an
   * allocation, nearest first. Default: every other node at the same distance, lowest index first.
   */
  readonly distances?: readonly (readonly number[])[] | undefined;
}

function badArgument(message: string, path: readonly (string | number)[]): VxError {
  return new VxError("VX_PAGEFLIP_BAD_ARGUMENT", message, { path });
}

/**
 * The machine frames of a host and who owns them: an owner per frame (`Uint8Array`), the node of a
 * frame derived from the node's frame range, and one free list per (domain, node), kept as
 * intrusive stacks in one `Int32Array`. Every operation is O(1) (allocation scans at most the
 * node list) and allocates nothing.
 *
 * Use it to model page ownership over millions of operations: page flipping moves frames
 * between domains ({@link PageFrames.transfer}), domains allocate and release frames on their own
 * free lists ({@link PageFrames.allocate}, {@link PageFrames.release}). A frame is either free (on
 * its owner's free list for its node) or in use by its owner; no operation creates or loses a
 * frame, and {@link PageFrames.check} verifies it.
 *
 * Allocation follows the Linux page allocator's zone fallback: the preferred node first, then the
 * other nodes nearest first (by SLIT distance), as `__alloc_pages` walks the zonelist built by
 * `build_zonelists` (mm/page_alloc.c).
 *
 * @example
 * ```ts
 * const frames = new PageFrames({ framesPerNode: [4, 4], domains: 2 });
 * for (let f = 0; f < 8; f++) frames.assign(f, f < 4 ? 1 : 0, true); // guest on node 0, pVM on node 1
 * const buffer = frames.allocate(0, 1); // the pVM takes a local page
 * const given = frames.allocate(1, 0); // the guest takes a local page to give back
 * frames.transfer(buffer, 0, 1); // flip: the pVM's page goes to the guest
 * frames.transfer(given, 1, 0); // and the guest's page goes to the pVM
 * frames.countOwned(1, 1); // 1: the guest now owns a page on node 1
 * frames.check(); // [] (no problem)
 * ```
 */
export class PageFrames {
  /** Number of frames. */
  readonly frameCount: number;
  /** Number of NUMA nodes. */
  readonly nodeCount: number;
  /** Number of domains. */
  readonly domainCount: number;
  /** First frame of each node, and the frame count at the end (`nodeCount + 1` entries). */
  private readonly nodeStart: Int32Array;
  private readonly owner: Uint8Array;
  private readonly freeFlag: Uint8Array;
  /** Next frame on the same free list, or -1. */
  private readonly next: Int32Array;
  /** Top of the free list of (domain, node) at `domain * nodeCount + node`, or -1. */
  private readonly head: Int32Array;
  private readonly owned: Int32Array;
  private readonly freeCounts: Int32Array;
  /** For each node, every node in allocation order (itself first, then nearest first). */
  private readonly order: Int32Array;

  /**
   * @param options - frames per node, number of domains, optional SLIT distances.
   * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_ARGUMENT` when a count is not a non-negative
   *   integer, there are no frames, more than 255 domains, or the distances are not a square
   *   matrix of the node count.
   */
  constructor(options: PageFramesOptions) {
    const nodes = options.framesPerNode.length;
    if (nodes < 1) throw badArgument("give at least one node", ["framesPerNode"]);
    if (!Number.isInteger(options.domains) || options.domains < 1 || options.domains > 255) {
      throw badArgument(`expected 1–255 domains, got ${options.domains}`, ["domains"]);
    }
    this.nodeCount = nodes;
    this.domainCount = options.domains;
    this.nodeStart = new Int32Array(nodes + 1);
    let total = 0;
    for (let n = 0; n < nodes; n++) {
      const count = options.framesPerNode[n]!;
      if (!Number.isInteger(count) || count < 0 || total + count > 2 ** 31 - 2) {
        throw badArgument(`expected a frame count ≥ 0 below 2^31, got ${count}`, [
          "framesPerNode",
          n,
        ]);
      }
      this.nodeStart[n] = total;
      total += count;
    }
    this.nodeStart[nodes] = total;
    this.frameCount = total;
    this.owner = new Uint8Array(total).fill(NO_OWNER);
    this.freeFlag = new Uint8Array(total);
    this.next = new Int32Array(total).fill(-1);
    const lists = this.domainCount * nodes;
    this.head = new Int32Array(lists).fill(-1);
    this.owned = new Int32Array(lists);
    this.freeCounts = new Int32Array(lists);
    this.order = allocationOrder(nodes, options.distances);
  }

  /**
   * The NUMA node of a frame, from the node frame ranges.
   *
   * @param frame - a frame number.
   * @returns its node.
   */
  nodeOf(frame: number): number {
    const start = this.nodeStart;
    let n = 1;
    while (frame >= start[n]!) n++;
    return n - 1;
  }

  /**
   * First frame of a node; frames of node `n` are `firstFrame(n) … firstFrame(n + 1) - 1`.
   *
   * @param node - a node, or `nodeCount` for the end.
   * @returns the frame number.
   */
  firstFrame(node: number): number {
    return this.nodeStart[node]!;
  }

  /**
   * The domain that owns a frame.
   *
   * @param frame - a frame number.
   * @returns the domain, or {@link NO_OWNER}.
   */
  ownerOf(frame: number): number {
    return this.owner[frame]!;
  }

  /**
   * Whether a frame is on its owner's free list.
   *
   * @param frame - a frame number.
   * @returns true when free.
   */
  isFree(frame: number): boolean {
    return this.freeFlag[frame] === 1;
  }

  /**
   * Frames a domain owns, on one node or in all.
   *
   * @param domain - the domain.
   * @param node - a node; all nodes when omitted.
   * @returns the count (free and in use).
   */
  countOwned(domain: number, node?: number): number {
    return this.sum(this.owned, domain, node);
  }

  /**
   * Free frames of a domain, on one node or in all.
   *
   * @param domain - the domain.
   * @param node - a node; all nodes when omitted.
   * @returns the length of its free list(s).
   */
  countFree(domain: number, node?: number): number {
    return this.sum(this.freeCounts, domain, node);
  }

  private sum(counts: Int32Array, domain: number, node: number | undefined): number {
    const base = domain * this.nodeCount;
    if (node !== undefined) return counts[base + node]!;
    let total = 0;
    for (let n = 0; n < this.nodeCount; n++) total += counts[base + n]!;
    return total;
  }

  /**
   * Gives an unowned frame to a domain, free or in use: how a model lays out the initial memory.
   *
   * @param frame - a frame that no domain owns yet.
   * @param domain - the new owner.
   * @param free - true to put it on the domain's free list, false to mark it in use.
   * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_FRAME` when the frame is out of range or owned.
   */
  assign(frame: number, domain: number, free: boolean): void {
    this.checkFrame(frame);
    this.checkDomain(domain);
    if (this.owner[frame] !== NO_OWNER) {
      throw new VxError(
        "VX_PAGEFLIP_BAD_FRAME",
        `frame ${frame} already belongs to domain ${this.owner[frame]}; assign only unowned frames`,
        { path: ["frame"] },
      );
    }
    this.owner[frame] = domain;
    this.owned[domain * this.nodeCount + this.nodeOf(frame)]!++;
    if (free) this.push(domain, frame);
  }

  /**
   * Takes a free frame of a domain: from the preferred node if it has one, else from the nearest
   * node that has one. The frame becomes in use.
   *
   * @param domain - the domain allocating.
   * @param preferredNode - the node to try first (a Linux allocation's local node).
   * @returns the frame, or -1 when the domain has no free frame on any node.
   */
  allocate(domain: number, preferredNode: number): number {
    const nodes = this.nodeCount;
    const base = domain * nodes;
    const order = this.order;
    const rank = preferredNode * nodes;
    for (let k = 0; k < nodes; k++) {
      const list = base + order[rank + k]!;
      const frame = this.head[list]!;
      if (frame >= 0) {
        this.head[list] = this.next[frame]!;
        this.next[frame] = -1;
        this.freeFlag[frame] = 0;
        this.freeCounts[list]!--;
        return frame;
      }
    }
    return -1;
  }

  /**
   * Takes a free frame of a domain on exactly one node.
   *
   * @param domain - the domain allocating.
   * @param node - the node.
   * @returns the frame, or -1 when the domain has no free frame on that node.
   */
  allocateOn(domain: number, node: number): number {
    const list = domain * this.nodeCount + node;
    const frame = this.head[list]!;
    if (frame < 0) return -1;
    this.head[list] = this.next[frame]!;
    this.next[frame] = -1;
    this.freeFlag[frame] = 0;
    this.freeCounts[list]!--;
    return frame;
  }

  /**
   * Puts a frame a domain uses back on its free list for the frame's node.
   *
   * @param domain - the owner.
   * @param frame - a frame in use by `domain`.
   * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_FRAME` when the frame is out of range, owned by
   *   another domain, or already free.
   */
  release(domain: number, frame: number): void {
    if (!(this.owner[frame] === domain && this.freeFlag[frame] === 0)) {
      this.misuse("release", frame, domain);
    }
    this.push(domain, frame);
  }

  /**
   * Moves a frame in use from one domain to another (one half of a page flip: Xen's
   * `GNTTABOP_transfer`). It stays in use by its new owner.
   *
   * @param frame - a frame in use by `from`.
   * @param from - the current owner.
   * @param to - the new owner.
   * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_FRAME` when the frame is out of range, not owned by
   *   `from`, or free; `VX_PAGEFLIP_BAD_ARGUMENT` when `to` is not a domain.
   */
  transfer(frame: number, from: number, to: number): void {
    if (!(this.owner[frame] === from && this.freeFlag[frame] === 0)) {
      this.misuse("transfer", frame, from);
    }
    if (!(to >= 0 && to < this.domainCount)) this.checkDomain(to);
    const node = this.nodeOf(frame);
    const nodes = this.nodeCount;
    this.owned[from * nodes + node]!--;
    this.owned[to * nodes + node]!++;
    this.owner[frame] = to;
  }

  /**
   * Moves a frame in use by one domain onto another domain's free list: the receiving half of a
   * flip when the receiver keeps the page as a free page (`transfer` then `release` in one step).
   *
   * @param frame - a frame in use by `from`.
   * @param from - the current owner.
   * @param to - the new owner, who gets it free.
   * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_FRAME` as for {@link PageFrames.transfer}.
   */
  transferFree(frame: number, from: number, to: number): void {
    if (!(this.owner[frame] === from && this.freeFlag[frame] === 0)) {
      this.misuse("transfer", frame, from);
    }
    if (!(to >= 0 && to < this.domainCount)) this.checkDomain(to);
    const nodes = this.nodeCount;
    const node = this.nodeOf(frame);
    this.owned[from * nodes + node]!--;
    const list = to * nodes + node;
    this.owned[list]!++;
    this.owner[frame] = to;
    this.next[frame] = this.head[list]!;
    this.head[list] = frame;
    this.freeFlag[frame] = 1;
    this.freeCounts[list]!++;
  }

  private push(domain: number, frame: number): void {
    const list = domain * this.nodeCount + this.nodeOf(frame);
    this.next[frame] = this.head[list]!;
    this.head[list] = frame;
    this.freeFlag[frame] = 1;
    this.freeCounts[list]!++;
  }

  private misuse(op: string, frame: number, domain: number): never {
    this.checkFrame(frame);
    const owner = this.owner[frame]!;
    const why =
      owner !== domain
        ? `it belongs to ${owner === NO_OWNER ? "no domain" : `domain ${owner}`}`
        : "it is already free";
    throw new VxError(
      "VX_PAGEFLIP_BAD_FRAME",
      `cannot ${op} frame ${frame} as domain ${domain}: ${why}`,
      { path: ["frame"] },
    );
  }

  private checkFrame(frame: number): void {
    if (!(Number.isInteger(frame) && frame >= 0 && frame < this.frameCount)) {
      throw new VxError(
        "VX_PAGEFLIP_BAD_FRAME",
        `frame ${frame} is out of range; frames are 0 … ${this.frameCount - 1}`,
        { path: ["frame"] },
      );
    }
  }

  private checkDomain(domain: number): void {
    if (!(Number.isInteger(domain) && domain >= 0 && domain < this.domainCount)) {
      throw badArgument(
        `domain ${domain} is out of range; domains are 0 … ${this.domainCount - 1}`,
        ["domain"],
      );
    }
  }

  /**
   * Verifies conservation: every free list holds only free frames of its domain and node, each
   * once; the per-(domain, node) counts match the owner array; every free-flagged frame is on a
   * list. O(frames); for tests and debugging, not hot paths.
   *
   * @returns the problems found, empty when the state is consistent.
   */
  check(): string[] {
    const problems: string[] = [];
    const nodes = this.nodeCount;
    const lists = this.domainCount * nodes;
    const owned = new Int32Array(lists);
    let freeFlagged = 0;
    for (let f = 0; f < this.frameCount; f++) {
      const o = this.owner[f]!;
      if (this.freeFlag[f] === 1) {
        freeFlagged++;
        if (o === NO_OWNER) problems.push(`frame ${f} is free but has no owner`);
      }
      if (o === NO_OWNER) continue;
      if (o >= this.domainCount) {
        problems.push(`frame ${f} has owner ${o}, not a domain`);
        continue;
      }
      owned[o * nodes + this.nodeOf(f)]!++;
    }
    const seen = new Uint8Array(this.frameCount);
    let listed = 0;
    for (let d = 0; d < this.domainCount; d++) {
      for (let n = 0; n < nodes; n++) {
        const list = d * nodes + n;
        if (owned[list] !== this.owned[list]) {
          problems.push(
            `domain ${d} node ${n}: count says ${this.owned[list]} frames, owner array ${owned[list]}`,
          );
        }
        let length = 0;
        for (let f = this.head[list]!; f >= 0; f = this.next[f]!) {
          if (seen[f] === 1) {
            problems.push(`frame ${f} is on a free list twice (domain ${d} node ${n})`);
            break;
          }
          seen[f] = 1;
          length++;
          if (this.owner[f] !== d) problems.push(`frame ${f} on domain ${d}'s list is not its own`);
          if (this.nodeOf(f) !== n)
            problems.push(`frame ${f} on node ${n}'s list is on another node`);
          if (this.freeFlag[f] !== 1) problems.push(`frame ${f} is listed free but marked in use`);
        }
        listed += length;
        if (length !== this.freeCounts[list]) {
          problems.push(
            `domain ${d} node ${n}: free count says ${this.freeCounts[list]}, list holds ${length}`,
          );
        }
      }
    }
    if (listed !== freeFlagged) {
      problems.push(`${freeFlagged} frames are marked free but ${listed} are on free lists`);
    }
    return problems;
  }
}

/** For each node, all nodes in allocation order: itself, then by distance, then by index. */
function allocationOrder(
  nodes: number,
  distances: readonly (readonly number[])[] | undefined,
): Int32Array {
  if (distances !== undefined) {
    if (distances.length !== nodes || distances.some((row) => row.length !== nodes)) {
      throw badArgument(`expected a ${nodes} × ${nodes} distance matrix`, ["distances"]);
    }
  }
  const order = new Int32Array(nodes * nodes);
  const ids: number[] = [];
  for (let from = 0; from < nodes; from++) {
    ids.length = 0;
    for (let n = 0; n < nodes; n++) ids.push(n);
    const d = (n: number): number =>
      n === from ? Number.NEGATIVE_INFINITY : (distances?.[from]?.[n] ?? 0);
    ids.sort((a, b) => d(a) - d(b) || a - b);
    for (let k = 0; k < nodes; k++) order[from * nodes + k] = ids[k]!;
  }
  return order;
}
