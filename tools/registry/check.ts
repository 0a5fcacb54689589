/**
 * The release check: every public package of `packages/*`, published with changesets to a private
 * npm registry (Verdaccio on 127.0.0.1), then installed from it with plain npm in empty folders
 * outside the workspace, the way a user would.
 *
 * 1. Finds the non-private packages under `packages/` and checks what a release needs: a built
 *    `dist/`, a README and LICENSE, `repository` (with its `directory`), `homepage`, `bugs`,
 *    `license` and `engines.node` in `package.json`.
 * 2. Installs Verdaccio from `tools/registry/package-lock.json` (once per lockfile, cached under
 *    `node_modules/.cache/`), starts it on 127.0.0.1 on a port the system picks, with its storage
 *    in a fresh temporary folder, and creates a user.
 * 3. Copies the packages (tracked files + `dist/`) and the changesets into a temporary folder,
 *    adds a changeset that bumps every public package `minor`, and runs `changeset version` then
 *    `changeset publish` there (versions 0.1.0 from 0.0.0): the real tree is never touched.
 * 4. In two empty temporary folders, installs `@vx/migration` alone and `@vx/sim` with npm (the
 *    `@vx` scope from the private registry, everything else from the public one) and runs an ESM
 *    script, a CommonJS script, `tsc --noEmit` on a TypeScript file, and for `@vx/sim`
 *    `npx vx --help`.
 *
 * Everything lives in temporary folders and on an ephemeral port, so two runs can go at once.
 * Usage: `pnpm run registry` (after `pnpm build`). Set VX_KEEP_REGISTRY_TMP=1 to keep the folders.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));
const STEP_TIMEOUT_MS = 5 * 60_000;
/**
 * The workspace's TypeScript compiler (the same pinned version a user installs): the consumers
 * type-check with it instead of each downloading and unpacking TypeScript (23 MB) again. The
 * types they check come from their own node_modules (the published `.d.ts` and `@types/node`).
 */
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const started = Date.now();

interface PublicPackage {
  readonly name: string;
  readonly dir: string; // relative to ROOT, e.g. "packages/core"
  readonly version: string;
}

function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`registry check ${seconds} s: ${message}\n`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** Runs a command to completion; fails with its output when it exits non-zero. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    timeout: STEP_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.error !== undefined || result.status !== 0) {
    fail(
      `\`${command} ${args.join(" ")}\` in ${options.cwd} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Step 1: the public packages and what a release of each needs. */
function findPublicPackages(): PublicPackage[] {
  const found: PublicPackage[] = [];
  const problems: string[] = [];
  for (const entry of readdirSync(join(ROOT, "packages")).sort()) {
    const dir = `packages/${entry}`;
    const file = join(ROOT, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.private === true) continue;
    const need = (ok: unknown, what: string): void => {
      if (!ok) problems.push(`${dir}: ${what}`);
    };
    need(typeof pkg.repository?.url === "string", "package.json has no repository.url");
    need(pkg.repository?.directory === dir, `repository.directory should be "${dir}"`);
    need(typeof pkg.homepage === "string", "package.json has no homepage");
    need(typeof pkg.bugs?.url === "string", "package.json has no bugs.url");
    need(typeof pkg.license === "string", "package.json has no license");
    need(typeof pkg.engines?.node === "string", "package.json has no engines.node");
    need(existsSync(join(ROOT, dir, "README.md")), "no README.md");
    need(existsSync(join(ROOT, dir, "LICENSE")), "no LICENSE");
    need(existsSync(join(ROOT, dir, "dist")), "no dist/ (run `pnpm build` first)");
    found.push({ name: pkg.name, dir, version: pkg.version });
  }
  if (problems.length > 0) fail(`packages not ready for release:\n  ${problems.join("\n  ")}`);
  if (found.length === 0) fail("no public package under packages/");
  return found;
}

/** Step 2a: Verdaccio, installed once per lockfile (concurrent runs: install aside, rename in). */
function installVerdaccio(): string {
  const lock = readFileSync(join(HERE, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 16);
  const target = join(ROOT, "node_modules", ".cache", "vx-registry", hash);
  if (existsSync(join(target, "node_modules", "verdaccio", "package.json"))) return target;
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.tmp-`);
  cpSync(join(HERE, "package.json"), join(staging, "package.json"));
  cpSync(join(HERE, "package-lock.json"), join(staging, "package-lock.json"));
  log("installing Verdaccio (once)");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts"], {
    cwd: staging,
  });
  try {
    renameSync(staging, target);
  } catch {
    // Another run installed it meanwhile: use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** Step 2b: the registry, in its own process so this one can block on npm and pnpm. */
async function startRegistry(
  installDir: string,
  workDir: string,
): Promise<{
  child: ChildProcess;
  url: string;
}> {
  const child = spawn(process.execPath, [join(HERE, "server.cjs"), installDir, workDir], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += String(chunk);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`Verdaccio did not start:\n${errors}`)),
      60_000,
    );
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited (${code}):\n${errors}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

