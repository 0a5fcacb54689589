import type { VxError } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { migrationsToCsv, seriesToCsv } from "../src/report/csv.js";
import { REPORT_CHARTS, renderReportHtml } from "../src/report/html.js";
import { niceTicks } from "../src/report/internal/svg.js";
import { progressBar, shouldShowProgress } from "../src/report/progress.js";
import { formatSummaryTable } from "../src/report/summary-table.js";
import { longResult, smallResult } from "./report-fixtures.js";

describe("formatSummaryTable", () => {
  it("prints significant digits: kWh to 2 decimals from 1 kWh, ratios and ESV to 3 digits", () => {
    expect(formatSummaryTable(smallResult())).toBe(
      [
        "small (seed 7): 4 hosts, 6 VMs, 1 h simulated",
        "",
        "metric                      value  meaning",
        "------------------  -------------  -------",
        "energy                  0.399 kWh  consumed by all hosts",
        "migrations                      3  VM live migrations decided",
        "SLATAH                     5.25 %  SLA violation time per active host: Σ time at 100 % CPU / Σ time active",
        "PDM                       0.075 %  performance degradation due to migration: Σ CPU lost / Σ CPU requested",
        "SLAV                    0.00394 %  SLATAH × PDM",
        "ESV                       1.57e-5  energy (kWh) × SLAV",
        "host shutdowns                  2  times a host was switched off",
        "mean active hosts            3.25  time-weighted",
        "unplaced VMs                    0  VMs that fit no host at the start",
        "migration outcomes      2 / 1 / 0  completed / cancelled (VM stayed on its source) / unfinished at the end",
        "VMs lost                        0  by a post-copy failure or with a host taken out of service",
        "queueing            1.5 s / 4.5 s  mean / max wait for a migration slot",
        "",
      ].join("\n"),
    );
  });

  it("a tiny PDM prints as itself, never as 0.00 %", () => {
    const r = smallResult();
    const tiny = { ...r, summary: { ...r.summary, pdm: 1.99e-6, slav: 1e-9, esv: 3.3e-12 } };
    const text = formatSummaryTable(tiny);
    expect(text).toMatch(/PDM\s+1\.99e-4 %/);
    expect(text).toMatch(/SLAV\s+1e-7 %/);
    expect(text).toMatch(/ESV\s+3\.3e-12/);
  });

  it("adds bytes moved, times, downtimes and queueing when the run used a real migration model", () => {
    const text = formatSummaryTable(longResult(4));
    expect(text).toContain("bytes migrated");
    expect(text).toMatch(/downtime\s+125 ms \/ 0 s \/ 1\.5 s/);
    expect(text).toContain("time lost to downtime");
    expect(formatSummaryTable(smallResult())).not.toContain("downtime");
  });
});

describe("progress bar", () => {
  it("draws a bar with a percentage, clamping the fraction", () => {
    expect(progressBar(0, { width: 10 })).toBe("[░░░░░░░░░░]   0%");
    expect(progressBar(0.42, { width: 10, label: "simulating" })).toBe(
      "simulating [████░░░░░░]  42%",
    );
    expect(progressBar(1, { width: 10 })).toBe("[██████████] 100%");
    expect(progressBar(7, { width: 4, ascii: true })).toBe("[####] 100%");
    expect(progressBar(Number.NaN, { width: 4, ascii: true })).toBe("[....]   0%");
    expect(progressBar(-1, { width: 4, ascii: true })).toBe("[....]   0%");
    expect(progressBar(0.5)).toHaveLength(2 + 30 + 5);
  });

  it("is shown only on a terminal, not under CI nor on a dumb terminal", () => {
    expect(shouldShowProgress(true, {})).toBe(true);
    expect(shouldShowProgress(false, {})).toBe(false);
    expect(shouldShowProgress(undefined, {})).toBe(false);
    expect(shouldShowProgress(true, { CI: "true" })).toBe(false);
    expect(shouldShowProgress(true, { CI: "1" })).toBe(false);
    expect(shouldShowProgress(true, { CI: "false" })).toBe(true);
    expect(shouldShowProgress(true, { CI: "0" })).toBe(true);
    expect(shouldShowProgress(true, { CI: "" })).toBe(true);
    expect(shouldShowProgress(true, { TERM: "dumb" })).toBe(false);
    expect(shouldShowProgress(true, { TERM: "xterm-256color" })).toBe(true);
  });
});

