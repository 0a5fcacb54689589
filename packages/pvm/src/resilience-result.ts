/**
 * What a pVM fault-tolerance run returns: plain, JSON-serialisable data (a summary, a breakdown
 * per component and fault kind, and one record per fault).
 *
 * @module
 */

import type {
  FaultKind,
  PvmArchitectureName,
  PvmComponent,
  RecoveryMechanism,
} from "./architectures.js";

/** How a fault was noticed. */
export type DetectionPath =
  /** The hypervisor saw the domain die. */
  | "immediate"
  /** At the next heartbeat round. */
  | "heartbeat"
  /** After the heartbeat (or watchdog) timeout. */
  | "timeout"
  /** The component's own check caught the corruption. */
  | "check"
  /** A periodic refresh restarted the component before anything else noticed. */
  | "refresh";

/** What happened to one fault. */
export interface FaultRecord {
  /** Injection time, seconds. */
  readonly atSeconds: number;
  readonly component: PvmComponent;
  readonly kind: FaultKind;
  /** The domain hosting the component under this architecture (`dom0` for monolithic ones). */
  readonly domain: string;
  /** It hit a domain already failed or recovering (or a rebooting host): no effect of its own. */
  readonly masked: boolean;
  /** When it was noticed, seconds; null if never (within the run). */
  readonly detectedAtSeconds: number | null;
  /** How it was noticed; null if never. */
  readonly detectedBy: DetectionPath | null;
  /** What repaired it: a mechanism, a periodic refresh, or null if not repaired within the run. */
  readonly action: RecoveryMechanism | "refresh" | null;
  /** When its domain served again, seconds; null if not within the run. */
  readonly recoveredAtSeconds: number | null;
  /** `recoveredAt − at`, seconds; null if not recovered or masked. */
  readonly timeToRecoverSeconds: number | null;
  /** Acknowledged control operations its recovery lost while the guests kept running (XenStore's state not preserved). */
  readonly committedControlOpsLost: number;
  /** Acknowledged control operations a host reboot it caused wiped, with the guests (all since the previous boot). */
  readonly controlOpsWipedByReboot: number;
  /** Latency-critical requests lost in the outage it started. */
  readonly latencyCriticalLost: number;
  /** Latency-critical requests delayed by the outage it started. */
  readonly latencyCriticalDelayed: number;
  /** Throughput guests' requests not completed because of the outage it started. */
  readonly throughputNotCompleted: number;
}

/** Faults by component and kind. */
export interface ComponentBreakdown {
  readonly component: PvmComponent;
  readonly kind: FaultKind;
  /** Faults injected. */
  readonly faults: number;
  /** Of which masked. */
  readonly masked: number;
  /** Of which ended in a host reboot. */
  readonly hostReboots: number;
  /** Mean time to recover of those recovered, seconds; null if none. */
  readonly meanTimeToRecoverSeconds: number | null;
  readonly latencyCriticalLost: number;
  readonly throughputNotCompleted: number;
  readonly committedControlOpsLost: number;
  readonly controlOpsWipedByReboot: number;
}

/** Latency-critical requests over the run. */
export interface LatencyCriticalOutcome {
  /** Requests issued. */
  readonly requests: number;
  /** Served with no fault in the way. */
  readonly served: number;
  /** Served late: they arrived during an outage (or were in flight when it began) and waited for its end. */
  readonly delayed: number;
  /** Given up: the wait exceeded the client's timeout, or a host reboot killed them in flight. */
  readonly lost: number;
  /**
   * Latency over every request issued, a lost one counting at its timeout (what its client waited
   * before giving up), seconds; null if none.
   */
  readonly meanLatencySeconds: number | null;
  readonly p50LatencySeconds: number | null;
  readonly p99LatencySeconds: number | null;
  readonly p999LatencySeconds: number | null;
  /** p99 with the same architecture and no fault: its data-path overhead alone, seconds. */
  readonly noFaultP99LatencySeconds: number | null;
}

/** Throughput guests over the run. */
export interface ThroughputOutcome {
  /** Requests completed. */
  readonly completed: number;
  /** Requests the guests would have completed with no fault and no overhead. */
  readonly ideal: number;
  /** `completed / ideal`. */
  readonly completedFraction: number;
  /** `completed / ideal` with no fault (the data-path overhead alone). */
  readonly noFaultCompletedFraction: number;
  /** Not completed during outages (the loop stalls). */
  readonly notCompleted: number;
  /** In flight when an outage began and abandoned (timeout or host reboot). */
  readonly inFlightLost: number;
  /** In flight when an outage began and completed after it. */
  readonly inFlightDelayed: number;
}

/** Control operations over the run. */
export interface ControlOutcome {
  /** Operations issued. */
  readonly arrived: number;
  /** Acknowledged (committed). */
  readonly committed: number;
  /** Committed after waiting for the control plane. */
  readonly delayed: number;
  /** Abandoned after waiting longer than the timeout (never committed: nothing to lose). */
  readonly failed: number;
  /** Committed, then lost by a component's recovery that did not preserve XenStore's state, the guests running on. */
  readonly committedLost: number;
  /** Committed, then wiped by a host reboot (which restarts the guests too). */
  readonly wipedByReboots: number;
}

/** Headline figures of one architecture's run. */
export interface ResilienceSummary {
  readonly architecture: PvmArchitectureName;
  /** Simulated time, seconds. */
  readonly simulatedSeconds: number;
  readonly faults: {
    readonly injected: number;
    readonly masked: number;
    readonly detected: number;
    /** Not noticed within the run (a hang nothing watches). */
    readonly undetected: number;
    /** Repaired without rebooting the host. */
    readonly recoveredInPlace: number;
    /** Host reboots. */
    readonly hostReboots: number;
  };
  /** Time from a fault to its domain serving again, over the unmasked faults recovered. */
  readonly timeToRecover: {
    readonly meanSeconds: number | null;
    readonly p50Seconds: number | null;
    readonly p99Seconds: number | null;
    readonly maxSeconds: number | null;
  };
  /** Share of the time each function was served (periodic refreshes included). */
  readonly availability: {
    readonly network: number;
    readonly block: number;
    readonly control: number;
  };
  /** Null when the scenario has no latency-critical guests. */
  readonly latencyCritical: LatencyCriticalOutcome | null;
  /** Null when the scenario has no throughput guests. */
  readonly throughput: ThroughputOutcome | null;
  readonly control: ControlOutcome;
}

/** One architecture's run. */
export interface ResilienceResult {
  readonly summary: ResilienceSummary;
  /** By component and fault kind, components in {@link PVM_COMPONENTS} order. */
  readonly byComponent: ComponentBreakdown[];
  /** One record per injected fault, in time order. */
  readonly faults: FaultRecord[];
}

/** A campaign: the same faults on every architecture. */
export interface FaultCampaign {
  /** The seed the faults were drawn with. */
  readonly seed: number;
  /** Faults injected. */
  readonly faultCount: number;
  /** Simulated time, seconds. */
  readonly simulatedSeconds: number;
  /** One result per architecture, in registry order. */
  readonly results: ResilienceResult[];
}
