#!/usr/bin/env node
// Thin shim so the `vx` bin can be linked before `dist/` exists; the CLI itself lives in src/cli.ts.
import("../dist/cli.js").catch((error) => {
  if (
    error &&
    error.code === "ERR_MODULE_NOT_FOUND" &&
    String(error.message).includes("dist/cli.js")
  ) {
    process.stderr.write("vx: @vx/sim is not built yet; run `pnpm build` first.\n");
    process.exit(1);
  }
  throw error;
});
