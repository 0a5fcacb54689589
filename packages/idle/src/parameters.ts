/**
 * The parameters of idle-VM parking: the disk that suspended images and swap live on, SEaMLESS's
 * proxy and sink, the hypervisor's swap, the TCP client that waits for a VM without a proxy, and
 * when a VM counts as idle. One zod schema ({@link idleParametersSchema}); every default is an
 * exported constant with its source, or is stated as an assumption.
 *
 * @module
 */

import { bytesSchema, durationSchema, percentSchema, rateSchema } from "@vx/core";
import { z } from "zod";

/**
 * The disk suspended images and swap are written to and read from.
 *
 * Assumption (no published figure for the SEaMLESS testbed): an NVMe SSD of the 2017–2020
 * generation, sequential read 2 GB/s and write 1 GB/s, 100 µs per random access (data sheets of
 * that generation quote 1.5–3.5 GB/s and 10–100 µs). Set an HDD (`read 150MBps`, `write
 * 150MBps`, `latency 8ms`) to see where suspension loses.
 */
export const DISK_DEFAULTS: {
  readonly readBytesPerSecond: number;
  readonly writeBytesPerSecond: number;
  readonly latencySeconds: number;
} = {
  readBytesPerSecond: 2e9,
  writeBytesPerSecond: 1e9,
  latencySeconds: 1e-4,
};

/**
 * SEaMLESS (Lopez Pacheco et al., SoCC 2017; Segalini et al., CCGRID 2018): the gateway process
 * is checkpointed into a proxy in a sink server, traffic is rerouted, the VM is suspended.
 *
 * - `checkpointSeconds` 0.5 s: dumping the gateway (CRIU) and restoring it in the sink.
 *   Assumption: no per-step figure is published; the whole restore is published under 1 s.
 * - `rerouteSeconds` 10 ms: the orchestrator installs the forwarding rule (an OpenFlow flow-mod is
 *   milliseconds). Assumption.
 * - `proxyBytes` 20 MiB: memory of one proxy in the sink. Assumption chosen to match "tens of VNFs
 *   within the memory of one VM" (a 1 GiB VM holds 51).
 * - `sinkRamBytes` 4 GiB: memory of one sink (one host of the PlanetLab set-up), so one sink holds
 *   ⌊4 GiB / 20 MiB⌋ = 204 proxies: "hundreds of VMs consolidated as VNFs on one machine".
 * - `sinkPowerWatts` 93.7 W: one sink's draw while it holds a proxy: the idle power of an HP
 *   ProLiant ML110 G5 (SPECpower_ssj2008). Assumption: the sink is a machine of its own.
 * - `maxSinks` 16: sinks that may be switched on. Assumption.
 */
export const SEAMLESS_DEFAULTS: {
  readonly checkpointSeconds: number;
  readonly rerouteSeconds: number;
  readonly proxyBytes: number;
  readonly sinkRamBytes: number;
  readonly sinkPowerWatts: number;
  readonly maxSinks: number;
} = {
  checkpointSeconds: 0.5,
  rerouteSeconds: 0.01,
  proxyBytes: 20 * 2 ** 20,
  sinkRamBytes: 4 * 2 ** 30,
  sinkPowerWatts: 93.7,
  maxSinks: 16,
};

/**
 * Suspend-to-swap: the hypervisor swaps the idle VM's memory out; on resume, only the working set
 * is paged back, one fault at a time.
 *
 * - `workingSetShare` 10 % of the VM's RAM: what the first request touches. Assumption.
 * - `pageBytes` 4 KiB: the x86 page.
 * - `pageCluster` 3: Linux reads 2³ = 8 pages per swap fault (`vm.page-cluster`, default 3,
 *   Documentation/admin-guide/sysctl/vm.rst), so a fault costs the disk latency plus 32 KiB.
 */
export const SWAP_DEFAULTS: {
  readonly workingSetShare: number;
  readonly pageBytes: number;
  readonly pageCluster: number;
} = {
  workingSetShare: 0.1,
  pageBytes: 4096,
  pageCluster: 3,
};

/**
 * The client of a VM suspended without a proxy (plain suspend-to-disk): its first SYN finds no
 * listener; the VM is resumed, and the client is answered at its next SYN retransmission.
 *
 * - `initialRtoSeconds` 1 s: RFC 6298 §2 (Linux `TCP_TIMEOUT_INIT`); each retransmission doubles it.
 * - `synRetries` 6: Linux `net.ipv4.tcp_syn_retries` default; the client gives up 127 s after its
 *   first SYN.
 */
export const TCP_DEFAULTS: {
  readonly initialRtoSeconds: number;
  readonly synRetries: number;
} = {
  initialRtoSeconds: 1,
  synRetries: 6,
};

/**
 * When a VM is idle and which technique parks it.
 *
 * - `technique` `"seamless"`.
 * - `idleAfterSeconds` 900 s: a VM with no request for 15 min is parked. Assumption (SEaMLESS
 *   leaves the idleness timeout to the operator).
 * - `threshold` 5 %: for traces of CPU utilisation (PlanetLab), a VM whose utilisation is below it
 *   receives no request. Assumption: PlanetLab traces carry no request log, only CPU.
 */
