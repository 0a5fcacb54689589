/**
 * The layout of a disaggregated rack: trays of bricks (compute, memory, accelerator, NIC,
 * storage) and the fabric that joins them, as dReDBox builds it (Katrinis et al., DATE 2016;
 * Bielski et al., DATE 2018): homogeneous bricks on trays, a circuit-switched optical fabric
 * between trays, an orchestrator that assembles a slot for each workload out of bricks.
 *
 * One zod schema ({@link rackLayoutSchema}) turns human input (`"256GiB"`, `"25Gbps"`,
 * `"250ns"`) into base units and fills every default; the defaults are exported
 * ({@link BRICK_DEFAULTS}, {@link FABRIC_DEFAULTS}) and each is a documented assumption where no
 * published figure exists.
 *
 * @module
 */

import { bytesSchema, durationSchema, Gbps, GiB, ms, ns, parseWith, rateSchema } from "@vx/core";
import { z } from "zod";

/** The kinds of brick. */
export type BrickKind = "compute" | "memory" | "accelerator" | "nic" | "storage";

/** The kinds of device brick (bricks whose units are attached to a VM by remote passthrough). */
export type DeviceKind = "accelerator" | "nic" | "storage";

/** Every brick kind, in the order layouts list them. */
export const BRICK_KINDS: readonly BrickKind[] = [
  "compute",
  "memory",
  "accelerator",
  "nic",
  "storage",
];

/** The device kinds. */
export const DEVICE_KINDS: readonly DeviceKind[] = ["accelerator", "nic", "storage"];

/** How a brick draws power: linear in its utilisation between idle and peak. */
export interface BrickPower {
  /** Watts when powered and idle. */
  readonly idleWatts: number;
  /** Watts at full utilisation. */
  readonly peakWatts: number;
}

/** One brick of a validated layout (base units, defaults filled). */
export interface Brick {
  /** Index in {@link RackLayout.bricks}: the brick's id everywhere in the model. */
  readonly id: number;
  /** A label, unique in the rack (`<tray>.<kind><i>` unless given). */
  readonly name: string;
  /** What it offers. */
  readonly kind: BrickKind;
  /** Index of its tray. */
  readonly tray: number;
  /** CPU cores (compute bricks; 0 otherwise). */
  readonly cores: number;
  /**
   * Memory it holds, bytes: a memory brick's banks, or a compute brick's local memory (usable by
   * VMs on any brick, like a memory brick's). 0 for device bricks.
   */
  readonly memoryBytes: number;
  /** Units it can attach (device bricks: accelerators, NIC ports, drives); 0 otherwise. */
  readonly units: number;
  /** Bandwidth of one unit, bytes/s (device bricks). */
  readonly unitBytesPerSecond: number;
  /** Latency of one unit's I/O when attached locally, seconds (device bricks). */
  readonly unitLatencySeconds: number;
  /** Fabric ports (transceiver channels) it has. */
  readonly ports: number;
  /** Its power model. */
  readonly power: BrickPower;
}

/** Circuit-switched (optical) or packet-switched fabric. */
export type FabricKind = "circuit" | "packet";

/** The fabric of a validated layout. */
export interface FabricSpec {
  /**
   * `circuit`: an optical circuit switch; each pair of bricks that talk holds a circuit (one
   * port at each end, the port's full bandwidth, set up by a reconfiguration). `packet`: a
   * non-blocking packet switch; every flow of a brick shares its ports' aggregate bandwidth.
   */
  readonly kind: FabricKind;
  /** Bandwidth of one port, each direction, bytes/s. */
  readonly portBytesPerSecond: number;
  /** One-way latency a port adds (SerDes, MAC, glue logic), seconds. */
  readonly portLatencySeconds: number;
  /** One-way latency of the switch between trays, seconds. */
  readonly switchLatencySeconds: number;
  /** One-way latency between two bricks of the same tray (the tray's own interconnect), seconds. */
  readonly trayLatencySeconds: number;
  /** Fibre from a brick to the switch, metres (light in fibre: 5 ns per metre). */
  readonly cableMetres: number;
  /** Time to set up a circuit (circuit fabrics), seconds. */
  readonly reconfigurationSeconds: number;
  /** Watts per port in use (a transceiver with a link up). */
  readonly portWatts: number;
  /** Watts of the switch, always on. */
  readonly switchWatts: number;
}

