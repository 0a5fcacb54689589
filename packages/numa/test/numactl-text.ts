/**
 * Synthetic `numactl --hardware` captures of any size, for the import tests and bench: `n` nodes
 * of two CPUs and 4096 MB each, in groups of 8 at SLIT distance 16, 32 between groups.
 */
export function numactlText(n: number): string {
  const lines = [`available: ${n} nodes (0-${n - 1})`];
  for (let i = 0; i < n; i++) {
    lines.push(`node ${i} cpus: ${2 * i} ${2 * i + 1}`, `node ${i} size: 4096 MB`);
    lines.push(`node ${i} free: 4000 MB`);
  }
  lines.push("node distances:");
  lines.push(`node ${Array.from({ length: n }, (_, j) => String(j).padStart(3)).join(" ")}`);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: n }, (_, j) =>
      i === j ? 10 : Math.floor(i / 8) === Math.floor(j / 8) ? 16 : 32,
    );
    lines.push(`${String(i).padStart(3)}: ${row.map((d) => String(d).padStart(3)).join(" ")}`);
  }
  return `${lines.join("\n")}\n`;
}
