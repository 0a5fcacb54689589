/**
 * Memory regions shared by VMs on different compute bricks, and the three ways of serialising
 * access to them that Bielski's thesis weighs (Université Paris-Saclay, 2019, ch. on shared
 * memory across bricks): a lock at the region's home, an ownership token that moves with the
 * writer, and versions (readers never wait; writers publish a new version and retry on a
 * conflict).
 *
 * Two fidelities that agree where both apply: {@link estimateSharedRegion} (closed form, what
 * the rack model uses) and {@link simulateSharedRegion} (every access an event).
 *
 * @module
 */

import { createRandom, type RandomStream, Simulation, VxError, type VxPath } from "@vx/core";

/** How accesses to a shared region are serialised. */
export type SerialisationMethod = "lock" | "token" | "versioned";

/** One VM's use of a shared region. */
export interface SharedAccessor {
  /** Where the VM runs (its compute brick): accessors on the same brick share an ownership token. */
  readonly brick: number;
  /** Accesses (critical sections) it starts per second, Poisson; ≥ 0. */
  readonly accessesPerSecond: number;
  /** Work inside one access, seconds; ≥ 0. */
  readonly criticalSectionSeconds: number;
  /** One-way fabric latency between its brick and the region's home, seconds; ≥ 0. */
  readonly oneWaySeconds: number;
  /** Share of its accesses that write, 0–1 (only `versioned` tells reads from writes). Default 1. */
  readonly writeFraction?: number;
  /** Bytes a writing access modifies (flushed when the token moves, copied into a new version). Default 4096. */
  readonly writeBytes?: number;
}

/** Options of {@link estimateSharedRegion} and {@link simulateSharedRegion}. */
export interface SharedRegionOptions {
  /** The serialisation method. */
  readonly method: SerialisationMethod;
  /** Who accesses it. */
  readonly accessors: readonly SharedAccessor[];
  /** Fabric bandwidth for flushes and version copies, bytes/s; > 0. */
  readonly bytesPerSecond: number;
}

/** What one accessor sees. */
export interface AccessorCost {
  /**
   * Mean time from wanting an access to the end of its critical section, seconds; `null` when
   * the region is saturated (waits grow without bound).
   */
  readonly accessSeconds: number | null;
  /** Of which waiting for others (queue, or retries after conflicts), seconds; `null` when saturated. */
  readonly waitSeconds: number | null;
  /** Share of the accesses it asks for that the region can serve: 1 unless saturated (then `1 / utilisation`). */
  readonly throughputFraction: number;
}

/** The cost of a shared region, from {@link estimateSharedRegion} or {@link simulateSharedRegion}. */
export interface SharedRegionCost {
  /** The method. */
  readonly method: SerialisationMethod;
  /**
   * Busy share of the serialisation point: the lock or token (`lock`, `token`), or the mean
   * number of write attempts in flight (`versioned`).
   */
  readonly utilisation: number;
  /** Whether demand exceeds what the lock or token can serve (`utilisation ≥ 1`). */
  readonly saturated: boolean;
  /** Token moves per second (`token`), 0 otherwise. */
  readonly tokenTransfersPerSecond: number;
  /** Probability a write attempt conflicts and retries (`versioned`), 0 otherwise. */
  readonly conflictProbability: number;
  /** Rate-weighted mean access time, seconds; `null` when saturated or nobody accesses. */
  readonly meanAccessSeconds: number | null;
  /** Per accessor, in order. */
  readonly accessors: readonly AccessorCost[];
}

/** One entry of {@link SERIALISATION_METHODS}. */
export interface SerialisationMethodInfo {
  /** What it does and what it costs. */
  readonly description: string;
  /** Where the model comes from. */
  readonly source: string;
}

/**
 * The serialisation methods: the one place that lists them (schemas, docs and help read it).
 */
export const SERIALISATION_METHODS: Readonly<Record<SerialisationMethod, SerialisationMethodInfo>> =
  {
    lock: {
      description:
        "a lock at the region's home: request and grant cross the fabric (2 one-way latencies), the lock stays held until the release reaches home; accesses queue first come, first served",
      source:
        "M/G/1 queue, Pollaczek–Khinchine mean wait (L. Kleinrock, Queueing Systems vol. 1, 1975, §5.6)",
    },
    token: {
      description:
        "an ownership token: the brick that holds it accesses the region at local cost; another brick must fetch it (2 one-way latencies) and the holder flushes what it wrote",
      source:
        "M/G/1 queue whose service time depends on whether the token must move (Kleinrock 1975, §5.6)",
    },
    versioned: {
      description:
        "versions: readers read the current version (one round trip) and never wait; a writer copies what it changes into a new version and publishes it with a compare-and-swap (one round trip), retrying if another writer published first",
      source:
        "optimistic concurrency control (H. T. Kung & J. T. Robinson, ACM TODS 6(2), 1981); conflicts as Poisson arrivals of other commits",
    },
  };

