/**
 * Documentation attached to the spec's zod schemas, for the JSON Schema that editors use.
 *
 * @internal
 */

import { z } from "zod";

/** Metadata a field carries into the JSON Schema. */
export interface FieldDoc {
  readonly description: string;
  /** The default as a user writes it (e.g. `"300s"`), shown by editors. */
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

/**
 * Attaches documentation to a schema. Quantity schemas are pipes whose input side is
 * `number | string`: zod drops `default`/`examples` of pipes when emitting the input schema, so
 * they are kept under `x-vx-*` keys, which `@vx/sim`'s JSON Schema turns back into `default` and
 * `examples` (and which show the human form, `"24h"`, rather than the base-unit value).
 */
export function doc<T extends z.ZodType>(schema: T, field: FieldDoc): T {
  const meta: Record<string, unknown> = { description: field.description };
  if (field.default !== undefined) meta["x-vx-default"] = field.default;
  if (field.examples !== undefined) meta["x-vx-examples"] = field.examples;
  return schema.meta(meta);
}

/** A discriminator value with a description for editors. */
export function tag<const V extends string>(value: V, description: string): z.ZodLiteral<V> {
  return z.literal(value).describe(description);
}
