/** The migration planner panel (`@vx/migration`). */
import { barChart, lineChart } from "../chart.js";
import { MIGRATION_PARAMS, type MigrationPlan } from "../compute/migration.js";
import { bytes, duration } from "../format.js";
import { charts, h, type Panel, table } from "./panel.js";

export const migration: Panel = {
  id: "migration",
  title: "Migration planner",
  intro:
    "Every live-migration strategy of @vx/migration side by side for the VM and link you type, round by round, and the evacuation of a host of such VMs over the same link, all at once or one after another.",
  fields: [
    { key: "ram", label: "VM memory", kind: "text" },
    { key: "workingSet", label: "working set", kind: "text" },
    { key: "dirtyRate", label: "dirty rate", kind: "text" },
    { key: "hotShare", label: "share into the working set", kind: "text" },
    { key: "bandwidth", label: "link", kind: "text" },
    { key: "latency", label: "latency", kind: "text" },
    { key: "vms", label: "VMs to evacuate", kind: "text" },
  ],
  defaults: { ...MIGRATION_PARAMS, vms: String(MIGRATION_PARAMS.vms) },
  task: (f) => ({
    kind: "migration",
    params: {
      ram: f.ram ?? "",
      workingSet: f.workingSet ?? "",
      dirtyRate: f.dirtyRate ?? "",
      hotShare: f.hotShare ?? "",
      bandwidth: f.bandwidth ?? "",
      latency: f.latency ?? "",
      vms: Number(f.vms),
    },
  }),
  show: (out, result) => {
    const r = result as MigrationPlan;
    const rounds = (pick: (s: MigrationPlan["strategies"][number]) => readonly number[]) =>
      r.strategies
        .filter((s) => s.rounds.bytes.length > 1)
        .map((s) => ({ name: s.strategy, x: pick(s).map((_, i) => i), y: pick(s) }));
    out.append(
      table(
        "strategies",
        ["strategy", "outcome", "total", "downtime", "sent", "rounds"],
        r.strategies.map((s) => [
          s.strategy,
          s.outcome,
          duration(s.totalTimeSeconds),
          duration(s.downtimeSeconds),
          bytes(s.bytesSent),
          String(s.roundCount),
        ]),
      ),
      charts(
        lineChart({
          id: "round-bytes",
          title: "Bytes sent per round",
          xLabel: "round",
          yLabel: "bytes",
          lines: rounds((s) => s.rounds.bytes),
        }),
        lineChart({
          id: "round-dirty-rate",
          title: "Dirty rate per round",
          xLabel: "round",
          yLabel: "bytes/s",
          lines: rounds((s) => s.rounds.dirtyRate),
        }),
        barChart({
          id: "downtime",
          title: "Downtime by strategy (completed migrations)",
          yLabel: "seconds",
          bars: r.strategies
            .filter((s) => s.outcome === "completed")
            .map((s) => ({
              label: s.strategy.replace("postcopy-", "pc-").replace("precopy-", ""),
              value: s.downtimeSeconds,
            })),
        }),
      ),
      h("h3", {}, "Evacuating the host"),
      table(
        "evacuation",
        ["strategy", "order", "landed", "last lands", "worst downtime", "sent"],
        r.evacuations.map((e) => [
          e.strategy,
          e.sequential ? "one after another" : "all at once",
          `${e.landed}/${e.vms}`,
          e.landed === e.vms ? duration(e.totalTimeSeconds) : "-",
          e.maxDowntimeSeconds === null ? "-" : duration(e.maxDowntimeSeconds),
          bytes(e.bytesSent),
        ]),
      ),
    );
  },
};
