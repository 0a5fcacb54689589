/**
 * Applies a sweep point's parameters to a raw scenario document (before validation), so every
 * point is validated exactly as a scenario file would be.
 *
 * @module
 */
import { VxError } from "@vx/core";

/** Short names for the parameters swept most often. */
export const PARAM_SHORTHANDS: Readonly<Record<string, string>> = {
  policy: "policy.overload",
  overload: "policy.overload",
  selection: "policy.selection",
  parameter: "policy.parameter",
  threshold: "policy.parameter",
  migration: "migration.model",
};

/**
 * Returns a copy of `raw` with each parameter set at its path (shorthands expanded; missing
 * objects on the way are created).
 *
 * @param raw - the scenario document as read from YAML/JSON (not modified).
 * @param params - parameter name or dotted path → value.
 * @returns the modified copy.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_PARAM` when a path crosses a value that is not an object.
 * @example
 * ```ts
 * applyParams({ seed: 1, policy: { overload: "thr" } }, { policy: "mad", seed: 7 });
 * // { seed: 7, policy: { overload: "mad" } }
 * ```
 */
export function applyParams(
  raw: unknown,
  params: Readonly<Record<string, string | number>>,
): Record<string, unknown> {
  const root: Record<string, unknown> =
    raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? (structuredClone(raw) as Record<string, unknown>)
      : {};
  for (const [name, value] of Object.entries(params)) {
    const path = (PARAM_SHORTHANDS[name] ?? name).split(".");
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = node[key];
      if (next === undefined) {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      } else if (next !== null && typeof next === "object" && !Array.isArray(next)) {
        node = next as Record<string, unknown>;
      } else {
        throw new VxError(
          "VX_SIM_BAD_PARAM",
          `--param ${name}: "${path.slice(0, i + 1).join(".")}" is not an object in the scenario, so it cannot hold "${path.slice(i + 1).join(".")}".`,
          { path: ["param", name] },
        );
      }
    }
    node[path[path.length - 1]!] = value;
  }
  return root;
}