/** The method names. */
export const SERIALISATION_METHOD_NAMES: readonly SerialisationMethod[] = [
  "lock",
  "token",
  "versioned",
];

/** Defaults of {@link SharedAccessor}. */
export const SHARED_ACCESSOR_DEFAULTS: {
  readonly writeFraction: number;
  readonly writeBytes: number;
} = { writeFraction: 1, writeBytes: 4096 };

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_DISAGG_BAD_ARGUMENT", message, { path });
}

function check(options: SharedRegionOptions): void {
  if (!(options.method in SERIALISATION_METHODS)) {
    bad(
      `method is one of ${SERIALISATION_METHOD_NAMES.join(", ")}, got ${String(options.method)}.`,
      ["method"],
    );
  }
  if (!(options.bytesPerSecond > 0 && options.bytesPerSecond < Number.POSITIVE_INFINITY)) {
    bad(`bytesPerSecond must be finite and > 0, got ${String(options.bytesPerSecond)}.`, [
      "bytesPerSecond",
    ]);
  }
  options.accessors.forEach((a, i) => {
    const nonNegative = (x: number | undefined, key: string): void => {
      if (x !== undefined && !(x >= 0 && x < Number.POSITIVE_INFINITY)) {
        bad(`${key} must be finite and ≥ 0, got ${String(x)}.`, ["accessors", i, key]);
      }
    };
    nonNegative(a.accessesPerSecond, "accessesPerSecond");
    nonNegative(a.criticalSectionSeconds, "criticalSectionSeconds");
    nonNegative(a.oneWaySeconds, "oneWaySeconds");
    nonNegative(a.writeBytes, "writeBytes");
    const wf = a.writeFraction;
    if (wf !== undefined && !(wf >= 0 && wf <= 1)) {
      bad(`writeFraction is 0–1, got ${String(wf)}.`, ["accessors", i, "writeFraction"]);
    }
    if (!Number.isInteger(a.brick)) bad("brick must be an integer id.", ["accessors", i, "brick"]);
  });
}

const writeFractionOf = (a: SharedAccessor): number =>
  a.writeFraction ?? SHARED_ACCESSOR_DEFAULTS.writeFraction;
const writeBytesOf = (a: SharedAccessor): number =>
  a.writeBytes ?? SHARED_ACCESSOR_DEFAULTS.writeBytes;

/** Rate-weighted mean of the bytes a writer leaves dirty (what a token move flushes). */
function meanDirtyBytes(accessors: readonly SharedAccessor[]): number {
  let rate = 0;
  let bytes = 0;
  for (const a of accessors) {
    rate += a.accessesPerSecond;
    bytes += a.accessesPerSecond * writeFractionOf(a) * writeBytesOf(a);
  }
  return rate > 0 ? bytes / rate : 0;
}

/**
 * The closed-form cost of a shared region: mean access time, waits and utilisation per accessor.
 *
 * - `lock`: service at the lock `S = c + 2L` (grant out, critical section, release back); an
 *   access takes `2L + c + W` with `W = Σλ·S² / (2(1 − ρ))` (Pollaczek–Khinchine), `ρ = Σλ·S`.
 * - `token`: an access by brick `b` finds the token elsewhere with probability `1 − Λ_b / Λ`
 *   (first come, first served over merged Poisson streams); then it pays `2L + d / B` (fetch the
 *   token, flush `d`, the mean dirty bytes per access); the same M/G/1 wait.
 * - `versioned`: a read takes `2L + c`; a write attempt `T = c + w / B + 2L`, conflicting with
 *   probability `P = 1 − exp(−Λ_w·T)` where `Λ_w` is the rate of writes (their commits, taken as
 *   Poisson); `1 / (1 − P)` attempts. The Poisson view underestimates conflicts once `Λ_w·T`
 *   nears 0.5: retried writers commit later, so commits spread out more evenly than Poisson
 *   arrivals and a window of length T more often holds one.
 *
 * Saturation (`ρ ≥ 1` for lock and token) is an outcome: accessors get `1 / ρ` of the accesses
 * they ask for and `accessSeconds` is `null`.
 *
 * @param options - method, accessors, bandwidth.
 * @returns the cost.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for an unknown method or a negative or
 *   non-finite figure.
 * @example
 * ```ts
 * const c = estimateSharedRegion({
 *   method: "lock",
 *   bytesPerSecond: 3.125e9,
 *   accessors: [0, 1].map((brick) => ({ brick, accessesPerSecond: 1000, criticalSectionSeconds: 100e-6, oneWaySeconds: 1e-6 })),
 * });
 * c.utilisation; // 0.204: 2000 × 102 µs
 * ```
 */
