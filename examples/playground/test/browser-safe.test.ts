// The packages that claim to be browser-safe bundle for the browser without any Node built-in.
// Each main entry is bundled with esbuild (platform "browser", from source through the
// `@vx/source` condition, so no build is needed); any import of `node:*` or of a bare Node
// built-in (`fs`, `path`, …) fails the test, naming the chain of files that pulls it in.
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import { BROWSER_SAFE_PACKAGES } from "./browser-safe-packages.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

interface NodeImport {
  readonly specifier: string;
  readonly importer: string;
}

/** Records every import of a Node built-in and leaves it out of the bundle. */
function recordNodeImports(found: NodeImport[]): Plugin {
  return {
    name: "record-node-imports",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.startsWith("node:") ? args.path.slice(5) : args.path;
        const isBuiltin = args.path.startsWith("node:") || BUILTINS.has(bare.split("/")[0] ?? "");
        if (!isBuiltin) return undefined;
        found.push({ specifier: args.path, importer: relative(root, args.importer) });
        return { path: args.path, external: true };
      });
    },
  };
}

/** The chain of files from the entry to `file`, through the bundle's import graph. */
function chain(meta: Metafile, entry: string, file: string): string[] {
  const parents = new Map<string, string>();
  const queue = [entry];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (at === file) break;
    for (const imp of meta.inputs[at]?.imports ?? []) {
      if (imp.external || seen.has(imp.path)) continue;
      seen.add(imp.path);
      parents.set(imp.path, at);
      queue.push(imp.path);
    }
  }
  const path = [file];
  let at = file;
  while (parents.has(at)) {
    at = parents.get(at) as string;
    path.unshift(at);
  }
  return path;
}

async function bundle(
  pkg: string,
): Promise<{ found: NodeImport[]; meta: Metafile; bytes: number }> {
  const found: NodeImport[] = [];
  const result = await build({
    stdin: { contents: `export * from "${pkg}";`, resolveDir: here, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["@vx/source"],
    metafile: true,
    logLevel: "silent",
    plugins: [recordNodeImports(found)],
  });
  const bytes = result.outputFiles.reduce((sum, f) => sum + f.contents.byteLength, 0);
  return { found, meta: result.metafile, bytes };
}

describe("browser-safe packages bundle for the browser with no Node built-in", () => {
  for (const pkg of BROWSER_SAFE_PACKAGES) {
    it(`${pkg} has no node: import in its main entry`, async () => {
      const { found, meta, bytes } = await bundle(pkg);
      const entry = Object.keys(meta.inputs).find((k) => k.startsWith("<stdin>")) ?? "<stdin>";
      const report = found.map((f) => {
        const file =
          Object.keys(meta.inputs).find(
            (k) => relative(root, join(root, k)) === f.importer || k.endsWith(f.importer),
          ) ?? f.importer;
        return `${f.specifier} ← ${chain(meta, entry, file).join(" ← ")}`;
      });
      expect(report, `${pkg} pulls in Node built-ins`).toEqual([]);
      expect(bytes).toBeGreaterThan(1000);
    });
  }

  it("the check itself catches a node: import", async () => {
    const { found } = await bundle("@vx/datacenter/node");
    expect(found.map((f) => f.specifier)).toContain("node:fs");
  });
});
