/**
 * The JSON Schema of scenario files, generated from the same zod definition that validates them.
 *
 * @module
 */

import { z } from "zod";
import { type Feature, mergeFeatures } from "../features/feature.js";
import { FEATURES } from "../features/index.js";
import { buildScenarioFileSchema } from "./schema.js";

/** Options of {@link scenarioJsonSchema}. */
export interface ScenarioJsonSchemaOptions {
  /** Feature sections to include in addition to the built-in ones. */
  readonly features?: readonly Feature[];
}

/**
 * The JSON Schema (draft-07, which editors support best) of scenario files.
 *
 * Use it for `vx schema > vx.schema.json`, then point your editor at it (a
 * `# yaml-language-server: $schema=./vx.schema.json` line in YAML, a `"$schema"` key in JSON) to
 * get completion and inline docs. It describes the file as written: quantities accept numbers in
 * base units or strings such as `"4GiB"`, and every field has a description giving its unit and
 * default. Cross-field rules (references, sizes, files) are checked only by `vx validate`.
 *
 * @param options - extra feature sections.
 * @returns a JSON-serialisable JSON Schema object.
 * @example
 * ```ts
 * writeFileSync("vx.schema.json", JSON.stringify(scenarioJsonSchema(), null, 2));
 * ```
 */
export function scenarioJsonSchema(
  options: ScenarioJsonSchemaOptions = {},
): Record<string, unknown> {
  const schema = buildScenarioFileSchema(mergeFeatures(FEATURES, options.features ?? []));
  const json = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-07",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      const target = jsonSchema as Record<string, unknown>;
      const meta = z.globalRegistry.get(zodSchema) as Record<string, unknown> | undefined;
      for (const [from, to] of [
        ["x-vx-default", "default"],
        ["x-vx-examples", "examples"],
      ] as const) {
        const value = target[from] ?? meta?.[from];
        delete target[from];
        if (value !== undefined) target[to] = value;
      }
    },
  });
  return json as Record<string, unknown>;
}