export function estimateSharedRegion(options: SharedRegionOptions): SharedRegionCost {
  check(options);
  switch (options.method) {
    case "lock":
      return queueCost(options, (a) => ({ pMove: 1, move: 2 * a.oneWaySeconds }));
    case "token": {
      const dirty = meanDirtyBytes(options.accessors);
      const byBrick = new Map<number, number>();
      let total = 0;
      for (const a of options.accessors) {
        byBrick.set(a.brick, (byBrick.get(a.brick) ?? 0) + a.accessesPerSecond);
        total += a.accessesPerSecond;
      }
      let transfers = 0;
      const cost = queueCost(options, (a) => {
        const pMove = total > 0 ? 1 - byBrick.get(a.brick)! / total : 0;
        transfers += a.accessesPerSecond * pMove;
        return { pMove, move: 2 * a.oneWaySeconds + dirty / options.bytesPerSecond };
      });
      return { ...cost, tokenTransfersPerSecond: transfers };
    }
    default:
      return versionedCost(options);
  }
}

/**
 * M/G/1 cost for lock and token: each access's service is `c` plus, with probability `pMove`,
 * `move`. The response of an access is wait + `move`-part + `c`; for the lock the request
 * itself crosses the fabric in `move` as well.
 */
function queueCost(
  options: SharedRegionOptions,
  moveOf: (a: SharedAccessor) => { readonly pMove: number; readonly move: number },
): SharedRegionCost {
  const parts = options.accessors.map(moveOf);
  let rho = 0;
  let second = 0; // Σ λ E[S²]
  let rate = 0;
  options.accessors.forEach((a, i) => {
    const { pMove, move } = parts[i]!;
    const c = a.criticalSectionSeconds;
    const lambda = a.accessesPerSecond;
    rho += lambda * (c + pMove * move);
    second += lambda * ((1 - pMove) * c * c + pMove * (c + move) * (c + move));
    rate += lambda;
  });
  const saturated = rho >= 1;
  const wait = saturated ? Number.NaN : second / (2 * (1 - rho));
  let weighted = 0;
  const accessors = options.accessors.map((a, i): AccessorCost => {
    const { pMove, move } = parts[i]!;
    if (saturated) return { accessSeconds: null, waitSeconds: null, throughputFraction: 1 / rho };
    const access = wait + pMove * move + a.criticalSectionSeconds;
    weighted += a.accessesPerSecond * access;
    return { accessSeconds: access, waitSeconds: wait, throughputFraction: 1 };
  });
  return {
    method: options.method,
    utilisation: rho,
    saturated,
    tokenTransfersPerSecond: 0,
    conflictProbability: 0,
    meanAccessSeconds: saturated || rate === 0 ? null : weighted / rate,
    accessors,
  };
}

function versionedCost(options: SharedRegionOptions): SharedRegionCost {
  const B = options.bytesPerSecond;
  let writeRate = 0;
  for (const a of options.accessors) writeRate += a.accessesPerSecond * writeFractionOf(a);
  let inFlight = 0;
  let conflicts = 0;
  let attempts = 0;
  let weighted = 0;
  let rate = 0;
  const accessors = options.accessors.map((a): AccessorCost => {
    const wf = writeFractionOf(a);
    const lw = a.accessesPerSecond * wf;
    const c = a.criticalSectionSeconds;
    const read = 2 * a.oneWaySeconds + c;
    const attempt = c + writeBytesOf(a) / B + 2 * a.oneWaySeconds;
    // Any other write committing during the attempt (another VM's, or another vCPU's of the
    // same VM: accesses of one accessor may overlap) forces a retry.
    const p = 1 - Math.exp(-writeRate * attempt);
    const tries = 1 / (1 - p);
    const write = attempt * tries;
    inFlight += lw * write;
    conflicts += lw * p * tries;
    attempts += lw * tries;
    const access = (1 - wf) * read + wf * write;
    weighted += a.accessesPerSecond * access;
    rate += a.accessesPerSecond;
    return {
      accessSeconds: access,
      waitSeconds: wf * (write - attempt),
      throughputFraction: 1,
    };
  });
  return {
    method: "versioned",
    utilisation: inFlight,
    saturated: false,
    tokenTransfersPerSecond: 0,
    conflictProbability: attempts > 0 ? conflicts / attempts : 0,
    meanAccessSeconds: rate > 0 ? weighted / rate : null,
    accessors,
  };
}

