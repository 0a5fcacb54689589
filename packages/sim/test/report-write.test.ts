import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { migrationsToCsv, seriesToCsv } from "../src/report/csv.js";
import { renderReportHtml } from "../src/report/html.js";
import {
  checkReportDir,
  checkWritableDir,
  REPORT_FILES,
  resultToJson,
  writeFileAtomic,
  writeFilesAtomic,
  writeReport,
} from "../src/report/write.js";
import { smallResult } from "./report-fixtures.js";
import { tempDir } from "./scenario-fixtures.js";

async function codeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return VxError.isInstance(error) ? error.code : `not a VxError: ${String(error)}`;
  }
  return undefined;
}

describe("writeReport", () => {
  it("writes result.json, series.csv, migrations.csv and report.html, creating the folder", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      const out = join(dir, "a/b");
      const result = smallResult();
      const paths = await writeReport(out, result);
      expect(paths).toEqual(
        ["result.json", "series.csv", "migrations.csv", "report.html"].map((f) => join(out, f)),
      );
      expect(readdirSync(out).sort()).toEqual([
        "migrations.csv",
        "report.html",
        "result.json",
        "series.csv",
      ]);
      expect(JSON.parse(readFileSync(join(out, REPORT_FILES.result), "utf8"))).toEqual(result);
      expect(readFileSync(join(out, REPORT_FILES.result), "utf8")).toBe(resultToJson(result));
      expect(readFileSync(join(out, REPORT_FILES.series), "utf8")).toBe(seriesToCsv(result));
      expect(readFileSync(join(out, REPORT_FILES.migrations), "utf8")).toBe(
        migrationsToCsv(result),
      );
      expect(readFileSync(join(out, REPORT_FILES.html), "utf8")).toBe(renderReportHtml(result));
    } finally {
      cleanup();
    }
  });

  it("replaces an earlier report completely", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      writeFileSync(join(dir, "result.json"), "x".repeat(100_000));
      await writeReport(dir, smallResult());
      expect(readFileSync(join(dir, "result.json"), "utf8")).toBe(resultToJson(smallResult()));
    } finally {
      cleanup();
    }
  });

  it("a malformed result writes nothing", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      const r = smallResult();
      const bad = { ...r, series: { ...r.series, migrations: [] } };
      expect(await codeOf(() => writeReport(dir, bad))).toBe("VX_SIM_BAD_RESULT");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it("a folder holding anything but report files is refused before anything is written", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      // A folder named report.html, and a file of the user's: the report would replace them.
      mkdirSync(join(dir, "report.html"));
      writeFileSync(join(dir, "report.html", "keep"), "");
      writeFileSync(join(dir, "notes.txt"), "mine");
      expect(await codeOf(() => writeReport(dir, smallResult()))).toBe("VX_SIM_BAD_OUT");
      expect(readdirSync(dir).sort()).toEqual(["notes.txt", "report.html"]);
      expect(readdirSync(join(dir, "report.html"))).toEqual(["keep"]);
    } finally {
      cleanup();
    }
  });

  it("an output folder that cannot be created is refused as VX_SIM_BAD_OUT", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      writeFileSync(join(dir, "file"), "");
      expect(await codeOf(() => writeReport(join(dir, "file", "out"), smallResult()))).toBe(
        "VX_SIM_BAD_OUT",
      );
      expect(await codeOf(() => writeReport(join(dir, "file"), smallResult()))).toBe(
        "VX_SIM_BAD_OUT",
      );
    } finally {
      cleanup();
    }
  });

  it("two reports written at once into one folder never mix: its four files come from one run", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      const out = join(dir, "out");
      const a = smallResult();
      const b = { ...a, summary: { ...a.summary, energyKWh: a.summary.energyKWh + 1 } };
      for (let round = 0; round < 5; round++) {
        const settled = await Promise.allSettled([writeReport(out, a), writeReport(out, b)]);
        expect(settled.some((s) => s.status === "fulfilled")).toBe(true);
        for (const s of settled) {
          if (s.status === "rejected") expect(VxError.isInstance(s.reason)).toBe(true);
        }
        const json = readFileSync(join(out, REPORT_FILES.result), "utf8");
        const winner = json === resultToJson(a) ? a : b;
        expect(json).toBe(resultToJson(winner));
        expect(readFileSync(join(out, REPORT_FILES.html), "utf8")).toBe(renderReportHtml(winner));
        // Nothing left beside it: no temporary or retired copy.
        expect(readdirSync(dir)).toEqual(["out"]);
      }
    } finally {
      cleanup();
    }
  });
});

describe("output folder checks (before a run)", () => {
  it("checkWritableDir: empty names, files and folders under files are VX_SIM_BAD_OUT; nothing is created", () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      writeFileSync(join(dir, "file"), "");
      for (const bad of ["", "  ", join(dir, "file"), join(dir, "file", "sub")]) {
        expect(() => checkWritableDir(bad)).toThrow(
          expect.objectContaining({ code: "VX_SIM_BAD_OUT", path: ["out"] }),
        );
      }
      expect(checkWritableDir(join(dir, "new", "deeper"))).toBe(join(dir, "new", "deeper"));
      expect(readdirSync(dir)).toEqual(["file"]);
    } finally {
      cleanup();
    }
  });

  it("checkReportDir refuses the working folder and its parents, accepts an earlier report", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      expect(() => checkReportDir(".")).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_OUT" }),
      );
      expect(() => checkReportDir("..")).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_OUT" }),
      );
      await writeReport(join(dir, "r"), smallResult());
      expect(checkReportDir(join(dir, "r"))).toBe(join(dir, "r"));
    } finally {
      cleanup();
    }
  });
});

describe("atomic writes", () => {
  it("writeFileAtomic writes one file and leaves nothing else", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      await writeFileAtomic(join(dir, "x", "sweep.csv"), "a,b\n");
      expect(readdirSync(join(dir, "x"))).toEqual(["sweep.csv"]);
      expect(readFileSync(join(dir, "x", "sweep.csv"), "utf8")).toBe("a,b\n");
    } finally {
      cleanup();
    }
  });

  it("a failure while writing the temporary files renames nothing", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      // The second file cannot be written (its content is not text): the first must not appear.
      const files = { "a.txt": "a", "b.txt": 42 as unknown as string };
      expect(await codeOf(() => writeFilesAtomic(dir, files))).toBe("VX_SIM_WRITE_FAILED");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it("names with a folder part are refused", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      for (const name of ["../x", "a/b", "", ".."]) {
        expect(await codeOf(() => writeFilesAtomic(dir, { [name]: "" }))).toBe(
          "VX_SIM_BAD_FILE_NAME",
        );
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
