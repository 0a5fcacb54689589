import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FEATURES } from "../src/features/index.js";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";
import { parseScenario } from "../src/scenario/parse.js";
import { MINIMAL } from "./scenario-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  required?: string[];
  const?: unknown;
}

/** Every property schema with its path, at every level. */
function properties(schema: JsonSchema, path = ""): [string, JsonSchema][] {
  const out: [string, JsonSchema][] = [];
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}.${key}`, value]);
    out.push(...properties(value, `${path}.${key}`));
  }
  if (typeof schema.additionalProperties === "object") {
    out.push(...properties(schema.additionalProperties, `${path}.*`));
  }
  if (schema.items !== undefined) out.push(...properties(schema.items, `${path}[]`));
  for (const [i, branch] of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].entries()) {
    out.push(...properties(branch, `${path}|${i}`));
  }
  return out;
}

/** Every object schema (with properties) at every level. */
function objects(schema: JsonSchema, path = ""): [string, JsonSchema][] {
  const out: [string, JsonSchema][] = schema.properties !== undefined ? [[path, schema]] : [];
  for (const [key, value] of Object.entries(schema.properties ?? {}))
    out.push(...objects(value, `${path}.${key}`));
  if (typeof schema.additionalProperties === "object")
    out.push(...objects(schema.additionalProperties, `${path}.*`));
  if (schema.items !== undefined) out.push(...objects(schema.items, `${path}[]`));
  for (const [i, branch] of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].entries()) {
    out.push(...objects(branch, `${path}|${i}`));
  }
  return out;
}

const schema = scenarioJsonSchema() as JsonSchema;
/**
 * Fields of the core scenario: the feature sections (numa, pageflip) describe their own
 * fields in their packages' docs; here only each section's top level must carry a description.
 */
const sectionNames = new Set(FEATURES.map((s) => s.name));
const coreProperties = (): [string, JsonSchema][] =>
  properties(schema).filter(
    ([path]) =>
      !sectionNames.has(path.replace(/^\./, "").split(".")[0]!) ||
      !path.replace(/^\./, "").includes("."),
  );

describe("the JSON Schema of scenario files", () => {
  it("describes every field, at every level", () => {
    const missing = coreProperties()
      .filter(([, p]) => (p.description ?? "").length < 8)
      .map(([path]) => path);
    expect(missing).toEqual([]);
    expect(properties(schema).length).toBeGreaterThan(50);
  });

  it("is strict like the validator: every object forbids unknown keys", () => {
    const open = objects(schema)
      .filter(([, o]) => o.additionalProperties !== false)
      .map(([path]) => path);
    expect(open).toEqual([]);
  });

  it("requires the four core sections and accepts quantities as numbers or strings", () => {
    expect(schema.required).toEqual(["hostTypes", "hosts", "vmTypes", "vms"]);
    const hostType = (schema.properties!.hostTypes!.additionalProperties as JsonSchema).properties!;
    expect(hostType.ram!.type).toEqual(["number", "string"]);
    expect(hostType.nic!.default).toBe("1Gbps");
    expect(schema.properties!.duration!.default).toBe("24h");
  });

  it("the defaults it advertises are the defaults vx applies", () => {
    const d = (...path: string[]): unknown => {
      let node: JsonSchema | undefined = schema;
      for (const part of path) {
        if (part === "*") node = node?.additionalProperties as JsonSchema;
        else if (part === "[]") node = node?.items;
        else if (/^\|\d$/.test(part)) node = (node?.oneOf ?? node?.anyOf)?.[Number(part.slice(1))];
        else node = node?.properties?.[part];
      }
      expect(node?.default, path.join(" ")).toBeDefined();
      return node!.default;
    };
    const y = (v: unknown): string => JSON.stringify(v);
    const explicit = MINIMAL.replace(
      "g4: { cores: 2,",
      `g4: { nic: ${y(d("hostTypes", "*", "nic"))}, cores: 2,`,
    )
      .replace(
        "small: { mips: 1000,",
        `small: { cores: ${y(d("vmTypes", "*", "cores"))}, nic: ${y(d("vmTypes", "*", "nic"))}, mips: 1000,`,
      )
      .concat(
        `seed: ${y(d("seed"))}\nduration: ${y(d("duration"))}\nstep: ${y(d("step"))}\n`,
        `policy: { overload: ${y(d("policy", "overload"))}, selection: ${y(d("policy", "selection"))}, placement: ${y(d("policy", "placement"))}, underload: ${y(d("policy", "underload"))} }\n`,
        `network: { topology: star, latency: ${y(d("network", "|0", "latency"))} }\n`,
      );
    expect(parseScenario(explicit)).toEqual(parseScenario(MINIMAL));

    const tree = `network: { topology: tree, hostsPerRack: ${y(d("network", "|1", "hostsPerRack"))}, oversubscription: ${y(d("network", "|1", "oversubscription"))}, vmTraffic: ${y(d("network", "|1", "vmTraffic"))} }\n`;
    expect(parseScenario(MINIMAL + tree)).toEqual(
      parseScenario(`${MINIMAL}network: { topology: tree }\n`),
    );

    // Every migration model: all its advertised defaults written out give the same scenario.
    const variants = schema.properties!.migration!.oneOf ?? schema.properties!.migration!.anyOf!;
    expect(variants.length).toBe(5);
    for (const variant of variants) {
      const model = variant.properties!.model!.const as string;
      const fields = Object.entries(variant.properties!).filter(([k]) => k !== "model");
      for (const [k, v] of fields) expect(v.default, `${model}.${k}`).toBeDefined();
      const written = fields.map(([k, v]) => `${k}: ${y(v.default)}`).join(", ");
      expect(
        parseScenario(`${MINIMAL}migration: { model: ${model}, ${written} }\n`),
        model,
      ).toEqual(parseScenario(`${MINIMAL}migration: { model: ${model} }\n`));
    }
    // And the dirtying defaults of VM types.
    const vmType = (schema.properties!.vmTypes!.additionalProperties as JsonSchema).properties!;
    const dirty = MINIMAL.replace(
      "small: { mips: 1000,",
      `small: { dirtyRate: ${y(vmType.dirtyRate!.default)}, workingSet: ${y(vmType.workingSet!.default)}, mips: 1000,`,
    );
    expect(parseScenario(dirty)).toEqual(parseScenario(MINIMAL));

    const kinds = ["planetlab", "constant", "diurnal", "bursty", "idle-spikes", "csv"];
    const workload = (kind: string): JsonSchema =>
      schema.properties!.vms!.items!.properties!.workload!.oneOf!.find(
        (b) => b.properties!.kind!.const === kind,
      )!;
    for (const kind of ["constant", "diurnal", "bursty", "idle-spikes"]) {
      expect(kinds).toContain(kind);
      const fields = Object.entries(workload(kind).properties!).filter(([k]) => k !== "kind");
      const written = fields.map(([k, v]) => `${k}: ${y(v.default)}`).join(", ");
      const group = (w: string) =>
        MINIMAL.replace("{ kind: constant, utilisation: 40% }", `{ kind: ${kind}${w} }`);
      expect(parseScenario(group(`, ${written}`)), kind).toEqual(parseScenario(group("")));
    }
  });

  it("examples/scenarios/vx.schema.json is up to date (regenerate with `vx schema`)", () => {
    const file = readFileSync(join(root, "examples/scenarios/vx.schema.json"), "utf8");
    expect(JSON.parse(file)).toEqual(schema);
  });

  it("every key used in the example files is in the schema", () => {
    const known = new Set(
      properties(schema).map(([path]) =>
        path
          .split(".")
          .pop()!
          .replace(/\|\d+|\[\]/g, ""),
      ),
    );
    for (const file of [
      "default.yaml",
      "planetlab-20110303.yaml",
      "synthetic-tree.yaml",
      "csv-workload.yaml",
    ]) {
      const keys: string[] = [];
      const walk = (v: unknown, inRecord: boolean): void => {
        if (Array.isArray(v)) for (const x of v) walk(x, false);
        else if (typeof v === "object" && v !== null) {
          for (const [k, x] of Object.entries(v)) {
            if (!inRecord) keys.push(k);
            walk(x, k === "hostTypes" || k === "vmTypes");
          }
        }
      };
      walk(parse(readFileSync(join(root, "examples/scenarios", file), "utf8")), false);
      expect(
        keys.filter((k) => !known.has(k)),
        file,
      ).toEqual([]);
    }
  });
});

describe("docs/scenarios.md", () => {
  const docs = readFileSync(join(root, "docs/scenarios.md"), "utf8");

  it("documents every field of the schema", () => {
    const names = new Set(
      coreProperties().map(([path]) =>
        path
          .split(".")
          .pop()!
          .replace(/\|\d+|\[\]/g, ""),
      ),
    );
    const undocumented = [...names].filter((n) => !docs.includes(`\`${n}\``));
    expect(undocumented).toEqual([]);
  });

  it("shows the same messages vx prints", () => {
    expect(docs).toContain(
      'broken.yaml:15:38  policy.parameter  overload detection "none" takes no parameter; remove it',
    );
    expect(docs).toContain(
      "broken.yaml:14:38  vms[0].workload.mean  expected a percentage ≤ 100%, got 2 (200%)",
    );
  });
});
