/**
 * The pVM architectures a fault campaign compares, in one registry: how each splits the pVM into
 * domains, detects a failure, recovers each component, what state survives, and what it costs on
 * the data path with no fault. Schema enums, defaults, help texts and doc tables derive from
 * {@link PVM_ARCHITECTURES}.
 *
 * @module
 */

import { ms, seconds, us } from "@vx/core";

/** The parts of the pVM faults are injected into (each a domain in a split pVM). */
export type PvmComponent = "dom0" | "xenstore" | "net" | "tool" | "block";

/** Every component, in order. */
export const PVM_COMPONENTS: readonly PvmComponent[] = ["dom0", "xenstore", "net", "tool", "block"];

/**
 * How a component fails:
 * - `crash`: it stops (fail-stop), visible to the hypervisor;
 * - `hang`: it stops answering but is not dead; only silence (a missed heartbeat) shows it;
 * - `corruption`: it keeps running with corrupted state until a check detects it.
 */
export type FaultKind = "crash" | "hang" | "corruption";

/** Every fault kind, in order. */
export const FAULT_KINDS: readonly FaultKind[] = ["crash", "hang", "corruption"];

/** What the guests and the toolstack get from the pVM. */
export type PvmFunction = "network" | "block" | "control";

/** How a detected failure of a component is repaired. */
export type RecoveryMechanism =
  /** Reboot the host: every domain and every guest restarts (vanilla Xen's only way). */
  | "host-reboot"
  /** Restart the component from its image (a unikernel, or a service VM's snapshot). */
  | "restart"
  /** Switch to a replica kept up to date (a hot standby). */
  | "failover";

/**
 * What a component's control-plane state (XenStore's) is after recovery:
 * - `volatile`: lost; the component comes back with what it had at its last (re)start;
 * - `snapshot`: back to the snapshot taken at its last periodic refresh or (re)start;
 * - `replicated`: the replica's, which has every acknowledged update (output is held until the
 *   state that produced it is replicated), but also any corruption;
 * - `logged`: rebuilt by replaying the log of requests acknowledged only once logged, on a fresh
 *   instance: nothing acknowledged is lost, corruption is not replayed.
 */
export type StatePolicy = "volatile" | "snapshot" | "replicated" | "logged";

/** How a crash is noticed. */
export type CrashDetection =
  /** At once: the hypervisor sees the domain die and acts. */
  | "immediate"
  /** At the next heartbeat round, which checks every domain's state. */
  | "next-beat"
  /** Only as silence, like a hang (a remote replica sees the checkpoint stream stop). */
  | "timeout";

/** How a hang is noticed. */
export type HangDetection =
  /** When no heartbeat has come for the timeout. */
  | "timeout"
  /** Not at all (only a periodic refresh clears it). */
  | "none";

/** Recovery of one component under one architecture. */
export interface ComponentRecovery {
  /** How a detected failure is repaired. */
  readonly mechanism: RecoveryMechanism;
  /** Time from the decision to recover to the component serving again, seconds (for `host-reboot`, see the host settings). */
  readonly recoverySeconds: number;
  /** Outage of one planned periodic refresh (a micro-reboot, or a handover to a fresh standby), seconds. */
  readonly refreshSeconds: number;
  /** What its control-plane state is after recovery (matters for XenStore). */
  readonly state: StatePolicy;
}

/** Everything that makes one architecture, after defaults and overrides. */
export interface ArchitectureSettings {
  /** One dom0 hosting every component (vanilla, Remus-like), or one domain per component. */
  readonly monolithic: boolean;
  /** Heartbeat (or watchdog) period, seconds: detection happens on its ticks. */
  readonly heartbeatPeriodSeconds: number;
  /** Silence after which a component is declared hung, seconds (≥ the period). */
  readonly heartbeatTimeoutSeconds: number;
  /** How a crash is noticed. */
  readonly crashDetection: CrashDetection;
  /** How a hang is noticed. */
  readonly hangDetection: HangDetection;
  /** Whether a component's own checks detect corruption (after the host's `corruptionDetection`). */
  readonly detectsCorruption: boolean;
  /** Period of pro-active refreshes of every split component, seconds; 0 for none. */
  readonly refreshPeriodSeconds: number;
  /** Share of detected failures the mechanism repairs; the others end in a host reboot. */
  readonly recoveryCoverage: number;
  /** A corrupted component whose state is `replicated` cannot fail over (the replica is corrupt too): what happens instead. */
  readonly corruptedReplicaFallback: "host-reboot" | "restart";
  /** Each response held until the state that produced it is replicated: up to this long, seconds (0: none). */
  readonly outputDelaySeconds: number;
  /** Share of time the pVM is paused to take checkpoints (its guests' throughput shrinks by it). */
  readonly pauseFraction: number;
  /** XenStore log replay: seconds per logged operation since the last compaction. */
  readonly replaySecondsPerOp: number;
  /** XenStore log compaction: every this many operations. */
  readonly compactEveryOps: number;
  /** Per component. */
  readonly components: Readonly<Record<PvmComponent, ComponentRecovery>>;
}

