import { type DatacenterResult, type DatacenterSpecInput, runDatacenter } from "@vx/datacenter";
import { type CampaignInput, type CampaignOutput, upgradeCampaign } from "../src/index.js";

export const POWER: readonly number[] = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

export interface ClusterOptions {
  readonly hosts?: number;
  readonly vmsPerHost?: number;
  readonly vmRam?: string;
  readonly link?: string;
  readonly duration?: string;
  readonly utilisation?: number;
  readonly dirtyRate?: string;
  readonly hostsPerRack?: number;
  readonly migration?: DatacenterSpecInput["migration"];
  /** Extra room on each host, in VMs. */
  readonly headroom?: number;
}

/**
 * `hosts` hosts filled first-fit with `vmsPerHost` VMs each (no consolidation), plus one empty
 * host at the end (the spare when the campaign asks for one).
 */
export function cluster(o: ClusterOptions = {}): DatacenterSpecInput {
  const hosts = o.hosts ?? 10;
  const per = o.vmsPerHost ?? 8;
  const ramGiB = Number.parseFloat(o.vmRam ?? "8");
  const room = per + (o.headroom ?? 0);
  return {
    duration: o.duration ?? "6h",
    step: "300s",
    hostTypes: {
      h: {
        cores: room,
        mips: 2000,
        ram: `${room * ramGiB}GiB`,
        nic: o.link ?? "10Gbps",
        power: [...POWER],
      },
    },
    hosts: [{ type: "h", count: hosts + 1 }],
    vmTypes: {
      vm: {
        mips: 2000,
        ram: `${ramGiB}GiB`,
        nic: 0,
        ...(o.dirtyRate ? { dirtyRate: o.dirtyRate } : {}),
      },
    },
    vms: [
      {
        types: "vm",
        count: hosts * per,
        workload: { kind: "constant", utilisation: o.utilisation ?? 0.2 },
      },
    ],
    policy: { overload: "none" },
    network:
      o.hostsPerRack === undefined
        ? { topology: "star" }
        : { topology: "tree", hostsPerRack: o.hostsPerRack, oversubscription: 1 },
    migration: o.migration ?? { model: "precopy", maxBandwidth: o.link ?? "10Gbps" },
  };
}

export interface CampaignRun {
  readonly result: DatacenterResult;
  readonly output: CampaignOutput;
}

export function runCampaign(spec: DatacenterSpecInput, campaign: CampaignInput): CampaignRun {
  const result = runDatacenter(spec, { extensions: [upgradeCampaign(campaign)] });
  const ext = result.extensions?.upgrade as { output: CampaignOutput } | undefined;
  if (ext === undefined) throw new Error("no upgrade extension in the result");
  return { result, output: ext.output };
}