/** Options of {@link simulateSharedRegion}: the region, and how long and with which seed to run. */
export interface SimulateSharedRegionOptions extends SharedRegionOptions {
  /** Simulated time during which accesses start, seconds; > 0. */
  readonly durationSeconds: number;
  /** Accesses that start before this are not measured (warm-up), seconds. Default 0. */
  readonly warmupSeconds?: number;
  /** Seed of the arrival streams. Default 1. */
  readonly seed?: number;
}

/** What {@link simulateSharedRegion} adds to a {@link SharedRegionCost}: counts. */
export interface SharedRegionRun extends SharedRegionCost {
  /** Accesses measured (started after the warm-up, finished). */
  readonly accesses: number;
  /** Kernel events processed. */
  readonly events: number;
}

/**
 * Simulates a shared region access by access on the event kernel: Poisson arrivals per accessor
 * (each its own seeded stream), and the exact protocol of the method (messages, queue, token
 * location, version numbers and retries). Use it to check or go beyond the closed form of
 * {@link estimateSharedRegion}; cost grows with the number of accesses.
 *
 * @param options - method, accessors, bandwidth, duration, warm-up, seed.
 * @returns measured means (saturation shows as ever-growing waits: `saturated` is set from the
 *   offered utilisation as in the closed form).
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` as {@link estimateSharedRegion}, or for a
 *   duration ≤ 0 or a warm-up outside [0, duration).
 * @example
 * ```ts
 * const run = simulateSharedRegion({
 *   method: "token",
 *   bytesPerSecond: 3.125e9,
 *   durationSeconds: 60,
 *   accessors: [0, 1].map((brick) => ({ brick, accessesPerSecond: 1000, criticalSectionSeconds: 100e-6, oneWaySeconds: 1e-6 })),
 * });
 * run.tokenTransfersPerSecond; // ≈ 1000: half the accesses find the token on the other brick
 * ```
 */
export function simulateSharedRegion(options: SimulateSharedRegionOptions): SharedRegionRun {
  check(options);
  const duration = options.durationSeconds;
  const warmup = options.warmupSeconds ?? 0;
  if (!(duration > 0 && duration < Number.POSITIVE_INFINITY)) {
    bad(`durationSeconds must be finite and > 0, got ${String(duration)}.`, ["durationSeconds"]);
  }
  if (!(warmup >= 0 && warmup < duration)) {
    bad(`warmupSeconds must be in [0, durationSeconds), got ${String(warmup)}.`, ["warmupSeconds"]);
  }
  return new SharedRegionSimulation(options, duration, warmup, options.seed ?? 1).run();
}

/** The event-level engine of {@link simulateSharedRegion}: one method per protocol step. */
class SharedRegionSimulation {
  private readonly sim = new Simulation();
  private readonly accessors: readonly SharedAccessor[];
  private readonly method: SerialisationMethod;
  private readonly B: number;
  private readonly dirty: number;
  private readonly streams: readonly RandomStream[];
  private readonly sum: Float64Array;
  private readonly waitSum: Float64Array;
  private readonly count: Float64Array;
  // lock / token: FIFO queue of (accessor, arrival time), served one at a time.
  private queueAccessor: number[] = [];
  private queueArrival: number[] = [];
  private queueHead = 0;
  private busy = false;
  private tokenBrick = Number.NaN;
  private transfers = 0;
  private busyTime = 0;
  // versioned
  private version = 0;
  private attempts = 0;
  private conflicts = 0;

  constructor(
    options: SharedRegionOptions,
    private readonly duration: number,
    private readonly warmup: number,
    seed: number,
  ) {
    this.accessors = options.accessors;
    this.method = options.method;
    this.B = options.bytesPerSecond;
    this.dirty = meanDirtyBytes(options.accessors);
    const root = createRandom(seed).stream("shared-region");
    this.streams = options.accessors.map((_, i) => root.stream(`accessor-${i}`));
    const n = options.accessors.length;
    this.sum = new Float64Array(n);
    this.waitSum = new Float64Array(n);
    this.count = new Float64Array(n);
  }

  run(): SharedRegionRun {
    this.accessors.forEach((a, i) => {
      if (a.accessesPerSecond > 0) this.scheduleArrival(i);
    });
    const summary = this.sim.run();
    return this.result(summary.events);
  }

