/**
 * Builds `data/<day>.bin` from CloudSim's text files, checks them, and builds the test fixtures.
 *
 * The text files are CloudSim's `modules/cloudsim-examples/src/main/resources/workload/planetlab`
 * (one folder per day, one file of 288 integer percentages per VM). They are not in this
 * repository; point `--source` at a copy (the default is the vx workspace's
 * `../shared/data/planetlab`).
 *
 * Usage (from the package folder):
 *   pnpm run data                      encode the ten days into data/, print the sizes
 *   pnpm run data --check              decode data/*.bin and compare every name and value with
 *                                      the text files; exit 1 on the first difference
 *   pnpm run data --fixtures           encode each test/fixtures/<name>/ folder into
 *                                      test/fixtures/<name>.bin (day name = folder name)
 *   --source <folder>                  where the day folders are
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { PLANETLAB_DAYS, PLANETLAB_VM_COUNTS } from "../src/days.js";
import { decodePlanetLabDay } from "../src/decode.js";
import { encodePlanetLabDay } from "../src/encode.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

interface TextDay {
  readonly names: string[];
  readonly samplesPerVm: number;
  readonly percent: Uint8Array;
  readonly textBytes: number;
}

/** Reads a folder of PlanetLab text files strictly: every line one integer 0..100, equal counts. */
function readTextDay(folder: string): TextDay {
  const names = readdirSync(folder)
    .filter((n) => !n.startsWith(".") && statSync(join(folder, n)).isFile())
    .sort();
  if (names.length === 0) throw new Error(`${folder}: no trace file`);
  const columns: number[][] = [];
  let textBytes = 0;
  for (const name of names) {
    const text = readFileSync(join(folder, name), "latin1");
    textBytes += text.length;
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const values = lines.map((line, i) => {
      if (!/^(?:100|[1-9]?[0-9])$/.test(line)) {
        throw new Error(`${join(folder, name)}:${i + 1}: ${JSON.stringify(line)} is not 0..100`);
      }
      return Number(line);
    });
    columns.push(values);
  }
  const samplesPerVm = (columns[0] as number[]).length;
  const percent = new Uint8Array(names.length * samplesPerVm);
  columns.forEach((values, c) => {
    if (values.length !== samplesPerVm) {
      throw new Error(`${folder}/${names[c]}: ${values.length} samples, not ${samplesPerVm}`);
    }
    percent.set(values, c * samplesPerVm);
  });
  return { names, samplesPerVm, percent, textBytes };
}

function sameDay(text: TextDay, day: string, bytes: Uint8Array): string | undefined {
  const decoded = decodePlanetLabDay(bytes, day);
  if (decoded.samplesPerVm !== text.samplesPerVm) return "samples per VM differ";
  if (decoded.intervalSeconds !== 300) return "interval differs";
  if (decoded.names.length !== text.names.length) return "VM counts differ";
  for (let i = 0; i < text.names.length; i++) {
    if (decoded.names[i] !== text.names[i]) return `name ${i} differs`;
  }
  if (decoded.percent.length !== text.percent.length) return "sample counts differ";
  for (let i = 0; i < text.percent.length; i++) {
    if (decoded.percent[i] !== text.percent[i]) return `sample ${i} differs`;
  }
  return undefined;
}

function kB(n: number): string {
  return `${(n / 1000).toFixed(1)} kB`;
}

function main(argv: readonly string[]): number {
  const at = argv.indexOf("--source");
  const source =
    at >= 0
      ? (argv[at + 1] ?? "")
      : fileURLToPath(new URL("../../../../shared/data/planetlab", import.meta.url));
  if (argv.includes("--fixtures")) {
    const dir = join(packageDir, "test", "fixtures");
    for (const name of readdirSync(dir).sort()) {
      if (!statSync(join(dir, name)).isDirectory()) continue;
      const text = readTextDay(join(dir, name));
      const bytes = encodePlanetLabDay({
        day: name,
        names: text.names,
        samplesPerVm: text.samplesPerVm,
        percent: text.percent,
      });
      writeFileSync(join(dir, `${name}.bin`), bytes);
      console.log(`${name}.bin: ${text.names.length} VMs, ${bytes.length} bytes`);
    }
    return 0;
  }
  const check = argv.includes("--check");
  const rows: string[] = [];
  const totals = { text: 0, raw: 0, gzip: 0, bin: 0, vms: 0 };
  for (const day of PLANETLAB_DAYS) {
    const text = readTextDay(join(source, day));
    if (text.names.length !== PLANETLAB_VM_COUNTS[day]) {
      throw new Error(`${day}: ${text.names.length} files, expected ${PLANETLAB_VM_COUNTS[day]}`);
    }
    const file = join(packageDir, "data", `${day}.bin`);
    let bytes: Uint8Array;
    if (check) {
      bytes = readFileSync(file);
    } else {
      bytes = encodePlanetLabDay({ day, names: text.names, percent: text.percent });
      writeFileSync(file, bytes);
    }
    const problem = sameDay(text, day, bytes);
    if (problem !== undefined) {
      console.error(`${day}: ${file} does not match the text files: ${problem}`);
      return 1;
    }
    // What the alternatives would weigh: one byte per sample plus the names, and that gzipped.
    const raw = Buffer.concat([Buffer.from(`${text.names.join("\n")}\n`, "latin1"), text.percent]);
    const gzip = gzipSync(raw, { level: 9 }).length;
    const samples = text.percent.length;
    rows.push(
      `| ${day} | ${text.names.length} | ${kB(text.textBytes)} | ${kB(raw.length)} | ${kB(gzip)} | ${kB(bytes.length)} | ${((bytes.length * 8) / samples).toFixed(2)} |`,
    );
    totals.text += text.textBytes;
    totals.raw += raw.length;
    totals.gzip += gzip;
    totals.bin += bytes.length;
    totals.vms += text.names.length;
  }
  console.log(
    check
      ? `data/*.bin decode to exactly the names and values of the text files in ${source}`
      : `wrote data/*.bin from ${source}`,
  );
  console.log(
    "| day | VMs | text files | bytes + names | gzip -9 of that | .bin | bits per sample |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log(
    `| all | ${totals.vms} | ${kB(totals.text)} | ${kB(totals.raw)} | ${kB(totals.gzip)} | ${kB(totals.bin)} | ${((totals.bin * 8) / (totals.vms * 288)).toFixed(2)} |`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