async function createUser(url: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:vx`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "vx", password: "vx-release-check" }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || typeof body.token !== "string") {
    fail(`could not create a registry user: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/** Step 3a: a throwaway copy of what changesets needs: root files, changesets, packages. */
function copyWorkspace(packages: readonly PublicPackage[], into: string): void {
  const tracked = run(
    "git",
    [
      "ls-files",
      "-z",
      "--",
      "package.json",
      "pnpm-workspace.yaml",
      "pnpm-lock.yaml",
      ".changeset",
      "packages",
    ],
    {
      cwd: ROOT,
    },
  )
    .split("\0")
    .filter((f) => f !== "");
  for (const file of tracked) {
    const from = join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the work tree
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(from, join(into, file));
  }
  for (const pkg of packages)
    cpSync(join(ROOT, pkg.dir, "dist"), join(into, pkg.dir, "dist"), { recursive: true });
  // pnpm publish reads the version of each `workspace:` dependency from the package's
  // node_modules: link them as `pnpm install` would (only those, not the whole install). A
  // devDependency on private tooling (`@vx/dev`) is not part of a release: the copy drops it.
  const dirs = new Map(packages.map((p) => [p.name, p.dir]));
  for (const pkg of packages) {
    const file = join(into, pkg.dir, "package.json");
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    for (const field of [
      "dependencies",
      "peerDependencies",
      "optionalDependencies",
      "devDependencies",
    ]) {
      for (const [dep, range] of Object.entries<string>(manifest[field] ?? {})) {
        if (!range.startsWith("workspace:")) continue;
        const target = dirs.get(dep);
        if (target === undefined && field === "devDependencies") {
          delete manifest[field][dep];
          continue;
        }
        if (target === undefined)
          fail(`${pkg.name} depends on ${dep}, which is not a public package`);
        const link = join(into, pkg.dir, "node_modules", dep);
        if (existsSync(link)) continue;
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(relative(dirname(link), join(into, target)), link);
      }
    }
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

/** Step 3b: changeset version + changeset publish in the copy. */
function publish(
  packages: readonly PublicPackage[],
  repo: string,
  url: string,
  token: string,
): Map<string, string> {
  const host = url.replace(/^http:/, "");
  writeFileSync(join(repo, ".npmrc"), `registry=${url}\n${host}:_authToken=${token}\n`);
  const changeset = [
    "---",
    ...packages.map((p) => `"${p.name}": minor`),
    "---",
    "",
    "Release check: every public package, published to a private registry.",
    "",
  ].join("\n");
  writeFileSync(join(repo, ".changeset", "zz-registry-check.md"), changeset);
  const git = (args: string[]): string =>
    run("git", ["-c", "user.name=vx", "-c", "user.email=vx@localhost", ...args], { cwd: repo });
  git(["init", "-q"]);
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "release check"]);
  const changesetBin = join(ROOT, "node_modules", "@changesets", "cli", "bin.js");
  // pnpm publish (which changesets runs for a pnpm workspace) would refuse an uncommitted tree.
  const env = {
    ...process.env,
    npm_config_registry: url,
    npm_config_update_notifier: "false",
    npm_config_git_checks: "false",
  };
  run(process.execPath, [changesetBin, "version"], { cwd: repo, env });
  const versions = new Map<string, string>();
  for (const pkg of packages) {
    versions.set(
      pkg.name,
      JSON.parse(readFileSync(join(repo, pkg.dir, "package.json"), "utf8")).version,
    );
  }
  run(process.execPath, [changesetBin, "publish", "--no-git-tag"], { cwd: repo, env });
  return versions;
}

/** Checks that the registry now serves each package at the version changesets gave it. */
async function checkPublished(url: string, versions: ReadonlyMap<string, string>): Promise<void> {
  for (const [name, version] of versions) {
    const response = await fetch(`${url}${name.replace("/", "%2f")}`);
    const body = (await response.json()) as {
      versions?: Record<string, { dependencies?: Record<string, string> }>;
    };
    const manifest = body.versions?.[version];
    if (manifest === undefined) fail(`${name}@${version} is not on the registry after publishing`);
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      // Both protocols are the workspace's own: pnpm replaces them with versions at publish.
      if (range.startsWith("workspace:") || range.startsWith("catalog:"))
        fail(`${name}@${version} was published with ${dep}: "${range}"`);
    }
  }
}

