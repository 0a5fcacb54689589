// Starts a private npm registry (Verdaccio) for the release check, on 127.0.0.1 and a port the
// system picks, with its storage and users in the folder given as argv[3]. Prints one line of JSON,
// {"port": N}, once it listens; stops on SIGTERM or when its parent's stdin closes.
// Usage: node server.cjs <verdaccio install folder> <work folder>
"use strict";
const { join } = require("node:path");

const [installDir, workDir] = process.argv.slice(2);
if (!installDir || !workDir) {
  process.stderr.write("usage: node server.cjs <verdaccio install folder> <work folder>\n");
  process.exit(2);
}
const { runServer } = require(join(installDir, "node_modules", "verdaccio"));

const config = {
  self_path: join(workDir, "config.yaml"),
  configPath: join(workDir, "config.yaml"),
  storage: join(workDir, "storage"),
  auth: { htpasswd: { file: join(workDir, "htpasswd"), max_users: 10 } },
  // No uplinks: @vx/* must come from what the check published, never from the public registry.
  uplinks: {},
  packages: {
    "@vx/*": { access: "$all", publish: "$authenticated", unpublish: "$authenticated" },
    "**": { access: "$all", publish: "$authenticated" },
  },
  web: { enable: false },
  log: { type: "stdout", format: "json", level: "error" },
  max_body_size: "100mb",
};

runServer(config)
  .then((server) => {
    server.listen(0, "127.0.0.1", () => {
      process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    });
    const stop = () => server.close(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    process.stdin.on("end", stop);
    process.stdin.resume();
  })
  .catch((error) => {
    process.stderr.write(`verdaccio failed to start: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