/** A validated rack layout. */
export interface RackLayout {
  /** Every brick, tray by tray. */
  readonly bricks: readonly Brick[];
  /** Number of trays. */
  readonly trays: number;
  /** Tray names, by index. */
  readonly trayNames: readonly string[];
  /** The fabric. */
  readonly fabric: FabricSpec;
}

/** A quantity: a number in base units or a human string (`"64GiB"`, `"25Gbps"`, `"250ns"`). */
export type QuantityInput = number | string;

/** Input form of one group of identical bricks in a tray. */
export interface BrickGroupInput {
  /** What they offer. */
  readonly kind: BrickKind;
  /** How many. Default 1. */
  readonly count?: number;
  /** Name prefix; bricks are `<name><i>`. Default `<tray>.<kind>`. */
  readonly name?: string;
  /** Cores of a compute brick. */
  readonly cores?: number;
  /** A compute brick's local memory. */
  readonly localMemory?: QuantityInput;
  /** A memory brick's capacity. */
  readonly memory?: QuantityInput;
  /** A device brick's units. */
  readonly units?: number;
  /** Bandwidth of one device unit. */
  readonly unitBandwidth?: QuantityInput;
  /** Local I/O latency of one device unit. */
  readonly unitLatency?: QuantityInput;
  /** Fabric ports. Default the fabric's `ports`. */
  readonly ports?: number;
  /** Watts idle. */
  readonly idleWatts?: number;
  /** Watts at full utilisation. */
  readonly peakWatts?: number;
}

/** Input form of a tray. */
export interface TrayInput {
  /** A label. Default `tray<i>`. */
  readonly name?: string;
  /** Its bricks, by group. */
  readonly bricks: readonly BrickGroupInput[];
}

/** Input form of {@link FabricSpec}. */
export interface FabricInput {
  readonly kind?: FabricKind;
  /** Ports per brick (unless a brick group says otherwise). */
  readonly ports?: number;
  readonly portBandwidth?: QuantityInput;
  readonly portLatency?: QuantityInput;
  readonly switchLatency?: QuantityInput;
  readonly trayLatency?: QuantityInput;
  readonly cableMetres?: number;
  readonly reconfiguration?: QuantityInput;
  readonly portWatts?: number;
  readonly switchWatts?: number;
}

/** Input form of {@link RackLayout}: the `rack` of a disaggregated scenario. */
export interface RackLayoutInput {
  readonly trays: readonly TrayInput[];
  readonly fabric?: FabricInput;
}

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * Default brick sizes and power. No product defines a "brick"; dReDBox's prototype bricks were
 * Zynq UltraScale+ boards (Bielski et al., DATE 2018), far smaller than a server. These defaults
 * are *assumptions* sized like a server's parts, so a rack can be compared with a clustered data
 * center of the same total capacity; change them to study other designs.
 *
 * - compute: 32 cores, 16 GiB of local memory, 60 W idle, 160 W at full load (a two-socket
 *   board without most of its DIMMs).
 * - memory: 256 GiB, 25 W idle (self-refresh, controller, glue logic), 85 W with every section
 *   in use (about 0.23 W per GiB of active DDR4).
 * - accelerator: 4 units of 16 GB/s, 20 µs per I/O, 30 W idle, 300 W at full use.
 * - nic: 4 ports of 100 Gbit/s, 5 µs per packet, 15 W idle, 40 W.
 * - storage: 8 NVMe drives of 3 GB/s, 80 µs per I/O, 20 W idle, 100 W.
 */
export const BRICK_DEFAULTS: {
  readonly compute: {
    readonly cores: number;
    readonly localMemoryBytes: number;
    readonly power: BrickPower;
  };
  readonly memory: { readonly memoryBytes: number; readonly power: BrickPower };
  readonly accelerator: DeviceDefaults;
  readonly nic: DeviceDefaults;
  readonly storage: DeviceDefaults;
} = {
  compute: { cores: 32, localMemoryBytes: GiB(16), power: { idleWatts: 60, peakWatts: 160 } },
  memory: { memoryBytes: GiB(256), power: { idleWatts: 25, peakWatts: 85 } },
  accelerator: {
    units: 4,
    unitBytesPerSecond: 16e9,
    unitLatencySeconds: 20e-6,
    power: { idleWatts: 30, peakWatts: 300 },
  },
  nic: {
    units: 4,
    unitBytesPerSecond: Gbps(100),
    unitLatencySeconds: 5e-6,
    power: { idleWatts: 15, peakWatts: 40 },
  },
  storage: {
    units: 8,
    unitBytesPerSecond: 3e9,
    unitLatencySeconds: 80e-6,
    power: { idleWatts: 20, peakWatts: 100 },
  },
};

