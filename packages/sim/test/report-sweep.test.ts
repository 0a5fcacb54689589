import { VxError } from "@vx/core";
import type { DatacenterSummary } from "@vx/datacenter";
import { describe, expect, it } from "vitest";
import { renderSweepHtml, type SweepPoint, sweepToCsv } from "../src/report/sweep.js";
import { smallResult } from "./report-fixtures.js";

function summary(energyKWh: number, migrations: number, seed: number): DatacenterSummary {
  const s = smallResult().summary;
  return { ...s, seed, energyKWh, migrations, esv: energyKWh * s.slav };
}

/** 2 policies × 3 seeds. */
const points: SweepPoint[] = ["thr", "mad"].flatMap((policy, p) =>
  [1, 2, 3].map((seed) => ({
    params: { policy, seed },
    summary: summary(10 + p * 5 + seed, 100 * (p + 1) + seed, seed),
  })),
);

describe("sweepToCsv", () => {
  it("one row per point: parameters first, then the summary; a parameter named like a field is prefixed", () => {
    const lines = sweepToCsv(points).trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(
      "policy,param_seed,scenario,seed,hosts,vms,simulatedSeconds,energyKWh,migrations,slatah,pdm,slav,esv,hostShutdowns,meanActiveHosts,migrationModel,unplacedVms,migrationsCancelled,vmsLost,migrationBytes,meanMigrationSeconds,meanDowntimeSeconds,p95DowntimeSeconds,maxDowntimeSeconds,downtimeShare,meanQueueSeconds,peakNicUtilisation,peakUplinkUtilisation",
    );
    expect(lines[1]!.startsWith("thr,1,small,1,4,6,3600,11,101,0.0525,0.00075,")).toBe(true);
    expect(lines[1]!.endsWith(",2,3.25,cloudsim,0,1,0,0,0,0,0,0,0,1.5,,")).toBe(true);
    expect(lines[6]!.startsWith("mad,3,small,3,4,6,3600,18,203,")).toBe(true);
  });

  it("points with different parameters leave the missing ones empty", () => {
    const mixed: SweepPoint[] = [
      { params: { policy: "thr" }, summary: summary(1, 1, 1) },
      { params: { step: "60s" }, summary: summary(2, 2, 1) },
    ];
    const lines = sweepToCsv(mixed).split("\n");
    expect(lines[0]!.startsWith("policy,step,scenario,")).toBe(true);
    expect(lines[1]!.startsWith("thr,,small,")).toBe(true);
    expect(lines[2]!.startsWith(",60s,small,")).toBe(true);
  });

  it("a point without a summary is a VX_SIM_BAD_RESULT", () => {
    let caught: unknown;
    try {
      sweepToCsv([{ params: {} } as unknown as SweepPoint]);
    } catch (error) {
      caught = error;
    }
    expect(VxError.isInstance(caught) && caught.code).toBe("VX_SIM_BAD_RESULT");
  });
});

describe("renderSweepHtml", () => {
  const html = renderSweepHtml(points);

  it("groups points that differ only by seed: one bar per policy with the mean and a min–max whisker", () => {
    const energy = html.match(/<svg[^>]*data-chart="sweep-energy"[\s\S]*?<\/svg>/)![0];
    // thr: 11, 12, 13 → mean 12; mad: 16, 17, 18 → mean 17.
    expect(energy).toContain(">12 (n=3)</text>");
    expect(energy).toContain(">17 (n=3)</text>");
    expect(energy.match(/<rect x=/g)).toHaveLength(2);
    expect(energy.match(/stroke="#222"/g)).toHaveLength(2); // the whiskers
    expect(energy).toContain(">policy=thr</text>");
    expect(energy).toContain("energy (kWh), mean over seeds (whisker: min–max)");
  });

  it("draws one chart per metric and a table of configurations; deterministic", () => {
    expect(html.match(/<svg/g)).toHaveLength(7);
    expect(html).toContain(
      '<td>policy=mad</td><td class="num">3</td><td class="num">17.00</td><td class="num">202.0</td>',
    );
    expect(html).toContain("6 points · 2 configurations by policy");
    expect(renderSweepHtml(points)).toBe(html);
    expect(html).not.toMatch(/<script|\ssrc=|\shref=/);
  });

  it("a seed-only sweep shows one bar per seed", () => {
    const seeds = points
      .filter((p) => p.params.policy === "thr")
      .map((p) => ({ params: { seed: p.params.seed! }, summary: p.summary }));
    const page = renderSweepHtml(seeds);
    expect(page).toContain(">seed=1</text>");
    expect(page).toContain(">seed=3</text>");
  });

  it("an empty sweep renders", () => {
    expect(renderSweepHtml([])).toContain(">no data</text>");
  });
});
