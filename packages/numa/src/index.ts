/**
 * `@vx/numa`: NUMA hosts for vx models. Topologies (presets, and importers for a real machine's
 * sysfs or `numactl --hardware`), memory and vCPU placement with per-node page accounting, and an
 * access-cost model whose memory controllers and interconnect links are @vx/core fluid resources.
 *
 * @packageDocumentation
 */

export type { AccessCost, AccessCostOptions } from "./access-cost.js";
export { accessCost } from "./access-cost.js";
export { formatCpuList, parseCpuList } from "./cpulist.js";
export type { MemoryFabricOptions, StreamOptions, TrafficKind } from "./fabric.js";
export { MemoryFabric } from "./fabric.js";
export { formatTopology } from "./format.js";
export type {
  AllocateOptions,
  AllocationResult,
  MemoryLedgerOptions,
  MemoryPolicy,
} from "./memory.js";
export { MemoryLedger, xenMemoryPolicy } from "./memory.js";
export { parseNumactlHardware } from "./numactl.js";
export type { TopologyPresetName } from "./presets.js";
export { presetTopology, TOPOLOGY_PRESETS } from "./presets.js";
export type {
  AssumedFigure,
  CreateTopologyOptions,
  ImportOptions,
  InterconnectLink,
  LinkSpec,
  NodeSpec,
  NumaNode,
  Topology,
  TopologySpec,
} from "./topology.js";
export {
  checkNode,
  createTopology,
  latencyFactor,
  linkRoute,
  nodeOfCpu,
  nodesByDistance,
  TOPOLOGY_DEFAULTS,
  topologyTotals,
} from "./topology.js";
export type { CpuLedgerOptions, VcpuPlacement, VcpuPlacementResult } from "./vcpu.js";
export { CpuLedger } from "./vcpu.js";
