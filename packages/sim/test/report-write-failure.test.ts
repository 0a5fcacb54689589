import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Make the rename that puts a new report folder in place fail once, as a full or failing disk
// would, to check that the earlier report is put back whole.
const failNext = vi.hoisted((): { on: (to: string) => boolean } => ({ on: () => false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (failNext.on(String(to))) {
        failNext.on = () => false;
        throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      }
      return actual.rename(from, to);
    },
  };
});

const { REPORT_FILES, resultToJson, writeReport } = await import("../src/report/write.js");
const { smallResult } = await import("./report-fixtures.js");
const { tempDir } = await import("./scenario-fixtures.js");

describe("writeReport when the final rename fails", () => {
  it("keeps the earlier report whole and leaves no temporary folder", async () => {
    const { dir, cleanup } = tempDir("vx-report-");
    try {
      const out = join(dir, "out");
      const first = smallResult();
      await writeReport(out, first);
      const before = readdirSync(out)
        .sort()
        .map((f) => readFileSync(join(out, f), "utf8"));
      const second = { ...first, summary: { ...first.summary, migrations: 99 } };
      failNext.on = (to) => to === out;
      await expect(writeReport(out, second)).rejects.toMatchObject({ code: "VX_SIM_WRITE_FAILED" });
      const after = readdirSync(out)
        .sort()
        .map((f) => readFileSync(join(out, f), "utf8"));
      expect(after).toEqual(before);
      expect(readFileSync(join(out, REPORT_FILES.result), "utf8")).toBe(resultToJson(first));
      expect(readdirSync(dir)).toEqual(["out"]);
    } finally {
      cleanup();
    }
  });
});
