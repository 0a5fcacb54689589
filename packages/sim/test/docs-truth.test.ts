/**
 * The docs say what the repository holds: the root README's package table lists exactly the
 * published packages, relative links point at files that exist, and nothing cites the project's
 * private notes (`shared/reference/models.md`), which a reader of the repository does not have.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "api") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, out);
    else if (keep(name)) out.push(path);
  }
  return out;
}

const dirs = (parent: string): string[] =>
  readdirSync(join(root, parent))
    .map((n) => join(root, parent, n))
    .filter((p) => statSync(p).isDirectory());

/** The markdown a reader of the repository meets: docs, the root README, packages', examples'. */
const markdown: string[] = [
  join(root, "README.md"),
  ...walk(join(root, "docs"), (n) => n.endsWith(".md")),
  ...[...dirs("packages"), ...dirs("examples")]
    .map((d) => join(d, "README.md"))
    .filter((p) => existsSync(p)),
];

/** The published packages: `packages/*` that are not private. */
const packages: string[] = dirs("packages")
  .map((d) => join(d, "package.json"))
  .filter((p) => existsSync(p))
  .map((p) => JSON.parse(readFileSync(p, "utf8")) as { name: string; private?: boolean })
  .filter((p) => p.private !== true)
  .map((p) => p.name)
  .sort();

describe("the docs are true to the repository", () => {
  it("finds the files it checks", () => {
    expect(markdown.length).toBeGreaterThan(30);
    expect(packages).toContain("@vx/core");
  });

  it("the root README's package table lists exactly the packages in packages/", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const listed = [...readme.matchAll(/^\| `(@vx\/[a-z0-9-]+)`/gm)].map((m) => m[1]!).sort();
    expect(listed).toEqual(packages);
    expect(readme).not.toMatch(/\(coming\)/);
  });

  it("relative links in the markdown point at files that exist", () => {
    const broken: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target) || target.startsWith("#")) continue;
        const path = target.split("#")[0]!;
        if (!existsSync(resolve(dirname(file), path))) {
          broken.push(`${relative(root, file)} → ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("nothing cites shared/reference/models.md: docs bring the facts in with their sources", () => {
    const sources = dirs("packages").flatMap((d) =>
      existsSync(join(d, "src")) ? walk(join(d, "src"), (n) => n.endsWith(".ts")) : [],
    );
    const citing = [...markdown, ...sources].filter((f) =>
      /models\.md|shared\/reference/.test(readFileSync(f, "utf8")),
    );
    expect(citing.map((f) => relative(root, f))).toEqual([]);
  });
});
