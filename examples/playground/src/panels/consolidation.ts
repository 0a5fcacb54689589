/** The PlanetLab consolidation panel (`@vx/traces-planetlab`, `@vx/datacenter`). */
import { lineChart } from "../chart.js";
import {
  CONSOLIDATION_PARAMS,
  type ConsolidationRun,
  MIGRATION_CHOICES,
  OVERLOAD_CHOICES,
} from "../compute/consolidation.js";
import { DAY_URLS } from "../days.js";
import { duration, percent } from "../format.js";
import { charts, type Panel, table } from "./panel.js";

export const consolidation: Panel = {
  id: "consolidation",
  title: "PlanetLab consolidation",
  intro:
    "A real day of PlanetLab CPU traces (CoMon, 2011, as CloudSim ships them) on CloudSim's 800 hosts, with Beloglazov & Buyya's consolidation policies. The migration model switches between CloudSim's delay (with CloudSim's quirks) and real migrations on a star network (vx semantics).",
  fields: [
    {
      key: "day",
      label: "day",
      kind: "select",
      options: Object.keys(DAY_URLS).map((d) => ({ value: d, label: d })),
    },
    {
      key: "overload",
      label: "policy",
      kind: "select",
      options: OVERLOAD_CHOICES.map((c) => ({ value: c.name, label: c.label })),
    },
    {
      key: "migration",
      label: "migration model",
      kind: "select",
      options: MIGRATION_CHOICES.map((m) => ({ value: m, label: m })),
    },
  ],
  defaults: { ...CONSOLIDATION_PARAMS },
  task: (f) => ({
    kind: "consolidation",
    params: {
      day: f.day ?? CONSOLIDATION_PARAMS.day,
      overload: (f.overload ??
        CONSOLIDATION_PARAMS.overload) as typeof CONSOLIDATION_PARAMS.overload,
      migration: (f.migration ??
        CONSOLIDATION_PARAMS.migration) as typeof CONSOLIDATION_PARAMS.migration,
    },
  }),
  show: (out, result) => {
    const r = result as ConsolidationRun;
    const s = r.summary;
    const hours = r.series.time.map((t) => t / 3600);
    out.append(
      table(
        "summary",
        [
          "run",
          "hosts",
          "VMs",
          "energy",
          "migrations",
          "SLATAH",
          "PDM",
          "SLAV",
          "hosts on (mean)",
          "mean migration",
          "mean downtime",
        ],
        [
          [
            r.name,
            String(s.hosts),
            String(s.vms),
            `${s.energyKWh.toFixed(2)} kWh`,
            String(s.migrations),
            percent(s.slatah, 2),
            percent(s.pdm, 3),
            `${(s.slav * 1e5).toFixed(2)}e-5`,
            s.meanActiveHosts.toFixed(1),
            duration(s.meanMigrationSeconds),
            duration(s.meanDowntimeSeconds),
          ],
        ],
      ),
      charts(
        lineChart({
          id: "active-hosts",
          title: "Active hosts",
          xLabel: "hour",
          yLabel: "hosts",
          lines: [{ name: "active hosts", x: hours, y: r.series.activeHosts }],
          step: true,
        }),
        lineChart({
          id: "energy",
          title: "Energy used",
          xLabel: "hour",
          yLabel: "kWh",
          lines: [{ name: "energy", x: hours, y: r.series.energyKWh }],
        }),
      ),
    );
  },
};