/** Step 4: an empty folder outside the workspace, the private registry for @vx only. */
function consumer(base: string, name: string, url: string, deps: readonly string[]): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: `try-${name}`, private: true }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, ".npmrc"),
    `@vx:registry=${url}\nupdate-notifier=false\nfund=false\naudit=false\nloglevel=error\n`,
  );
  run("npm", ["install", "--no-package-lock", ...deps], { cwd: dir });
  return dir;
}

function expectOutput(
  dir: string,
  command: string,
  args: readonly string[],
  expected: string,
): void {
  const out = run(command, args, { cwd: dir });
  if (!out.includes(expected))
    fail(
      `\`${command} ${args.join(" ")}\` in ${dir} printed:\n${out}\nexpected to see: ${expected}`,
    );
}

function tryMigration(base: string, url: string, version: string): void {
  const dir = consumer(base, "migration", url, [
    `@vx/migration@${version}`,
    "@types/node@^20.19.0",
  ]);
  if (existsSync(join(dir, "node_modules", "@vx", "sim"))) fail("@vx/migration pulled in @vx/sim");
  // The worked example of estimatePrecopy's doc comment: 4 GiB at 128 MiB/s, dirtying 32 MiB/s.
  const call = 'estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" })';
  writeFileSync(
    join(dir, "esm.mjs"),
    `import { estimatePrecopy } from "@vx/migration";\nconst e = ${call};\nconsole.log("esm", e.rounds.map((r) => r.bytes / 2 ** 20).join(","), e.downtimeSeconds);\n`,
  );
  writeFileSync(
    join(dir, "cjs.cjs"),
    `const { estimatePrecopy } = require("@vx/migration");\nconst e = ${call};\nconsole.log("cjs", e.totalTimeSeconds);\n`,
  );
  writeFileSync(
    join(dir, "check.ts"),
    [
      'import { estimatePrecopy, type PrecopyEstimate } from "@vx/migration";',
      `const e: PrecopyEstimate = ${call};`,
      "const seconds: number = e.downtimeSeconds;",
      "// @ts-expect-error: a typo in an option is a type error (the declarations are real types)",
      'estimatePrecopy({ ram: "4GiB", bandwith: "128MiB/s", dirtyRate: "32MiB/s" });',
      "console.log(seconds);",
      "",
    ].join("\n"),
  );
  writeTsconfig(dir);
  expectOutput(dir, "node", ["esm.mjs"], "esm 4096,1024,256,64 0.125");
  expectOutput(dir, "node", ["cjs.cjs"], "cjs 42.625");
  run(process.execPath, [TSC, "--noEmit", "-p", "."], { cwd: dir });
}