export const IDLE_DEFAULTS: {
  readonly technique: "seamless";
  readonly idleAfterSeconds: number;
  readonly threshold: number;
} = {
  technique: "seamless",
  idleAfterSeconds: 900,
  threshold: 0.05,
};

/** The techniques, in the order reports list them (see {@link IDLE_TECHNIQUES}). */
export const IDLE_TECHNIQUE_NAMES: readonly [
  "none",
  "suspend-to-disk",
  "suspend-to-swap",
  "seamless",
] = ["none", "suspend-to-disk", "suspend-to-swap", "seamless"];

/** A technique's name. */
export type IdleTechniqueName = (typeof IDLE_TECHNIQUE_NAMES)[number];

const diskSchema = z
  .strictObject({
    readBytesPerSecond: rateSchema({ allowZero: false }).default(DISK_DEFAULTS.readBytesPerSecond),
    writeBytesPerSecond: rateSchema({ allowZero: false }).default(
      DISK_DEFAULTS.writeBytesPerSecond,
    ),
    latencySeconds: durationSchema().default(DISK_DEFAULTS.latencySeconds),
  })
  .prefault({});

const seamlessSchema = z
  .strictObject({
    checkpointSeconds: durationSchema().default(SEAMLESS_DEFAULTS.checkpointSeconds),
    rerouteSeconds: durationSchema().default(SEAMLESS_DEFAULTS.rerouteSeconds),
    proxyBytes: bytesSchema({ allowZero: false }).default(SEAMLESS_DEFAULTS.proxyBytes),
    sinkRamBytes: bytesSchema({ allowZero: false }).default(SEAMLESS_DEFAULTS.sinkRamBytes),
    sinkPowerWatts: z.number().finite().min(0).default(SEAMLESS_DEFAULTS.sinkPowerWatts),
    maxSinks: z.number().int().min(0).max(1_000_000).default(SEAMLESS_DEFAULTS.maxSinks),
  })
  .prefault({});

const swapSchema = z
  .strictObject({
    workingSetShare: percentSchema({ max: 1 }).default(SWAP_DEFAULTS.workingSetShare),
    pageBytes: bytesSchema({ allowZero: false }).default(SWAP_DEFAULTS.pageBytes),
    pageCluster: z.number().int().min(0).max(10).default(SWAP_DEFAULTS.pageCluster),
  })
  .prefault({});

const tcpSchema = z
  .strictObject({
    initialRtoSeconds: durationSchema({ allowZero: false }).default(TCP_DEFAULTS.initialRtoSeconds),
    synRetries: z.number().int().min(0).max(30).default(TCP_DEFAULTS.synRetries),
  })
  .prefault({});

/**
 * The parameters of idle-VM parking, as written (quantities as numbers in base units or strings
 * such as `"2GBps"`, `"15min"`, `"5%"`); every field optional.
 */
export const idleParametersSchema: z.ZodType<IdleParameters, IdleParametersInput> = z.strictObject({
  technique: z.enum(IDLE_TECHNIQUE_NAMES).default(IDLE_DEFAULTS.technique),
  idleAfterSeconds: durationSchema().default(IDLE_DEFAULTS.idleAfterSeconds),
  threshold: percentSchema({ max: 1 }).default(IDLE_DEFAULTS.threshold),
  disk: diskSchema,
  seamless: seamlessSchema,
  swap: swapSchema,
  tcp: tcpSchema,
}) as unknown as z.ZodType<IdleParameters, IdleParametersInput>;

/** The parameters after the schema: base units, every default filled in. */
export interface IdleParameters {
  readonly technique: IdleTechniqueName;
  readonly idleAfterSeconds: number;
  readonly threshold: number;
  readonly disk: {
    readonly readBytesPerSecond: number;
    readonly writeBytesPerSecond: number;
    readonly latencySeconds: number;
  };
  readonly seamless: {
    readonly checkpointSeconds: number;
    readonly rerouteSeconds: number;
    readonly proxyBytes: number;
    readonly sinkRamBytes: number;
    readonly sinkPowerWatts: number;
    readonly maxSinks: number;
  };
  readonly swap: {
    readonly workingSetShare: number;
    readonly pageBytes: number;
    readonly pageCluster: number;
  };
  readonly tcp: { readonly initialRtoSeconds: number; readonly synRetries: number };
}

/** The parameters as written: every field optional, quantities as numbers or strings. */
export interface IdleParametersInput {
  readonly technique?: IdleTechniqueName;
  readonly idleAfterSeconds?: number | string;
  readonly threshold?: number | string;
  readonly disk?: {
    readonly readBytesPerSecond?: number | string;
    readonly writeBytesPerSecond?: number | string;
    readonly latencySeconds?: number | string;
  };
  readonly seamless?: {
    readonly checkpointSeconds?: number | string;
    readonly rerouteSeconds?: number | string;
    readonly proxyBytes?: number | string;
    readonly sinkRamBytes?: number | string;
    readonly sinkPowerWatts?: number;
    readonly maxSinks?: number;
  };
  readonly swap?: {
    readonly workingSetShare?: number | string;
    readonly pageBytes?: number | string;
    readonly pageCluster?: number;
  };
  readonly tcp?: { readonly initialRtoSeconds?: number | string; readonly synRetries?: number };
}
