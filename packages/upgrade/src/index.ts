/**
 * `@vx/upgrade`: how a hypervisor upgrade treats the VMs of a host (evacuation by live migration,
 * terminate and restart, Hy-FiX, Multi-FiX, HyperFresh, QEMU CPR), for one host and as a rolling
 * campaign that runs inside a `@vx/datacenter` run, on its network, beside consolidation.
 *
 * @packageDocumentation
 */

export { campaignExtension, UPGRADE_EXTENSION_NAME, upgradeCampaign } from "./campaign.js";
export {
  CAMPAIGN_DEFAULTS,
  CAMPAIGN_ORDERS,
  type CampaignFaults,
  type CampaignInput,
  type CampaignOrder,
  type CampaignSpec,
  campaignSchema,
  parseCampaign,
  type StrategyMix,
} from "./campaign-spec.js";
export {
  COMPARE_DEFAULTS,
  type CompareUpgradeOptions,
  compareUpgradeStrategies,
  type UpgradeComparison,
  type UpgradeComparisonRow,
} from "./compare.js";
export {
  HOST_UPGRADE_DEFAULTS,
  type HostUpgradeOptions,
  type HostUpgradeResult,
  upgradeHost,
} from "./host.js";
export {
  CPR_REBOOT_DEFAULTS,
  CPR_TRANSFER_DEFAULTS,
  type CprRebootSettings,
  type CprTransferSettings,
  cprRebootSchema,
  cprTransferSchema,
  HYFIX_DEFAULTS,
  HYPERFRESH_DEFAULTS,
  type HyfixSettings,
  type HyperfreshSettings,
  hyfixSchema,
  hyperfreshSchema,
  type InPlaceName,
  type InPlaceSchedule,
  type InPlaceSettings,
  type InPlaceVm,
  inPlaceSchedule,
  MULTIFIX_DEFAULTS,
  type MultifixSettings,
  multifixSchema,
} from "./in-place.js";
export type {
  CampaignOutcome,
  CampaignOutput,
  DowntimeStats,
  HostOutcome,
  HostRecord,
} from "./result.js";
export {
  EVACUATE_DEFAULTS,
  type EvacuateSettings,
  type RestartPlace,
  STRATEGY_NAMES,
  type StrategyEntry,
  type StrategyKind,
  type StrategyName,
  type StrategySettings,
  type StrategySettingsInput,
  strategySettingsSchema,
  TERMINATE_DEFAULTS,
  type TerminateSettings,
  UPGRADE_STRATEGIES,
} from "./strategies.js";
