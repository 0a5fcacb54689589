/**
 * A rolling upgrade campaign inside a data-center run: a `DatacenterExtension` that takes hosts
 * out of service in order, N at a time, and upgrades each with its strategy while the workload
 * and consolidation go on; evacuations are the run's own migrations on its network.
 *
 * @module
 */

import type { DatacenterExtension } from "@vx/datacenter";
import { type CampaignInput, type CampaignSpec, parseCampaign } from "./campaign-spec.js";
import { CampaignEngine } from "./internal/campaign-engine.js";
import type { CampaignOutput } from "./result.js";

/** The name of the campaign's extension: its key in `result.extensions`. */
export const UPGRADE_EXTENSION_NAME = "upgrade";

/**
 * A campaign as a data-center extension. At `start` it holds the spare hosts (the last
 * `spareHosts`, if empty) out of service; from `campaign.start` it upgrades up to `concurrency`
 * hosts at once, in `order`, until every target is done or the deadline passes. One host's
 * upgrade:
 *
 * 1. The host drains: no VM is placed on it any more (`setInService(h, false, { vms: "keep" })`).
 * 2. VMs whose strategy is `evacuate` leave by live migration with the spec's migration model, to
 *    hosts already upgraded (or never to be) when one has room, else any host with room, else a
 *    spare brought into service; a migration that does not converge is retried, and after
 *    `settings.evacuate.maxAttempts` failures of one VM the host is given up (`did-not-converge`).
 *    VMs whose strategy is `terminate` are shut down (suspended) and restart after
 *    `vmBootSeconds`, elsewhere at once or on the host once it is back.
 * 3. When nothing moves and only in-place VMs remain, those pause together and the host is out of
 *    service for the in-place schedule's checkpoint + reboot + restore (or the reboot alone); then
 *    it is back in service and its VMs resume on it.
 *
 * A host failing during its upgrade (`faults`) loses what it holds: VMs not yet evacuated, VMs
 * paused in its RAM; terminated VMs restart. It is back, upgraded, after `repairTime`. All of
 * it is reported in the output, never thrown.
 *
 * @param campaign - the campaign as written (see {@link parseCampaign}).
 * @returns the extension; pass it to `runDatacenter(spec, { extensions: [it] })`.
 * @throws {@link @vx/core!VxError} `VX_UPGRADE_BAD_CAMPAIGN` for a bad campaign (at once), or for
 * host indices or spare counts the data center does not have (when the run starts).
 * @example
 * ```ts
 * const result = runDatacenter(spec, {
 *   extensions: [upgradeCampaign({ strategy: "hyfix", concurrency: 4 })],
 * });
 * const out = result.extensions?.upgrade as { output: CampaignOutput };
 * out.output.makespanSeconds;
 * ```
 */
export function upgradeCampaign(campaign: CampaignInput = {}): DatacenterExtension<CampaignOutput> {
  return campaignExtension(parseCampaign(campaign));
}

/**
 * The extension of an already validated campaign (what `@vx/sim`'s `upgrade:` section uses once
 * its schema has parsed the section).
 *
 * @param spec - the campaign from {@link parseCampaign} or `campaignSchema`.
 * @returns the extension, as {@link upgradeCampaign}.
 * @example
 * ```ts
 * const ext = campaignExtension(parseCampaign({ strategy: "multifix" }));
 * ```
 */
export function campaignExtension(spec: CampaignSpec): DatacenterExtension<CampaignOutput> {
  const engine = new CampaignEngine(spec);
  return {
    name: UPGRADE_EXTENSION_NAME,
    start: (ctx) => engine.start(ctx),
    round: () => engine.round(),
    migrationEnded: (_ctx, record) => engine.migrationEnded(record),
    end: () => engine.end(),
  };
}