  private scheduleArrival(i: number): void {
    const gap = this.streams[i]!.exponential(this.accessors[i]!.accessesPerSecond);
    const at = this.sim.now + gap;
    if (at >= this.duration) return;
    this.sim.scheduleAt(at, this.arrive, i);
  }

  private readonly arrive = (i: number): void => {
    this.scheduleArrival(i);
    if (this.method === "versioned") this.versionedStart(i, this.sim.now);
    else this.enqueue(i, this.sim.now);
  };

  private enqueue(i: number, arrival: number): void {
    this.queueAccessor.push(i);
    this.queueArrival.push(arrival);
    if (!this.busy) this.serveNext();
  }

  /** Lock or token: serve the head of the queue. */
  private serveNext(): void {
    if (this.queueHead === this.queueAccessor.length) {
      this.busy = false;
      if (this.queueHead > 1024) {
        this.queueAccessor = [];
        this.queueArrival = [];
        this.queueHead = 0;
      }
      return;
    }
    this.busy = true;
    const i = this.queueAccessor[this.queueHead]!;
    const arrival = this.queueArrival[this.queueHead]!;
    this.queueHead++;
    const a = this.accessors[i]!;
    const now = this.sim.now;
    const c = a.criticalSectionSeconds;
    let move: number;
    if (this.method === "lock") {
      move = 2 * a.oneWaySeconds; // grant out, release back
    } else {
      move =
        this.tokenBrick === a.brick || Number.isNaN(this.tokenBrick)
          ? 0
          : 2 * a.oneWaySeconds + this.dirty / this.B;
      if (move > 0 || Number.isNaN(this.tokenBrick)) {
        if (move > 0) this.transfers++;
        this.tokenBrick = a.brick;
      }
    }
    const service = c + move;
    this.busyTime += service;
    // The access ends at: lock, grant (L) + c; token, move + c. The serialisation point frees after `service`.
    const end = this.method === "lock" ? now + a.oneWaySeconds + c : now + move + c;
    // For the lock the request travelled L before reaching the queue: count it in the access.
    const started = this.method === "lock" ? arrival - a.oneWaySeconds : arrival;
    this.record(i, started, end, now - arrival);
    this.sim.schedule(service, this.release);
  }

  private readonly release = (): void => {
    this.serveNext();
  };

  private versionedStart(i: number, started: number): void {
    const a = this.accessors[i]!;
    const isWrite = this.streams[i]!.next() < writeFractionOf(a);
    if (!isWrite) {
      const end = started + 2 * a.oneWaySeconds + a.criticalSectionSeconds;
      this.record(i, started, end, 0);
      return;
    }
    this.attempt(i, started);
  }

  private attempt(i: number, started: number): void {
    const a = this.accessors[i]!;
    const T = a.criticalSectionSeconds + writeBytesOf(a) / this.B + 2 * a.oneWaySeconds;
    this.attempts++;
    const seen = this.version;
    this.sim.schedule(T, () => {
      if (this.version !== seen) {
        this.conflicts++;
        this.attempt(i, started);
        return;
      }
      this.version++;
      this.record(i, started, this.sim.now, this.sim.now - started - T);
    });
  }

  private record(i: number, started: number, end: number, wait: number): void {
    // Accesses are measured by when they were wanted (the lock's request is shifted back by L).
    if (started + (this.method === "lock" ? this.accessors[i]!.oneWaySeconds : 0) < this.warmup) {
      return;
    }
    this.sum[i]! += end - started;
    this.waitSum[i]! += wait;
    this.count[i]!++;
  }

  private result(events: number): SharedRegionRun {
    const offered = estimateSharedRegion({
      method: this.method,
      accessors: this.accessors,
      bytesPerSecond: this.B,
    });
    let total = 0;
    let n = 0;
    const accessors = this.accessors.map((_, i): AccessorCost => {
      const k = this.count[i]!;
      total += this.sum[i]!;
      n += k;
      return {
        accessSeconds: k > 0 ? this.sum[i]! / k : null,
        waitSeconds: k > 0 ? this.waitSum[i]! / k : null,
        throughputFraction: offered.accessors[i]!.throughputFraction,
      };
    });
    const horizon = Math.max(this.sim.now, this.duration);
    return {
      method: this.method,
      utilisation:
        this.method === "versioned"
          ? offered.utilisation
          : this.busyTime / Math.max(horizon, 1e-300),
      saturated: offered.saturated,
      tokenTransfersPerSecond: this.method === "token" ? this.transfers / this.duration : 0,
      conflictProbability: this.attempts > 0 ? this.conflicts / this.attempts : 0,
      meanAccessSeconds: n > 0 ? total / n : null,
      accessors,
      accesses: n,
      events,
    };
  }
}
