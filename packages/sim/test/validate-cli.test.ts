import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/cli/io.js";
import { schemaCommand } from "../src/cli/schema.js";
import { validateCommand } from "../src/cli/validate.js";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";
import { MINIMAL, tempDir, writeTree } from "./scenario-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "../../../examples/scenarios");

type Command = { run: (args: readonly string[], io: CliIo) => number };

function run(command: Command, ...args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = command.run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx validate", () => {
  it("a valid file prints ok and a one-line summary, exit 0", () => {
    const file = join(examples, "default.yaml");
    const r = run(validateCommand, file);
    expect(r).toEqual({
      code: 0,
      out: `ok  ${file}  default: 800 hosts (2 types), 1052 VMs (4 types, planetlab), 24 h at 5 min steps, THR 0.8 + MMT, pre-copy (QEMU) migrations, star network\n`,
      err: "",
    });
  });

  it("a bad file prints every problem, one per line as file:line:col  path  message, exit 2", () => {
    const { dir, cleanup } = tempDir();
    try {
      const text = MINIMAL.replace("count: 2 }", "count: 0 }")
        .replace("types: [small, micro]", "types: [small, nano]")
        .replace("kind: constant, utilisation: 40%", "kind: planetlab, folder: traces");
      writeTree(dir, { "bad.yaml": `${text}step: 2d\n` });
      const file = join(dir, "bad.yaml");
      const r = run(validateCommand, file);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err.trimEnd().split("\n")).toEqual([
        `${file}:5:24  hosts[0].count  expected a number ≥ 1, got 0`,
        `${file}:11:20  vms[0].types[1]  unknown VM type "nano"; the VM types are "small", "micro"`,
        `${file}:13:42  vms[0].workload.folder  the PlanetLab trace folder "${join(dir, "traces")}" cannot be read (it does not exist); check the path (relative paths start from the scenario file's folder).`,
        `${file}:14:7  step  the step (172800 s) is longer than the duration (86400 s); make it at most the duration`,
      ]);
    } finally {
      cleanup();
    }
  });

  it("several files: each is checked, exit 2 when any is bad", () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTree(dir, { "a.yaml": MINIMAL, "b.json": '{ "seed": 1, }' });
      const r = run(validateCommand, join(dir, "a.yaml"), join(dir, "b.json"));
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/^ok {2}.*a\.yaml {2}a: 5 hosts/);
      expect(r.err).toMatch(/b\.json:1:12 {2}\(root\) {2}JSON: a comma before "}"/);
    } finally {
      cleanup();
    }
  });

  it("--json prints the issues with their codes and positions", () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTree(dir, { "a.yaml": `${MINIMAL}colour: red\n` });
      const r = run(validateCommand, join(dir, "a.yaml"), "--json");
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out)).toEqual([
        {
          file: join(dir, "a.yaml"),
          ok: false,
          issues: [
            {
              code: "VX_SCHEMA_UNKNOWN_KEY",
              message: 'unknown key "colour"; remove it or check its spelling',
              path: ["colour"],
              file: join(dir, "a.yaml"),
              line: 14,
              column: 1,
            },
          ],
        },
      ]);
    } finally {
      cleanup();
    }
  });

  it("a missing file is one line with its code, exit 2; no file at all is a usage error", () => {
    const r = run(validateCommand, "/nonexistent/scenario.yaml");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain("VX_SIM_SCENARIO_NOT_FOUND");
    expect(() => run(validateCommand)).toThrow(
      expect.objectContaining({ code: "VX_CLI_BAD_USAGE" }),
    );
  });

  it("in a real process the exit code is 0 for a valid file and 2 for a missing one", () => {
    // Runs the command module in a child process, as the `vx` binary would, to pin the exit code.
    const script = [
      'import { validateCommand } from "./src/cli/validate.ts";',
      "process.exitCode = validateCommand.run(process.argv.slice(1), {",
      "  out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });",
    ].join("\n");
    const node = (file: string) =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions=@vx/source", "--input-type=module", "-e", script, file],
        { encoding: "utf8", cwd: resolve(here, "..") },
      );
    expect(node(join(examples, "default.yaml")).status).toBe(0);
    const bad = node("/nonexistent/x.yaml");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("VX_SIM_SCENARIO_NOT_FOUND");
  }); // two child processes that load tsx: slow on a busy machine (the config's hang guard)
});

describe("vx schema", () => {
  it("prints the JSON Schema of scenario files", () => {
    const r = run(schemaCommand);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(scenarioJsonSchema());
    expect(r.out.endsWith("}\n")).toBe(true);
  });

  it("takes no arguments", () => {
    expect(() => run(schemaCommand, "extra")).toThrow();
  });
});
