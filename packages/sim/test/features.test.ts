import { durationSchema } from "@vx/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineFeature, type Feature } from "../src/features/feature.js";
import { FEATURES } from "../src/features/index.js";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { issuesOf, MINIMAL } from "./scenario-fixtures.js";

/** An example standalone feature: parking of idle VMs, checked against the VM groups. */
const idle: Feature = defineFeature({
  name: "idleParking",
  description: "Parking of idle VMs (an example section for the tests).",
  schema: z.strictObject({
    parkAfter: durationSchema({ allowZero: false }).default(600),
    groups: z.array(z.number().int().min(0)).default([]),
  }),
  check(value, scenario) {
    return value.groups.flatMap((g, i) =>
      g < scenario.vms.length
        ? []
        : [
            {
              code: "VX_SIM_BAD_IDLE_PARKING",
              message: `there is no VM group ${g} (the scenario has ${scenario.vms.length})`,
              path: ["groups", i],
            },
          ],
    );
  },
  kind: "standalone",
  run: (value) => ({ parkAfter: value.parkAfter }),
  format: (out) => `park after ${out.parkAfter} s`,
});

/**
 * An example data-center feature: at `at` seconds it moves every VM off the host of VM 0 with
 * the scenario's migration model.
 */
const drain: Feature = defineFeature({
  name: "drain",
  description: "Drains the host of VM 0 (an example data-center section for the tests).",
  schema: z.strictObject({ at: durationSchema().default(0) }),
  kind: "datacenter",
  extension: (value) => {
    let moved = 0;
    let host = -1;
    return {
      name: "drain",
      start(ctx) {
        ctx.schedule(value.at, () => {
          host = ctx.vm(0).host;
          for (const vm of ctx.host(host).vms) {
            const to = ctx.findHost(vm);
            if (to >= 0 && ctx.migrate(vm, to)) moved++;
          }
        });
      },
      end: (ctx) => ({ moved, left: ctx.host(host).vms.length }),
    };
  },
  format: (out) => `drained ${out.moved} VMs`,
});

describe("feature sections", () => {
  it("a present section is validated by its schema and lands in extensions, defaults filled", () => {
    const s = parseScenario(`${MINIMAL}idleParking: { parkAfter: 15min }\n`, { features: [idle] });
    expect(s.extensions).toEqual({ idleParking: { parkAfter: 900, groups: [] } });
  });

  it("an absent section is absent from extensions", () => {
    expect(parseScenario(MINIMAL, { features: [idle] }).extensions).toEqual({});
  });

  it("without the feature, its key is an unknown key", () => {
    const [p] = issuesOf(() => parseScenario(`${MINIMAL}idleParking: {}\n`));
    expect(p).toMatchObject({ code: "VX_SCHEMA_UNKNOWN_KEY", path: ["idleParking"], line: 14 });
  });

  it("a section's schema errors carry the section's path and line", () => {
    const found = issuesOf(() =>
      parseScenario(`${MINIMAL}idleParking:\n  parkAfter: soon\n  colour: red\n`, {
        features: [idle],
      }),
    );
    expect(found.map((i) => [i.code, i.path.join("."), `${i.line}:${i.column}`])).toEqual([
      ["VX_CORE_BAD_UNIT", "idleParking.parkAfter", "15:14"],
      ["VX_SCHEMA_UNKNOWN_KEY", "idleParking.colour", "16:3"],
    ]);
  });

  it("a section's cross-check sees the whole scenario; its issues are located in the file", () => {
    const found = issuesOf(() =>
      parseScenario(`${MINIMAL}idleParking: { groups: [0, 3] }\n`, { features: [idle] }),
    );
    expect(found).toEqual([
      {
        code: "VX_SIM_BAD_IDLE_PARKING",
        message: "there is no VM group 3 (the scenario has 1)",
        path: ["idleParking", "groups", 1],
        file: "<scenario>",
        line: 14,
        column: 28,
      },
    ]);
  });

  it("the JSON Schema lists the section with its description", () => {
    const schema = scenarioJsonSchema({ features: [idle] }) as {
      properties: Record<string, { description?: string }>;
    };
    expect(schema.properties.idleParking?.description).toBe(
      "Parking of idle VMs (an example section for the tests).",
    );
    expect((scenarioJsonSchema() as typeof schema).properties.idleParking).toBeUndefined();
  });

  it("names must be lower camel case, not a field of the spec, and unique", () => {
    const base = {
      description: "",
      schema: z.strictObject({}),
      kind: "standalone",
      run: () => 0,
      format: () => "",
    } as const;
    expect(() => defineFeature({ ...base, name: "Numa" })).toThrowVx("VX_SIM_BAD_SECTION");
    expect(() => defineFeature({ ...base, name: "page-flip" })).toThrowVx("VX_SIM_BAD_SECTION");
    expect(() => defineFeature({ ...base, name: "policy" })).toThrowVx("VX_SIM_BAD_SECTION");
    expect(() => defineFeature({ ...base, name: "pageFlip" })).not.toThrow();
    expect(() => parseScenario(MINIMAL, { features: [idle, idle] })).toThrowVx(
      "VX_SIM_BAD_SECTION",
    );
  });

  it("every field of the scenario is reserved", () => {
    const fields = Object.keys(
      (scenarioJsonSchema() as { properties: Record<string, unknown> }).properties,
    ).filter((k) => !FEATURES.some((f) => f.name === k));
    expect(fields).toContain("cloudsim");
    for (const name of fields) {
      expect(
        () =>
          defineFeature({
            name,
            description: "",
            schema: z.strictObject({}),
            kind: "standalone",
            run: () => 0,
            format: () => "",
          }),
        name,
      ).toThrowVx("VX_SIM_BAD_SECTION");
    }
  });
});

describe("running features", () => {
  it("a standalone feature runs beside the data center; its output lands in result.extensions", () => {
    const s = parseScenario(`${MINIMAL}duration: 1h\nidleParking: { parkAfter: 2min }\n`, {
      features: [idle],
    });
    const { result, tables } = runScenario(s, { features: [idle] });
    expect(result.extensions).toEqual({ idleParking: { parkAfter: 120 } });
    expect(tables).toEqual(["park after 120 s"]);
    // Without the feature in the list, its section is ignored by the run.
    expect(runScenario(s).result.extensions).toBeUndefined();
  });

  it("a data-center feature acts inside the run: its migrations use the scenario's model", () => {
    const text = MINIMAL.replace("count: 7", "count: 3").replace(
      "utilisation: 40%",
      "utilisation: 10%",
    );
    const s = parseScenario(
      `${text}duration: 1h\npolicy: { underload: false }\ndrain: { at: 10min }\n`,
      { features: [drain] },
    );
    const { result, tables } = runScenario(s, { features: [drain] });
    const drained = result.migrationLog.filter((m) => m.origin === "drain");
    expect(drained.length).toBeGreaterThan(0);
    expect(drained.every((m) => m.time === 600 && m.outcome === "completed")).toBe(true);
    expect(new Set(drained.map((m) => m.from)).size).toBe(1);
    expect(result.extensions?.drain).toEqual({
      output: { moved: drained.length, left: 0 },
      series: {},
      metrics: {},
    });
    expect(tables).toEqual([`drained ${drained.length} VMs`]);
  });
});