/**
 * `builtVersion` is the version compiled into `dist/` (`VERSION` is bundled from package.json at
 * build time): the workspace's version here, since the check publishes the existing build; a
 * real release builds after `changeset version`.
 */
function trySim(base: string, url: string, version: string, builtVersion: string): void {
  const dir = consumer(base, "sim", url, [`@vx/sim@${version}`, "@types/node@^20.19.0"]);
  writeFileSync(
    join(dir, "esm.mjs"),
    [
      'import { runCli, VERSION } from "@vx/sim";',
      "let out = '';",
      'const code = await runCli(["units", "64GiB"], { out: (t) => (out += t), err: (t) => (out += t) });',
      'console.log("esm", VERSION, code, out.trim().split("\\n")[0]);',
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "cjs.cjs"),
    'const { VERSION, ExitCode } = require("@vx/sim");\nconsole.log("cjs", VERSION, ExitCode.badInput);\n',
  );
  writeFileSync(
    join(dir, "check.ts"),
    [
      'import { type CliIo, runCli, VERSION } from "@vx/sim";',
      "const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };",
      'const pending: Promise<number> = runCli(["--version"], io);',
      "// @ts-expect-error: runCli takes the arguments as an array of strings",
      'void runCli("--version", io);',
      "void pending.then((code) => console.log(VERSION, code));",
      "",
    ].join("\n"),
  );
  writeTsconfig(dir);
  expectOutput(dir, "node", ["esm.mjs"], `esm ${builtVersion} 0 input`);
  expectOutput(dir, "node", ["cjs.cjs"], `cjs ${builtVersion} 2`);
  run(process.execPath, [TSC, "--noEmit", "-p", "."], { cwd: dir });
  expectOutput(dir, "npx", ["--no-install", "vx", "--help"], "Usage: vx <command>");
}

function writeTsconfig(dir: string): void {
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      types: ["node"],
    },
    files: ["check.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

async function main(): Promise<void> {
  const packages = findPublicPackages();
  log(`${packages.length} public packages: ${packages.map((p) => p.name).join(", ")}`);
  const install = installVerdaccio();
  const work = mkdtempSync(join(tmpdir(), "vx-registry-"));
  let registry: { child: ChildProcess; url: string } | undefined;
  try {
    registry = await startRegistry(install, join(work, "registry"));
    const token = await createUser(registry.url);
    log(`Verdaccio on ${registry.url}, storage in ${relative(tmpdir(), work)} under ${tmpdir()}`);
    const repo = join(work, "repo");
    copyWorkspace(packages, repo);
    const versions = publish(packages, repo, registry.url, token);
    await checkPublished(registry.url, versions);
    log(`published ${[...versions].map(([n, v]) => `${n}@${v}`).join(", ")}`);
    const consumers = join(work, "consumers");
    tryMigration(
      consumers,
      registry.url,
      versions.get("@vx/migration") ?? fail("no @vx/migration"),
    );
    log("@vx/migration alone: npm install, ESM, CommonJS, tsc --noEmit: ok");
    const sim = packages.find((p) => p.name === "@vx/sim") ?? fail("no @vx/sim");
    trySim(consumers, registry.url, versions.get(sim.name) ?? fail("no version"), sim.version);
    log("@vx/sim: npm install, ESM, CommonJS, tsc --noEmit, npx vx --help: ok");
    log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    registry?.child.kill("SIGTERM");
    if (process.env.VX_KEEP_REGISTRY_TMP === "1") log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `registry check failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
