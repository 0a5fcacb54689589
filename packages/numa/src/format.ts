/**
 * A topology as text, for terminals and logs.
 *
 * @module
 */

import { formatBytes, formatRate, formatTable, type TableAlign } from "@vx/core";
import { formatCpuList } from "./cpulist.js";
import { type Topology, topologyTotals } from "./topology.js";

/** Appends `lines` to `out` one by one (a spread would put every line on the call stack). */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

/** Lines of a table: left-aligned but for the columns in `right`. */
function table(
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string[] {
  if (rows.length === 0) return [];
  const columns = rows[0]!.length;
  const align = Array.from(
    { length: columns },
    (_, c): TableAlign => (right.has(c) ? "right" : "left"),
  );
  return formatTable(rows, { align }).split("\n");
}

function matrix(
  title: string,
  topology: Topology,
  cell: (i: number, j: number) => string,
): string[] {
  const ids = topology.nodes.map((node) => String(node.index));
  const rows = [
    ["", ...ids],
    ...topology.nodes.map((_, i) => [String(i), ...ids.map((__, j) => cell(i, j))]),
  ];
  const right = new Set(rows[0]!.map((_, c) => c));
  return [title, ...table(rows, right).map((l) => `  ${l}`)];
}

/** The bandwidth of every link when the links are a full mesh of equal links (more than one). */
function meshRate(topology: Topology): number | undefined {
  const n = topology.nodes.length;
  const first = topology.links[0];
  if (first === undefined || n < 3 || topology.links.length !== (n * (n - 1)) / 2) {
    return undefined;
  }
  const pairs = new Set<number>();
  for (const link of topology.links) {
    if (link.bytesPerSecond !== first.bytesPerSecond) return undefined;
    pairs.add(Math.min(link.a, link.b) * n + Math.max(link.a, link.b));
  }
  return pairs.size === topology.links.length ? first.bytesPerSecond : undefined;
}

const ASSUMED_TEXT: Readonly<Record<string, string>> = {
  memoryBandwidth: "memory bandwidth",
  links: "links (a full mesh)",
  latency: "latency",
  distances: "distances",
};

/**
 * Writes a topology as text: its nodes (CPUs, memory, bandwidth), the SLIT distances, the idle
 * latencies they stand for, the links, and which figures are assumed.
 *
 * @param topology - the host.
 * @returns lines joined with `\n`, ending with a newline.
 * @example
 * ```ts
 * process.stdout.write(formatTopology(presetTopology("2-socket")));
 * ```
 */
export function formatTopology(topology: Topology): string {
  const totals = topologyTotals(topology);
  const n = topology.nodes.length;
  const out: string[] = [
    `${topology.name}: ${n} node${n === 1 ? "" : "s"}, ${totals.cpus} CPUs, ${formatBytes(totals.memoryBytes)}`,
    "",
  ];
  append(
    out,
    table(
      [
        ["node", "id", "cpus", "count", "memory", "memory bandwidth"],
        ...topology.nodes.map((node) => [
          String(node.index),
          String(node.id),
          node.cpus.length === 0 ? "-" : formatCpuList(node.cpus),
          String(node.cpus.length),
          formatBytes(node.memoryBytes),
          formatRate(node.memoryBandwidthBytesPerSecond, { bits: false, binary: false }),
        ]),
      ],
      new Set([3]),
    ),
  );
  out.push("");
  append(
    out,
    matrix("SLIT distances (10 = local)", topology, (i, j) => String(topology.distances[i]![j])),
  );
  out.push("");
  append(
    out,
    matrix("idle latency, ns (CPU node → memory node)", topology, (i, j) =>
      (topology.latencySeconds[i]![j]! * 1e9).toFixed(0),
    ),
  );
  const mesh = meshRate(topology);
  if (mesh !== undefined) {
    // A full mesh is n(n-1)/2 equal links (130,816 for 512 nodes): one line says it.
    const rate = formatRate(mesh, { bits: false, binary: false });
    const assumed = topology.assumed.includes("links") ? " (assumed)" : "";
    out.push(
      "",
      `links: a full mesh of ${topology.links.length} links, ${rate} each way${assumed}`,
    );
  } else if (topology.links.length > 0) {
    out.push("", "links (bandwidth each way)");
    append(
      out,
      table(
        topology.links.map((l) => [
          l.name,
          `${l.a} <-> ${l.b}`,
          formatRate(l.bytesPerSecond, { bits: false, binary: false }),
        ]),
      ).map((l) => `  ${l}`),
    );
  }
  if (topology.assumed.length > 0) {
    out.push(
      "",
      `assumed (not in the source, defaults used): ${topology.assumed.map((a) => ASSUMED_TEXT[a] ?? a).join(", ")}`,
    );
  }
  return `${out.join("\n")}\n`;
}
