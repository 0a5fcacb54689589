/**
 * What makes two sweep points the same computation: the scenario's content, the point's parameter
 * values and the version of vx. Every point file records a key hashed from these, so a point
 * computed from another scenario (or by another vx) is never taken for a finished one.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { VERSION } from "../version.js";

/** The format tag of a sweep's files (`sweep.json` and `points/*.json`). */
export const SWEEP_FORMAT = "vx-sweep/1";

/**
 * JSON with object keys sorted at every level: the same value always gives the same text,
 * whatever order a file listed its keys in.
 *
 * @param value - plain JSON data (objects, arrays, strings, finite numbers, booleans, null).
 * @returns the canonical JSON text (no spaces).
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The SHA-256 of a text, as 64 hex digits.
 *
 * @param text - UTF-8 text.
 * @returns the hex digest.
 */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The content hash of a sweep's base scenario: the SHA-256 of its document in canonical JSON.
 * Comments, layout and key order do not change it; any value does. Trace files the scenario
 * names are identified by their path, not their content.
 *
 * @param document - the scenario document as read from YAML or JSON.
 * @returns 64 hex digits.
 */
export function scenarioHash(document: unknown): string {
  return sha256(canonicalJson(document));
}

/**
 * The key of one point: the SHA-256 of the sweep format, the vx version, the scenario's content
 * hash and the point's parameter values. Two points with the same key compute the same bytes.
 *
 * @param scenarioSha256 - {@link scenarioHash} of the base scenario.
 * @param params - the point's parameter values.
 * @param version - the vx version (default: this one).
 * @returns 64 hex digits.
 * @example
 * ```ts
 * pointKey(scenarioHash(doc), { policy: "thr", seed: 3 });
 * ```
 */
export function pointKey(
  scenarioSha256: string,
  params: Readonly<Record<string, string | number>>,
  version: string = VERSION,
): string {
  return sha256(
    canonicalJson({ format: SWEEP_FORMAT, vx: version, scenario: scenarioSha256, params }),
  );
}
