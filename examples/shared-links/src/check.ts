/**
 * Checks a shared-links result against figures computed by hand (below), not by the code: when
 * each transfer ends under max-min fair sharing. `expected/result.json` is only a regression file
 * (the code wrote it); this is the validation.
 *
 * Run: `pnpm exec tsx src/check.ts out/result.json` (the `example` script does, after the run).
 *
 * ## The hand computation
 * Every link carries C = 1 Gbit/s = 125 MB/s. The uplink to storage is one resource, shared by
 * transfers in both directions. A transfer starts flowing after its route's latency: 0.5 ms to
 * or from storage, 0.1 ms between hosts. Sizes in MB (10^6 bytes).
 *
 * | from (s) | flows on the uplink                 | each gets | what happens                       |
 * |----------|-------------------------------------|-----------|------------------------------------|
 * | 0.0005   | backup-1                            | C         | 62.5 MB in 0.5 s; 437.5 left       |
 * | 0.5005   | backup-1, db-dump                   | C/2       | 31.25 each; 406.25 and 168.75 left |
 * | 1.0005   | backup-1, db-dump, web-logs         | C/3       | web-logs' 20 MB take 0.48 s        |
 * | 1.4805   | backup-1, db-dump                   | C/2       | 1.25 each until 1.5005             |
 * | 1.5005   | backup-1, db-dump, restore          | C/3       | 0.4996 s: 20.8167 each             |
 * | 2.0001   | backup-1, db-dump, restore          | C/3       | see below                          |
 * | 5.0405   | backup-1, restore                   | C/2       | restore's 152.5 take 2.44 s        |
 * | 7.4805   | backup-1                            | C         | the last 85 MB take 0.68 s         |
 *
 * - web-logs ends at 1.0005 + 20 / (125/3) = 1.0005 + 0.48 = **1.4805 s**.
 * - At 2.0001 replica (db → web) and batch-out (batch → backup) start. The uplink is the
 *   bottleneck of its three flows (C/3 each); db's access link carries db-dump's C/3 and gives
 *   replica the rest, **2C/3 = 83.33 MB/s** (web's down link carries nothing else); batch-out
 *   shares nothing and runs at **C**.
 * - batch-out ends at 2.0001 + 80 / 125 = **2.6401 s**; replica at 2.0001 + 150 / 83.33 =
 *   **3.8001 s** (1.8 s).
 * - db-dump has 168.75 − 20 − 1.25 − 20.8167 = 126.6833 MB left at 2.0001; at 125/3 MB/s that
 *   takes 3.0404 s, so it ends at **5.0405 s**; backup-1 and restore send as much meanwhile.
 * - restore then has 300 − 20.8167 − 126.6833 = 152.5 MB left at C/2 = 62.5 MB/s: 2.44 s, ends
 *   at **7.4805 s**; backup-1 has 437.5 − 31.25 − 20 − 1.25 − 20.8167 − 126.6833 − 152.5 = 85 MB
 *   left, alone at C: 0.68 s, ends at **8.1605 s**.
 */
import { readFileSync } from "node:fs";

/** The end of each transfer, from the table above (seconds). */
const HAND_ENDS: Readonly<
  Record<string, { readonly start: number; readonly end: number; readonly mb: number }>
> = {
  "web-logs": { start: 1, end: 1.4805, mb: 20 },
  "batch-out": { start: 2, end: 2.6401, mb: 80 },
  replica: { start: 2, end: 3.8001, mb: 150 },
  "db-dump": { start: 0.5, end: 5.0405, mb: 200 },
  restore: { start: 1.5, end: 7.4805, mb: 300 },
  "backup-1": { start: 0, end: 8.1605, mb: 500 },
};

interface Transfer {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly averageBytesPerSecond: number;
  readonly outcome: string;
}

const file = process.argv[2] ?? "out/result.json";
const result = JSON.parse(readFileSync(file, "utf8")) as { endTime: number; transfers: Transfer[] };
const problems: string[] = [];
const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

for (const [name, hand] of Object.entries(HAND_ENDS)) {
  const t = result.transfers.find((x) => x.name === name);
  if (t === undefined) {
    problems.push(`${name}: missing`);
    continue;
  }
  const rate = (hand.mb * 1e6) / (hand.end - hand.start);
  if (t.outcome !== "completed") problems.push(`${name}: ${t.outcome}, expected completed`);
  if (t.bytes !== hand.mb * 1e6) problems.push(`${name}: ${t.bytes} bytes, expected ${hand.mb} MB`);
  if (!near(t.start, hand.start))
    problems.push(`${name}: starts at ${t.start} s, by hand ${hand.start} s`);
  if (!near(t.end, hand.end)) problems.push(`${name}: ends at ${t.end} s, by hand ${hand.end} s`);
  if (!near(t.averageBytesPerSecond, rate)) {
    problems.push(`${name}: averages ${t.averageBytesPerSecond} B/s, by hand ${rate} B/s`);
  }
}
if (result.transfers.length !== Object.keys(HAND_ENDS).length) {
  problems.push(`${result.transfers.length} transfers, expected ${Object.keys(HAND_ENDS).length}`);
}
if (!near(result.endTime, 8.1605))
  problems.push(`the run ends at ${result.endTime} s, by hand 8.1605 s`);

if (problems.length > 0) {
  console.error(
    `${file} disagrees with the max-min shares computed by hand:\n  ${problems.join("\n  ")}`,
  );
  process.exit(1);
}
console.log(
  `${file}: all ${result.transfers.length} transfers end when the max-min shares computed by hand say (within 1e-9 s)`,
);
