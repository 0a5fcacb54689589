/**
 * Validation plumbing: every options object of this package is a zod schema (quantities through
 * core's `bytesSchema`, `rateSchema`, `durationSchema`, `percentSchema`); {@link Issues} collects
 * the problems of several schemas (the VM, the options, the link) so that one `VxError` lists them
 * all, each with its full path, before anything runs.
 *
 * @internal
 */
import { issuesFromZod, VxError, type VxIssue, type VxPath } from "@vx/core";
import { z } from "zod";

/** Code of every invalid-option error of this package. */
export const BAD_OPTIONS = "VX_MIGRATION_BAD_OPTIONS";

/** Collects issues from several parses. */
export class Issues {
  readonly list: VxIssue[] = [];

  add(code: string, message: string, path: VxPath): void {
    this.list.push({ code, message, path });
  }

  /**
   * Parses `input` with `schema`; on failure records its issues (paths prefixed) and returns
   * `undefined`.
   */
  parse<T>(schema: z.core.$ZodType<T>, input: unknown, prefix: VxPath = []): T | undefined {
    // Options are parsed once per plan: skip zod's compiled fast path (its `new Function` costs more
    // than one interpreted parse).
    const result = z.safeParse(schema, input, { reportInput: true, jitless: true });
    if (result.success) return result.data;
    for (const issue of issuesFromZod(result.error)) {
      this.list.push({
        code: issue.code,
        message: issue.message,
        path: [...prefix, ...issue.path],
      });
    }
    return undefined;
  }

  /** Throws one VxError listing every issue, if any. */
  throwIfAny(what: string): void {
    const list = this.list;
    if (list.length === 0) return;
    const n = list.length;
    let message = `Invalid ${what} (${n} ${n === 1 ? "problem" : "problems"}):`;
    for (const issue of list) message += `\n  ${pathText(issue.path)}: ${issue.message}`;
    throw new VxError(BAD_OPTIONS, message, { path: list[0]!.path, issues: list });
  }
}

function pathText(path: VxPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out === "" ? "(root)" : out;
}

/** Adds a custom issue carrying a vx code (read by core's `issuesFromZod`) in a refinement. */
export function addVxIssue(
  ctx: z.RefinementCtx,
  code: string,
  message: string,
  path: (string | number)[],
  input: unknown,
): void {
  ctx.addIssue({ code: "custom", message, path, input, params: { vxCode: code } });
}

/** Copies an object without the given keys (keys another layer reads itself). */
export function omitKeys(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0 || typeof value !== "object" || value === null || Array.isArray(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) out[k] = v;
  return out;
}