/** Defaults of one kind of device brick. */
export interface DeviceDefaults {
  /** Units per brick. */
  readonly units: number;
  /** Bandwidth of a unit, bytes/s. */
  readonly unitBytesPerSecond: number;
  /** Local I/O latency of a unit, seconds. */
  readonly unitLatencySeconds: number;
  /** Power. */
  readonly power: BrickPower;
}

/**
 * Default fabric.
 *
 * - kind `circuit`: dReDBox's optical circuit switch between trays.
 * - 8 ports of 25 Gbit/s per brick (*assumption*: dReDBox bricks had several multi-gigabit
 *   transceivers; Zervas et al., JOCN 10(2), 2018, bond channels for memory bandwidth).
 * - 250 ns per port, each way (*assumption*: SerDes, framing and the brick's glue logic; a remote
 *   round trip then costs about 1 µs, the order of the 134 clock cycles dReDBox measured for a
 *   remote access at its FPGA clock: Syrivelis et al., SAMOS 2017).
 * - switch: 10 ns for a circuit (an optical circuit switch does not buffer: light crosses it),
 *   300 ns for a packet switch (state-of-the-art cut-through switch: Sella, Moore & Zilberman,
 *   "FEC killed the cut-through switch", HotConNet 2018).
 * - 10 ns within a tray (*assumption*: a circuit across the tray's backplane, tens of
 *   centimetres, no fibre to the switch).
 * - 3 m of fibre each side (5 ns per metre: light at about 2 × 10^8 m/s in silica).
 * - 25 ms to set up a circuit (*assumption* within the 10–100 ms of MEMS optical circuit switches
 *   reported by Porter et al., "Integrating microsecond circuit switching into the data center",
 *   SIGCOMM 2013; their fast switch reconfigures in 11.5 µs: set `reconfiguration` to study it).
 * - 1 W per port in use (*assumption*: a 25G optical transceiver), switch 50 W for a circuit
 *   switch and 150 W for a packet switch (*assumptions*).
 */
export const FABRIC_DEFAULTS: {
  readonly kind: FabricKind;
  readonly ports: number;
  readonly portBytesPerSecond: number;
  readonly portLatencySeconds: number;
  readonly switchLatencySeconds: { readonly circuit: number; readonly packet: number };
  readonly trayLatencySeconds: number;
  readonly cableMetres: number;
  readonly reconfigurationSeconds: number;
  readonly portWatts: number;
  readonly switchWatts: { readonly circuit: number; readonly packet: number };
} = {
  kind: "circuit",
  ports: 8,
  portBytesPerSecond: Gbps(25),
  portLatencySeconds: ns(250),
  switchLatencySeconds: { circuit: ns(10), packet: ns(300) },
  trayLatencySeconds: ns(10),
  cableMetres: 3,
  reconfigurationSeconds: ms(25),
  portWatts: 1,
  switchWatts: { circuit: 50, packet: 150 },
};

/** Nanoseconds of light per metre of fibre. */
export const FIBRE_SECONDS_PER_METRE = 5e-9;

// ---------------------------------------------------------------------------------------------
// Schema

const watts = z.number().min(0).max(1e6);

const brickGroupSchema = z.strictObject({
  kind: z.enum(["compute", "memory", "accelerator", "nic", "storage"]),
  count: z.int().min(1).max(4096).default(1),
  name: z.string().min(1).optional(),
  cores: z.int().min(1).max(4096).optional(),
  localMemory: bytesSchema({ max: "64TiB" }).optional(),
  memory: bytesSchema({ allowZero: false, max: "64TiB" }).optional(),
  units: z.int().min(1).max(1024).optional(),
  unitBandwidth: rateSchema({ allowZero: false }).optional(),
  unitLatency: durationSchema({ max: "1s" }).optional(),
  ports: z.int().min(1).max(1024).optional(),
  idleWatts: watts.optional(),
  peakWatts: watts.optional(),
});