describe("CSV exports", () => {
  it("series.csv: one row per interval, units in the header", () => {
    const lines = seriesToCsv(smallResult()).split("\n");
    expect(lines[0]).toBe(
      "time_s,active_hosts,power_w,mean_utilisation,migrations,overloaded_hosts,migrations_in_flight",
    );
    expect(lines[1]).toBe("0,4,420,0.31,0,0,0");
    expect(lines[2]).toBe("300,4,431.5,0.35,2,1,2");
    expect(lines).toHaveLength(12 + 2); // header, 12 rows, and the empty string after the final newline
    expect(lines[13]).toBe("");
  });

  it("migrations.csv: one row per migration, fields with commas and quotes quoted", () => {
    expect(migrationsToCsv(smallResult())).toBe(
      [
        "time_s,vm,from_host,to_host,duration_s,downtime_s,bytes,outcome,queue_s,origin",
        "300,2,0,1,13.92,0,870000000,completed,0,consolidation",
        "300,5,0,2,9.808,0,613000000,completed,0,consolidation",
        '600,1,3,2,27.84,0.125,1740000000,aborted,4.5,"upgrade, ""rack 3"""',
        "",
      ].join("\n"),
    );
    const none = { ...smallResult(), migrationLog: [] };
    expect(migrationsToCsv(none)).toBe(
      "time_s,vm,from_host,to_host,duration_s,downtime_s,bytes,outcome,queue_s,origin\n",
    );
  });

  it("numbers read back exactly; non-finite values are empty fields", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 20,
        }),
        (power) => {
          const n = power.length;
          const r: DatacenterResult = {
            ...smallResult(),
            series: {
              time: power.map((_, i) => i * 300),
              activeHosts: power.map(() => 1),
              powerWatts: power,
              meanUtilisation: power.map(() => 0.5),
              migrations: power.map(() => 0),
              overloadedHosts: power.map(() => 0),
              migrationsInFlight: power.map(() => 0),
            },
          };
          const rows = seriesToCsv(r).trimEnd().split("\n").slice(1);
          expect(rows).toHaveLength(n);
          rows.forEach((row, i) => {
            expect(Number(row.split(",")[2])).toBe(power[i] === 0 ? 0 : power[i]);
          });
        },
      ),
      { numRuns: 200 },
    );
    const r = smallResult();
    const gaps = {
      ...r,
      series: {
        ...r.series,
        meanUtilisation: r.series.meanUtilisation.map((u, i) => (i === 1 ? Number.NaN : u)),
      },
    };
    expect(seriesToCsv(gaps).split("\n")[2]).toBe("300,4,431.5,,2,1,2");
  });

  it("a series shorter than time is a VX_SIM_BAD_RESULT naming it", () => {
    const r = smallResult();
    const bad = { ...r, series: { ...r.series, powerWatts: r.series.powerWatts.slice(1) } };
    expect(() => seriesToCsv(bad)).toThrowVx("VX_SIM_BAD_RESULT");
    expect(() => renderReportHtml(bad)).toThrowVx("VX_SIM_BAD_RESULT");
    try {
      seriesToCsv(bad);
    } catch (error) {
      expect((error as VxError).path).toEqual(["series", "powerWatts"]);
    }
  });
});

