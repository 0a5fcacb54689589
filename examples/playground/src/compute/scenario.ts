/**
 * The scenario editor: YAML or JSON text validated and run with `@vx/sim/browser` (the same
 * schema, checks, line/column positions and composition as `vx validate` and `vx run`). PlanetLab
 * days (by name, or folders whose last part is one) are served from `@vx/traces-planetlab`.
 */
import { VxError } from "@vx/core";
import type { TraceLoader, TraceTable } from "@vx/datacenter";
import {
  formatScenarioIssue,
  isScenarioIssue,
  parseScenarioInBrowser,
  renderReportHtml,
  resultToJson,
  runScenarioInBrowser,
} from "@vx/sim/browser";
import { isPlanetLabDay, PLANETLAB_DAYS } from "@vx/traces-planetlab";

/** One problem, as the editor marks it. */
export interface EditorIssue {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** As `vx validate` prints it. */
  readonly text: string;
}

/** The packaged days a scenario's text names (in any folder), in order of appearance. */
export function daysNamed(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/20110[34]\d\d/g)) {
    if (isPlanetLabDay(m[0]) && !out.includes(m[0])) out.push(m[0]);
  }
  return out;
}

/**
 * A trace loader for the editor: a PlanetLab folder whose last part is a packaged day gets that
 * day's table; anything else is not found (there is no file system in a browser).
 *
 * @param tables - the days loaded, by name.
 * @returns the loader.
 */
export function packagedDayLoader(tables: ReadonlyMap<string, TraceTable>): TraceLoader {
  return {
    load(workload) {
      if (workload.kind === "planetlab") {
        // A packaged day by name (`day: 20110303`), or a folder whose last part names one.
        const day =
          workload.day ??
          (workload.folder ?? "")
            .replace(/[\\/]+$/, "")
            .split(/[\\/]/)
            .pop() ??
          "";
        const table = tables.get(day);
        if (table !== undefined) return table;
        throw new VxError(
          "VX_SIM_TRACE_NOT_FOUND",
          `the playground has no file system: a PlanetLab workload names one of the packaged days (${PLANETLAB_DAYS.join(", ")}) as \`day\` or as the last part of its folder; got ${JSON.stringify(workload.day ?? workload.folder)}.`,
          { path: [workload.day === undefined ? "folder" : "day"] },
        );
      }
      throw new VxError(
        "VX_SIM_CSV_NOT_FOUND",
        `the playground has no file system, so it cannot read ${JSON.stringify(workload.file)}; use a synthetic or PlanetLab workload.`,
        { path: ["file"] },
      );
    },
  };
}

/** The issues of a `VX_SIM_BAD_SCENARIO` error, or of any other error as one issue at 1:1. */
export function issuesOf(error: unknown): EditorIssue[] {
  if (VxError.isInstance(error) && error.issues.length > 0) {
    return error.issues.map((i) => ({
      line: isScenarioIssue(i) ? i.line : 1,
      column: isScenarioIssue(i) ? i.column : 1,
      path: i.path.join("."),
      code: i.code,
      message: i.message,
      text: formatScenarioIssue(i),
    }));
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = VxError.isInstance(error) ? error.code : "ERROR";
  const path = VxError.isInstance(error) ? error.path.join(".") : "";
  return [{ line: 1, column: 1, path, code, message, text: message }];
}

/** What the editor shows after validating (and running). */
export interface EditorOutcome {
  readonly issues: EditorIssue[];
  /** Present when the scenario was run. */
  readonly run?: {
    readonly name: string;
    readonly summary: {
      readonly energyKWh: number;
      readonly migrations: number;
      readonly slav: number;
      readonly meanActiveHosts: number;
    };
    readonly tables: readonly string[];
    readonly json: string;
    readonly html: string;
  };
}

/**
 * Validates the text and, when asked and valid, runs it.
 *
 * @param text - the scenario.
 * @param options - whether to run, the days loaded, a progress callback, package versions.
 * @returns the issues (empty when valid) and the run.
 */
export function checkAndRun(
  text: string,
  options: {
    readonly run: boolean;
    readonly tables: ReadonlyMap<string, TraceTable>;
    readonly onProgress?: (fraction: number) => void;
    readonly versions?: Readonly<Record<string, string>>;
  },
): EditorOutcome {
  const loader = packagedDayLoader(options.tables);
  let scenario: ReturnType<typeof parseScenarioInBrowser>;
  try {
    scenario = parseScenarioInBrowser(text, { file: "scenario.yaml", loader });
  } catch (error) {
    return { issues: issuesOf(error) };
  }
  if (!options.run) return { issues: [] };
  try {
    const { result, tables } = runScenarioInBrowser(scenario, {
      loader,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.versions === undefined ? {} : { versions: options.versions }),
    });
    const s = result.summary;
    return {
      issues: [],
      run: {
        name: s.scenario,
        summary: {
          energyKWh: s.energyKWh,
          migrations: s.migrations,
          slav: s.slav,
          meanActiveHosts: s.meanActiveHosts,
        },
        tables,
        json: resultToJson(result),
        html: renderReportHtml(result),
      },
    };
  } catch (error) {
    return { issues: issuesOf(error) };
  }
}