const fabricSchema = z
  .strictObject({
    kind: z.enum(["circuit", "packet"]).default(FABRIC_DEFAULTS.kind),
    ports: z.int().min(1).max(1024).default(FABRIC_DEFAULTS.ports),
    portBandwidth: rateSchema({ allowZero: false }).default(FABRIC_DEFAULTS.portBytesPerSecond),
    portLatency: durationSchema({ max: "1ms" }).default(FABRIC_DEFAULTS.portLatencySeconds),
    switchLatency: durationSchema({ max: "1ms" }).optional(),
    trayLatency: durationSchema({ max: "1ms" }).default(FABRIC_DEFAULTS.trayLatencySeconds),
    cableMetres: z.number().min(0).max(100_000).default(FABRIC_DEFAULTS.cableMetres),
    reconfiguration: durationSchema({ max: "1h" }).default(FABRIC_DEFAULTS.reconfigurationSeconds),
    portWatts: watts.default(FABRIC_DEFAULTS.portWatts),
    switchWatts: watts.optional(),
  })
  .prefault({});

const traySchema = z.strictObject({
  name: z.string().min(1).optional(),
  bricks: z.array(brickGroupSchema).min(1),
});

const layoutSchema = z
  .strictObject({
    trays: z.array(traySchema).min(1).max(1024),
    fabric: fabricSchema,
  })
  .superRefine((input, ctx) => {
    let total = 0;
    const names = new Set<string>();
    input.trays.forEach((tray, t) => {
      const trayName = tray.name ?? `tray${t}`;
      tray.bricks.forEach((g, i) => {
        total += g.count;
        const prefix = g.name ?? `${trayName}.${g.kind}`;
        for (let k = 0; k < g.count; k++) {
          const name = `${prefix}${k}`;
          if (names.has(name)) {
            ctx.addIssue({
              code: "custom",
              message: `brick name "${name}" is used twice; give the groups different names.`,
              path: ["trays", t, "bricks", i, "name"],
              params: { vxCode: "VX_DISAGG_DUPLICATE" },
            });
          }
          names.add(name);
        }
        const allowed = ALLOWED_FIELDS[g.kind];
        for (const key of OPTIONAL_FIELDS) {
          if (g[key] !== undefined && !allowed.includes(key)) {
            ctx.addIssue({
              code: "custom",
              message: `a ${g.kind} brick has no "${key}"; it takes ${allowed.join(", ")}.`,
              path: ["trays", t, "bricks", i, key],
              params: { vxCode: "VX_DISAGG_BAD_BRICK" },
            });
          }
        }
        const idle = g.idleWatts ?? powerDefaults(g.kind).idleWatts;
        const peak = g.peakWatts ?? powerDefaults(g.kind).peakWatts;
        if (idle > peak) {
          ctx.addIssue({
            code: "custom",
            message: `idleWatts (${idle}) is above peakWatts (${peak}).`,
            path: ["trays", t, "bricks", i, g.idleWatts !== undefined ? "idleWatts" : "peakWatts"],
            params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" },
          });
        }
      });
    });
    if (total > 65_536) {
      ctx.addIssue({
        code: "custom",
        message: `a rack holds at most 65,536 bricks, got ${total}.`,
        path: ["trays"],
        params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" },
      });
    }
  })
  .transform((input): RackLayout => {
    const bricks: Brick[] = [];
    const trayNames: string[] = [];
    const f = input.fabric;
    input.trays.forEach((tray, t) => {
      const trayName = tray.name ?? `tray${t}`;
      trayNames.push(trayName);
      for (const g of tray.bricks) {
        const prefix = g.name ?? `${trayName}.${g.kind}`;
        for (let k = 0; k < g.count; k++) {
          bricks.push(makeBrick(bricks.length, `${prefix}${k}`, t, g, f.ports));
        }
      }
    });
    return {
      bricks,
      trays: input.trays.length,
      trayNames,
      fabric: {
        kind: f.kind,
        portBytesPerSecond: f.portBandwidth,
        portLatencySeconds: f.portLatency,
        switchLatencySeconds: f.switchLatency ?? FABRIC_DEFAULTS.switchLatencySeconds[f.kind],
        trayLatencySeconds: f.trayLatency,
        cableMetres: f.cableMetres,
        reconfigurationSeconds: f.kind === "circuit" ? f.reconfiguration : 0,
        portWatts: f.portWatts,
        switchWatts: f.switchWatts ?? FABRIC_DEFAULTS.switchWatts[f.kind],
      },
    };
  });