/** The names of the architectures. */
export type PvmArchitectureName = "vanilla" | "xoar" | "remus" | "resilient";

/** One entry of {@link PVM_ARCHITECTURES}. */
export interface PvmArchitecture {
  /** Its name in scenarios and on the command line. */
  readonly name: PvmArchitectureName;
  /** One line for help texts and tables. */
  readonly summary: string;
  /** Where its mechanisms and figures come from. */
  readonly sources: readonly string[];
  /** Its settings before a scenario's overrides. */
  readonly defaults: ArchitectureSettings;
}

const same = (r: ComponentRecovery): Record<PvmComponent, ComponentRecovery> => ({
  dom0: r,
  xenstore: r,
  net: r,
  tool: r,
  block: r,
});

/**
 * vanilla Xen: one dom0 hosts XenStore, the toolstack and every backend. A dom0 crash makes Xen
 * reboot the machine after 5 s (`domain_shutdown()` in `xen/common/domain.c`: "Domain 0 crashed:
 * rebooting machine in 5 seconds"); a hang is caught by `xenwatchdogd`, armed for 30 s and
 * re-armed every 15 s (`xen-watchdog.service`: `xenwatchdogd 30 15`), whose expiry reboots the
 * machine; detected corruption ends in a dom0 panic, so a reboot too. XenStore lives in dom0's
 * memory: a reboot loses it.
 */
const VANILLA: ArchitectureSettings = {
  monolithic: true,
  heartbeatPeriodSeconds: seconds(15),
  heartbeatTimeoutSeconds: seconds(30),
  crashDetection: "immediate",
  hangDetection: "timeout",
  detectsCorruption: true,
  refreshPeriodSeconds: 0,
  recoveryCoverage: 1,
  corruptedReplicaFallback: "host-reboot",
  outputDelaySeconds: 0,
  pauseFraction: 0,
  replaySecondsPerOp: 0,
  compactEveryOps: 1,
  components: same({
    mechanism: "host-reboot",
    recoverySeconds: 0,
    refreshSeconds: 0,
    state: "volatile",
  }),
};

/**
 * Xoar-like: the pVM split into service VMs restarted from a clean snapshot when they die and
 * micro-rebooted periodically (P. Colp et al., "Breaking up is hard to do", SOSP 2011); no
 * heartbeat, so a hang or a corruption lasts until the next micro-reboot; recovery keeps no
 * state beyond the snapshot (DSN 2020's characterisation of Xoar as a baseline). Restart times
 * and the 60 s period are assumptions (docs/pvm-resilience.md).
 */
const XOAR: ArchitectureSettings = {
  monolithic: false,
  heartbeatPeriodSeconds: seconds(1),
  heartbeatTimeoutSeconds: seconds(1),
  crashDetection: "immediate",
  hangDetection: "none",
  detectsCorruption: false,
  refreshPeriodSeconds: seconds(60),
  recoveryCoverage: 1,
  corruptedReplicaFallback: "restart",
  outputDelaySeconds: 0,
  pauseFraction: 0,
  replaySecondsPerOp: 0,
  compactEveryOps: 1,
  components: {
    dom0: {
      mechanism: "restart",
      recoverySeconds: seconds(1),
      refreshSeconds: seconds(1),
      state: "volatile",
    },
    xenstore: {
      mechanism: "restart",
      recoverySeconds: ms(500),
      refreshSeconds: ms(500),
      state: "snapshot",
    },
    net: {
      mechanism: "restart",
      recoverySeconds: seconds(1),
      refreshSeconds: seconds(1),
      state: "volatile",
    },
    tool: {
      mechanism: "restart",
      recoverySeconds: ms(500),
      refreshSeconds: ms(500),
      state: "volatile",
    },
    block: {
      mechanism: "restart",
      recoverySeconds: seconds(1),
      refreshSeconds: seconds(1),
      state: "volatile",
    },
  },
};