describe("report.html", () => {
  const html = renderReportHtml(smallResult());

  it("is deterministic: the same result gives the same bytes", () => {
    expect(renderReportHtml(smallResult())).toBe(html);
    expect(renderReportHtml(longResult(500))).toBe(renderReportHtml(longResult(500)));
  });

  it("has the five charts, then those that apply, each an inline SVG with a title, axis titles with units, and a path", () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    const charts = [...REPORT_CHARTS, "in-flight"];
    expect(svgs).toHaveLength(charts.length);
    expect(REPORT_CHARTS).toEqual(["active-hosts", "power", "utilisation", "migrations", "sla"]);
    const titles = [
      "Active hosts",
      "Power draw of all hosts",
      "Mean CPU utilisation of active hosts",
      "Migrations decided per round",
      "SLA violations: hosts at 100 % CPU",
      "Migrations moving or queued at each round",
    ];
    const yLabels = [
      "active hosts",
      "power (W)",
      "utilisation (%)",
      "migrations",
      "overloaded hosts",
      "migrations",
    ];
    svgs.forEach((svg, i) => {
      expect(svg).toContain(`data-chart="${charts[i]}"`);
      expect(svg).toContain(`<title id="${charts[i]}-title">${titles[i]}</title>`);
      expect(svg).toContain(`>${yLabels[i]}</text>`);
      expect(svg).toContain(">simulated time (min)</text>");
      expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+[VHLZ]/);
    });
  });

  it("holds the summary table and the migrations by outcome", () => {
    expect(html).toContain('<td>energy</td><td class="num">0.399 kWh</td>');
    expect(html).toContain('<td>aborted</td><td class="num">1</td>');
  });

  it("is self-contained: no scripts, no external resources, and a policy that forbids loading any", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    expect(html).toContain("default-src 'none'");
  });

  it("escapes names from the scenario", () => {
    const r = smallResult();
    const evil = { ...r, summary: { ...r.summary, scenario: "<script>alert(1)</script>" } };
    const page = renderReportHtml(evil);
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("picks readable units: hours and kW for a day of a large data center", () => {
    const page = renderReportHtml(longResult(288));
    expect(page).toContain(">simulated time (h)</text>");
    expect(page).toContain(">power (kW)</text>");
  });

  it("reduces a long series to an envelope of bounded size that keeps the peaks", () => {
    const page = renderReportHtml(longResult(86_400, 1));
    expect(page.length).toBeLessThan(250_000);
    expect(page).toContain("Migrations decided per round (max of every 144 intervals)");
    // The peak of the SLA series (9 hosts) is still the top of its axis.
    const sla = page.match(/<svg[^>]*data-chart="sla"[\s\S]*?<\/svg>/)![0];
    expect(sla).toContain("max 9 overloaded hosts");
  });

  it("renders a result of 300,000 rounds (issue 18's 800 days): no spread of a long series", () => {
    const page = renderReportHtml(longResult(300_000, 300));
    expect(page.length).toBeLessThan(400_000);
    expect(page).toContain("max of every");
  });

  it("an empty run renders frames that say there is no data", () => {
    const r = smallResult();
    const empty: DatacenterResult = {
      ...r,
      series: {
        time: [],
        activeHosts: [],
        powerWatts: [],
        meanUtilisation: [],
        migrations: [],
        overloadedHosts: [],
        migrationsInFlight: [],
      },
      migrationLog: [],
    };
    const page = renderReportHtml(empty);
    expect(page.match(/>no data<\/text>/g)).toHaveLength(5);
    expect(page).toContain("No migrations.");
  });
});

describe("axis ticks", () => {
  it("are round steps (1, 2, 2.5 or 5 × 10^k) inside the range, about five of them", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        (lo, span) => {
          const hi = lo + span;
          const { ticks, step } = niceTicks(lo, hi);
          const mantissa = step / 10 ** Math.floor(Math.log10(step));
          expect([1, 2, 2.5, 5, 10].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(11);
          for (const t of ticks) {
            expect(t).toBeGreaterThanOrEqual(lo - step * 1e-6);
            expect(t).toBeLessThanOrEqual(hi + step * 1e-6);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(niceTicks(0, 24, 8).ticks).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