type GroupOutput = z.output<typeof brickGroupSchema>;
type OptionalField = "cores" | "localMemory" | "memory" | "units" | "unitBandwidth" | "unitLatency";
const OPTIONAL_FIELDS: readonly OptionalField[] = [
  "cores",
  "localMemory",
  "memory",
  "units",
  "unitBandwidth",
  "unitLatency",
];
const DEVICE_FIELDS: readonly OptionalField[] = ["units", "unitBandwidth", "unitLatency"];
const ALLOWED_FIELDS: Readonly<Record<BrickKind, readonly OptionalField[]>> = {
  compute: ["cores", "localMemory"],
  memory: ["memory"],
  accelerator: DEVICE_FIELDS,
  nic: DEVICE_FIELDS,
  storage: DEVICE_FIELDS,
};

function powerDefaults(kind: BrickKind): BrickPower {
  return BRICK_DEFAULTS[kind].power;
}

function makeBrick(id: number, name: string, tray: number, g: GroupOutput, ports: number): Brick {
  const d = powerDefaults(g.kind);
  const power = { idleWatts: g.idleWatts ?? d.idleWatts, peakWatts: g.peakWatts ?? d.peakWatts };
  const base = { id, name, kind: g.kind, tray, ports: g.ports ?? ports, power };
  switch (g.kind) {
    case "compute":
      return {
        ...base,
        cores: g.cores ?? BRICK_DEFAULTS.compute.cores,
        memoryBytes: g.localMemory ?? BRICK_DEFAULTS.compute.localMemoryBytes,
        units: 0,
        unitBytesPerSecond: 0,
        unitLatencySeconds: 0,
      };
    case "memory":
      return {
        ...base,
        cores: 0,
        memoryBytes: g.memory ?? BRICK_DEFAULTS.memory.memoryBytes,
        units: 0,
        unitBytesPerSecond: 0,
        unitLatencySeconds: 0,
      };
    default: {
      const dd = BRICK_DEFAULTS[g.kind];
      return {
        ...base,
        cores: 0,
        memoryBytes: 0,
        units: g.units ?? dd.units,
        unitBytesPerSecond: g.unitBandwidth ?? dd.unitBytesPerSecond,
        unitLatencySeconds: g.unitLatency ?? dd.unitLatencySeconds,
      };
    }
  }
}

/**
 * The schema of a rack layout: trays of brick groups and the fabric. Validate with
 * {@link parseRackLayout} (or `parseWith` from `@vx/core`); the output is a {@link RackLayout}.
 *
 * @example
 * ```ts
 * const layout = parseWith(rackLayoutSchema, {
 *   trays: [{ bricks: [{ kind: "compute", count: 2 }, { kind: "memory", memory: "512GiB" }] }],
 *   fabric: { kind: "packet" },
 * });
 * ```
 */
export const rackLayoutSchema: z.ZodType<RackLayout, RackLayoutInput> = layoutSchema as z.ZodType<
  RackLayout,
  RackLayoutInput
>;

/**
 * The schema of a fabric as written (the `fabric` of a rack layout): it fills the defaults of
 * {@link FABRIC_DEFAULTS} and its output is valid {@link FabricInput} again (quantities in base
 * units), so a section that takes a fabric can validate it before the rack is built.
 */
export const fabricInputSchema: z.ZodType<FabricInput, FabricInput | undefined> =
  fabricSchema as unknown as z.ZodType<FabricInput, FabricInput | undefined>;

/**
 * Validates a rack layout and fills its defaults.
 *
 * @param input - trays of brick groups, and the fabric.
 * @param path - where the layout sits in a larger input (a scenario's `disagg.rack`), for errors.
 * @returns the layout, bricks numbered tray by tray.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_LAYOUT` listing every bad field with its path.
 * @example
 * ```ts
 * const rack = parseRackLayout({
 *   trays: [
 *     { bricks: [{ kind: "compute", count: 4 }, { kind: "memory", count: 2 }] },
 *     { bricks: [{ kind: "memory", count: 4 }, { kind: "accelerator" }] },
 *   ],
 * });
 * rack.bricks.length; // 11
 * ```
 */
export function parseRackLayout(
  input: RackLayoutInput,
  path: readonly (string | number)[] = [],
): RackLayout {
  return parseWith(rackLayoutSchema, input, {
    code: "VX_DISAGG_BAD_LAYOUT",
    what: "rack layout",
    path,
  });
}
