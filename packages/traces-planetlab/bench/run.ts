/**
 * `pnpm bench`: how fast a day decodes and how small the files are, on the built package (what
 * npm users get).
 *
 * - decode: each of the ten days decoded from bytes already in memory; the median of 7 runs,
 *   in milliseconds and in millions of samples per second.
 * - load: `loadPlanetLabDay` of all ten days (file read + decode), median of 5 runs.
 * - sizes: each `.bin` file against one byte per sample plus the names, and that gzipped.
 *
 * The machine is a shared VM whose speed varies: read the medians, not single runs. Wall-clock
 * reads are allowed here: benchmarks measure the code, they are not models.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { decodePlanetLabDay, PLANETLAB_DAYS } from "@vx/traces-planetlab";
import { loadPlanetLabDay, planetLabDayPath } from "@vx/traces-planetlab/node";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const rows: string[] = [];
let totalBin = 0;
let totalRaw = 0;
let totalGzip = 0;
let totalSamples = 0;
let totalDecodeMs = 0;
for (const day of PLANETLAB_DAYS) {
  const bytes = readFileSync(planetLabDayPath(day));
  const times: number[] = [];
  let samples = 0;
  let raw = new Uint8Array(0);
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const data = decodePlanetLabDay(bytes, day);
    times.push(performance.now() - t0);
    samples = data.percent.length;
    if (r === 0) {
      const names = Buffer.from(`${data.names.join("\n")}\n`, "latin1");
      raw = Buffer.concat([names, data.percent]);
    }
  }
  const ms = median(times);
  const gzip = gzipSync(raw, { level: 9 }).length;
  totalBin += bytes.length;
  totalRaw += raw.length;
  totalGzip += gzip;
  totalSamples += samples;
  totalDecodeMs += ms;
  rows.push(
    `${day}  ${String(samples / 288).padStart(5)} VMs  decode ${ms.toFixed(1).padStart(6)} ms (${(samples / ms / 1000).toFixed(1)} M samples/s)  .bin ${(bytes.length / 1000).toFixed(1)} kB, bytes ${(raw.length / 1000).toFixed(1)} kB, gzip -9 ${(gzip / 1000).toFixed(1)} kB`,
  );
}
for (const row of rows) console.log(row);
console.log(
  `all ten: decode ${totalDecodeMs.toFixed(0)} ms (${(totalSamples / totalDecodeMs / 1000).toFixed(1)} M samples/s); .bin ${(totalBin / 1e6).toFixed(2)} MB (${((totalBin * 8) / totalSamples).toFixed(2)} bits/sample with names), one byte per sample + names ${(totalRaw / 1e6).toFixed(2)} MB, gzip -9 of that ${(totalGzip / 1e6).toFixed(2)} MB`,
);

const loads: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  for (const day of PLANETLAB_DAYS) loadPlanetLabDay(day);
  loads.push(performance.now() - t0);
}
console.log(`loadPlanetLabDay of all ten days: median ${median(loads).toFixed(0)} ms`);
