import { durationSchema, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";
import { parseScenario } from "../src/scenario/parse.js";
import { defineScenarioSection } from "../src/scenario/section.js";
import { builtinSections } from "../src/scenario/sections/index.js";
import { issuesOf, MINIMAL } from "./scenario-fixtures.js";

/** An example feature section: parking of idle VMs, checked against the VM groups. */
const idle = defineScenarioSection({
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
});

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return VxError.isInstance(error) ? error.code : "not a VxError";
  }
  return undefined;
};

describe("extension sections", () => {
  it("a present section is validated by its schema and lands in extensions, defaults filled", () => {
    const s = parseScenario(`${MINIMAL}idleParking: { parkAfter: 15min }\n`, { sections: [idle] });
    expect(s.extensions).toEqual({ idleParking: { parkAfter: 900, groups: [] } });
  });

  it("an absent section is absent from extensions", () => {
    expect(parseScenario(MINIMAL, { sections: [idle] }).extensions).toEqual({});
  });

  it("without the section, its key is an unknown key", () => {
    const [p] = issuesOf(() => parseScenario(`${MINIMAL}idleParking: {}\n`));
    expect(p).toMatchObject({ code: "VX_SCHEMA_UNKNOWN_KEY", path: ["idleParking"], line: 14 });
  });

  it("a section's schema errors carry the section's path and line", () => {
    const found = issuesOf(() =>
      parseScenario(`${MINIMAL}idleParking:\n  parkAfter: soon\n  colour: red\n`, {
        sections: [idle],
      }),
    );
    expect(found.map((i) => [i.code, i.path.join("."), `${i.line}:${i.column}`])).toEqual([
      ["VX_CORE_BAD_UNIT", "idleParking.parkAfter", "15:14"],
      ["VX_SCHEMA_UNKNOWN_KEY", "idleParking.colour", "16:3"],
    ]);
  });

  it("a section's cross-check sees the whole scenario; its issues are located in the file", () => {
    const found = issuesOf(() =>
      parseScenario(`${MINIMAL}idleParking: { groups: [0, 3] }\n`, { sections: [idle] }),
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
    const schema = scenarioJsonSchema({ sections: [idle] }) as {
      properties: Record<string, { description?: string }>;
    };
    expect(schema.properties.idleParking?.description).toBe(
      "Parking of idle VMs (an example section for the tests).",
    );
    expect((scenarioJsonSchema() as typeof schema).properties.idleParking).toBeUndefined();
  });

  it("names must be lower camel case, not a core field, and unique", () => {
    const schema = z.strictObject({});
    expect(code(() => defineScenarioSection({ name: "Numa", description: "", schema }))).toBe(
      "VX_SIM_BAD_SECTION",
    );
    expect(code(() => defineScenarioSection({ name: "page-flip", description: "", schema }))).toBe(
      "VX_SIM_BAD_SECTION",
    );
    expect(code(() => defineScenarioSection({ name: "policy", description: "", schema }))).toBe(
      "VX_SIM_BAD_SECTION",
    );
    expect(code(() => defineScenarioSection({ name: "pageFlip", description: "", schema }))).toBe(
      undefined,
    );
    expect(code(() => parseScenario(MINIMAL, { sections: [idle, idle] }))).toBe(
      "VX_SIM_BAD_SECTION",
    );
  });

  it("every core field is reserved", () => {
    const fields = Object.keys(
      (scenarioJsonSchema() as { properties: Record<string, unknown> }).properties,
    ).filter((k) => k !== "$schema" && !builtinSections.some((s) => s.name === k));
    const schema = z.strictObject({});
    for (const name of fields) {
      expect(
        code(() => defineScenarioSection({ name, description: "", schema })),
        name,
      ).toBe("VX_SIM_BAD_SECTION");
    }
  });
});