/**
 * Remus-like: one dom0 checkpointed every 25 ms to a standby replica, each response held until
 * its checkpoint is acknowledged (B. Cully et al., "Remus: high availability via asynchronous
 * virtual machine replication", NSDI 2008: "as often as every 25ms", "External output ... is
 * not released until the system state that produced it has been replicated", failover "with
 * only seconds of downtime"). Failure is seen when checkpoints stop (4 epochs: assumption);
 * failover takes 1 s (assumption, after "seconds of downtime"); checkpoints pause dom0 2 ms in
 * 25 (assumption). A corrupted dom0 replicates its corruption: the fallback is a host reboot.
 */
const REMUS: ArchitectureSettings = {
  monolithic: true,
  heartbeatPeriodSeconds: ms(25),
  heartbeatTimeoutSeconds: ms(100),
  crashDetection: "timeout",
  hangDetection: "timeout",
  detectsCorruption: true,
  refreshPeriodSeconds: 0,
  recoveryCoverage: 1,
  corruptedReplicaFallback: "host-reboot",
  outputDelaySeconds: ms(25),
  pauseFraction: 2 / 25,
  replaySecondsPerOp: 0,
  compactEveryOps: 1,
  components: same({
    mechanism: "failover",
    recoverySeconds: seconds(1),
    refreshSeconds: 0,
    state: "replicated",
  }),
};

/**
 * The resilient pVM (D. Mvondo et al., "Fine-grained fault tolerance for resilient pVM-based
 * virtual machine monitors", DSN 2020): disaggregation (dom0, XenStore, a network driver domain,
 * a tool domain, each its own domain), specialisation (unikernels that restart fast: LightVM
 * boots one in 2.3 ms, Manco et al., SOSP 2017), pro-activity (standbys prepared ahead, periodic
 * refresh), a global heartbeat loop detecting failures, XenStore rebuilt by log replay. The
 * published description gives no figures we could use: the heartbeat (100 ms, 300 ms timeout),
 * the recovery and refresh times are assumptions (docs/pvm-resilience.md).
 */
const RESILIENT: ArchitectureSettings = {
  monolithic: false,
  heartbeatPeriodSeconds: ms(100),
  heartbeatTimeoutSeconds: ms(300),
  crashDetection: "next-beat",
  hangDetection: "timeout",
  detectsCorruption: true,
  refreshPeriodSeconds: seconds(300),
  recoveryCoverage: 1,
  corruptedReplicaFallback: "restart",
  outputDelaySeconds: 0,
  pauseFraction: 0,
  replaySecondsPerOp: us(20),
  compactEveryOps: 1000,
  components: {
    dom0: {
      mechanism: "restart",
      recoverySeconds: seconds(10),
      refreshSeconds: 0,
      state: "volatile",
    },
    xenstore: {
      mechanism: "restart",
      recoverySeconds: ms(50),
      refreshSeconds: ms(10),
      state: "logged",
    },
    net: {
      mechanism: "failover",
      recoverySeconds: ms(300),
      refreshSeconds: ms(10),
      state: "volatile",
    },
    tool: {
      mechanism: "restart",
      recoverySeconds: ms(100),
      refreshSeconds: ms(10),
      state: "volatile",
    },
    block: {
      mechanism: "failover",
      recoverySeconds: ms(300),
      refreshSeconds: ms(10),
      state: "volatile",
    },
  },
};

/** The registry: one entry per architecture, in the order campaign tables list them. */
export const PVM_ARCHITECTURES: readonly PvmArchitecture[] = [
  {
    name: "vanilla",
    summary: "one dom0; any fault reboots the host (crash: 5 s delay; hang: 30 s watchdog)",
    sources: [
      "Xen xen/common/domain.c domain_shutdown()",
      "Xen tools/hotplug/Linux/systemd/xen-watchdog.service (xenwatchdogd 30 15)",
    ],
    defaults: VANILLA,
  },
  {
    name: "xoar",
    summary: "split service VMs, restarted on crash and micro-rebooted every 60 s; no state kept",
    sources: ["Colp et al., SOSP 2011", "Mvondo et al., DSN 2020 (related work)"],
    defaults: XOAR,
  },
  {
    name: "remus",
    summary: "one dom0 checkpointed every 25 ms to a standby; output held until replicated",
    sources: ["Cully et al., NSDI 2008"],
    defaults: REMUS,
  },
  {
    name: "resilient",
    summary: "disaggregated unikernel domains, heartbeat detection, XenStore log replay, refresh",
    sources: ["Mvondo et al., DSN 2020", "Manco et al., SOSP 2017 (unikernel boot times)"],
    defaults: RESILIENT,
  },
];

/** Every architecture name, in registry order. */
export const PVM_ARCHITECTURE_NAMES: readonly PvmArchitectureName[] = PVM_ARCHITECTURES.map(
  (a) => a.name,
);
