/**
 * This checkout's `vx` bundled for tests that start it as a process (a Slurm job, a Kubernetes
 * pod's command): tests do not depend on `pnpm build`, and a bundle starts in a fraction of the
 * time tsx takes on a busy machine. The bundle sits beside node_modules so that yaml and zod
 * resolve; workspace packages are bundled from their sources. The bundle is `<dir>/dist/cli.js`
 * with the PlanetLab days linked at `<dir>/data`, where the bundled trace reader looks for them.
 */
import { rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { shellJoin } from "../src/sweep/internal/shell.js";

export interface CliBundle {
  /** The command prefix that runs it (`node …/cli.js`), shell-quoted. */
  readonly command: string;
  readonly remove: () => void;
}

export async function bundleCli(): Promise<CliBundle> {
  const dir = join(
    fileURLToPath(new URL("../node_modules/.cache", import.meta.url)),
    `vx-test-cli-${process.pid}-${Date.now()}`,
  );
  const { build } = await import("tsup");
  await build({
    entry: {
      cli: fileURLToPath(new URL("../src/cli.ts", import.meta.url)),
      "sweep-worker": fileURLToPath(new URL("../src/sweep-worker.ts", import.meta.url)),
    },
    outDir: join(dir, "dist"),
    format: ["esm"],
    platform: "node",
    target: "node20",
    noExternal: [/^@vx\//],
    esbuildOptions(options) {
      options.conditions = ["@vx/source"];
    },
    silent: true,
    splitting: false,
    dts: false,
    config: false,
  });
  // @vx/traces-planetlab reads its days from `../data` next to its code: next to the bundle here.
  symlinkSync(
    fileURLToPath(new URL("../../traces-planetlab/data", import.meta.url)),
    join(dir, "data"),
    "dir",
  );
  return {
    command: shellJoin([process.execPath, join(dir, "dist", "cli.js")]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
