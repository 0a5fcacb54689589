/**
 * The scenario-file schema: `@vx/datacenter`'s spec schema (one zod definition, the same
 * `runDatacenter` validates with), plus the `$schema` key editors use and one optional top-level
 * field per feature section. Through {@link scenarioJsonSchema} it gives the JSON Schema that
 * editors use for completion.
 *
 * Cross-field rules (references between sections, VM fits, counts, trace files) are the spec's
 * own checks (`checkDatacenterSpec`), run after this schema in `internal/checks.ts`.
 *
 * @module
 */

import { SPEC_FIELDS } from "@vx/datacenter";
import { z } from "zod";
import type { Feature } from "../features/feature.js";

/**
 * Builds the zod schema of a whole scenario file: the spec's fields, `$schema`, and one optional
 * top-level field per feature section.
 *
 * @param features - the feature sections to accept.
 * @returns a strict object schema (unknown keys are errors); its output is checked further by
 * `parseScenario`.
 */
export function buildScenarioFileSchema(features: readonly Feature[]): z.ZodType<unknown, unknown> {
  const shape: Record<string, z.ZodType> = {
    $schema: z
      .string()
      .optional()
      .meta({ description: "URL or path of this JSON Schema, for editors; ignored by vx." }),
  };
  for (const [key, schema] of Object.entries(SPEC_FIELDS)) shape[key] = schema;
  for (const feature of features) {
    shape[feature.name] = feature.schema.meta({ description: feature.description }).optional();
  }
  return z.strictObject(shape).meta({
    title: "vx scenario",
    description:
      "A vx data-center scenario: hosts, VMs and their workloads, network, consolidation policy and migration model, plus feature sections. See docs/scenarios.md.",
  });
}
