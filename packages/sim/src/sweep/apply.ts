/**
 * Applies a sweep point's parameters to a raw scenario document (before validation), so every
 * point is validated exactly as a scenario file would be.
 *
 * @module
 */
import { VxError } from "@vx/core";
import { OVERLOAD_DETECTORS, OVERLOAD_NAMES } from "@vx/datacenter";

/**
 * Short names for the parameters swept most often. `policy` and `overload` switch the overload
 * detector: unless the point also sets the parameter (`parameter`, `threshold` or
 * `policy.parameter`), the detector's own default parameter applies (THR 0.8, IQR 1.5, MAD 2.5,
 * LR and LRR 1.2: `OVERLOAD_DETECTORS` of `@vx/datacenter`), not the one the base scenario gave
 * another detector.
 */
export const PARAM_SHORTHANDS: Readonly<Record<string, string>> = {
  policy: "policy.overload",
  overload: "policy.overload",
  selection: "policy.selection",
  placement: "policy.placement",
  parameter: "policy.parameter",
  threshold: "policy.parameter",
  migration: "migration.model",
  topology: "network.topology",
  oversubscription: "network.oversubscription",
};

const PARAMETER_PATH = "policy.parameter";
const OVERLOAD_PATH = "policy.overload";

/**
 * Returns a copy of `raw` with each parameter set at its path (shorthands expanded; missing
 * objects on the way are created).
 *
 * When a point switches the overload detector (`policy`, `overload` or `policy.overload`) to
 * another one and does not set the parameter too, the base scenario's `policy.parameter` is
 * dropped, so the new detector gets its own default: MAD with THR's 0.8 is another policy
 * altogether. Switching `migration.model` likewise drops the options of the base scenario's model
 * that the new one does not have (they would be unknown keys).
 *
 * @param raw - the scenario document as read from YAML/JSON (not modified).
 * @param params - parameter name or dotted path → value.
 * @returns the modified copy.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_PARAM` when a path crosses a value that is not an object.
 * @example
 * ```ts
 * applyParams({ seed: 1, policy: { overload: "thr", parameter: 0.7 } }, { policy: "mad", seed: 7 });
 * // { seed: 7, policy: { overload: "mad" } }: MAD's default safety parameter, 2.5
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
  const paths = Object.keys(params).map((name) => PARAM_SHORTHANDS[name] ?? name);
  const before = current(root, OVERLOAD_PATH);
  const modelBefore = current(root, "migration.model");
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
          "VX_SIM_BAD_SWEEP_PARAM",
          `--param ${name}: "${path.slice(0, i + 1).join(".")}" is not an object in the scenario, so it cannot hold "${path.slice(i + 1).join(".")}".`,
          { path: ["param", name] },
        );
      }
    }
    node[path[path.length - 1]!] = value;
  }
  const after = current(root, OVERLOAD_PATH);
  const switched = paths.includes(OVERLOAD_PATH) && after !== (before ?? "thr");
  if (switched && !paths.includes(PARAMETER_PATH)) {
    const policy = root.policy;
    if (policy !== null && typeof policy === "object" && !Array.isArray(policy)) {
      delete (policy as Record<string, unknown>).parameter;
    }
  }
  const modelAfter = current(root, "migration.model");
  if (paths.includes("migration.model") && modelAfter !== (modelBefore ?? "cloudsim")) {
    keepModelOptions(root, paths);
  }
  return root;
}

/** The value at a dotted path, or undefined. */
function current(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Options every migration model has; the others belong to one model. */
const COMMON_MIGRATION_KEYS: ReadonlySet<string> = new Set(["model", "maxOutgoing", "maxIncoming"]);

/** Drops the base scenario's migration options when the point switched to another model. */
function keepModelOptions(root: Record<string, unknown>, paths: readonly string[]): void {
  const migration = root.migration;
  if (migration === null || typeof migration !== "object" || Array.isArray(migration)) return;
  const m = migration as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (COMMON_MIGRATION_KEYS.has(key) || paths.includes(`migration.${key}`)) continue;
    delete m[key];
  }
}

/**
 * The default parameter of each overload detector, for help texts: `thr 0.8, iqr 1.5, …`.
 *
 * @returns one line.
 */
export function detectorDefaults(): string {
  return OVERLOAD_NAMES.map((n) => {
    const p = OVERLOAD_DETECTORS[n].parameter;
    return p === undefined ? n : `${n} ${p.default}`;
  }).join(", ");
}
