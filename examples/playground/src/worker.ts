/**
 * The page's worker: every model runs here, off the page's thread, reporting progress. The page
 * cancels a run by terminating the worker.
 */
import { VxError } from "@vx/core";
import corePkg from "@vx/core/package.json";
import type { TraceTable } from "@vx/datacenter";
import datacenterPkg from "@vx/datacenter/package.json";
import { decodePlanetLabDay } from "@vx/traces-planetlab";
import { planetLabTable, runConsolidation } from "./compute/consolidation.js";
import { planMigration } from "./compute/migration.js";
import { comparePageflip } from "./compute/pageflip.js";
import { comparePvm } from "./compute/pvm.js";
import { checkAndRun, daysNamed } from "./compute/scenario.js";
import { DAY_URLS } from "./days.js";
import type { Reply, Request, Task } from "./tasks.js";

/** The worker's global scope, as far as this file uses it (the DOM library types `self` as a window). */
const scope = self as unknown as {
  postMessage(message: Reply): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

const tables = new Map<string, TraceTable>();

/** A packaged day's table, fetched and decoded once. */
async function dayTable(day: string): Promise<TraceTable> {
  let table = tables.get(day);
  if (table === undefined) {
    const url = DAY_URLS[day];
    if (url === undefined)
      throw new VxError("VX_PLANETLAB_UNKNOWN_DAY", `no day ${day}`, { path: ["day"] });
    const response = await fetch(url);
    if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
    table = planetLabTable(decodePlanetLabDay(new Uint8Array(await response.arrayBuffer()), day));
    tables.set(day, table);
  }
  return table;
}

async function run(task: Task, progress: (f: number) => void): Promise<unknown> {
  switch (task.kind) {
    case "migration":
      return planMigration(task.params, progress);
    case "consolidation":
      return runConsolidation(task.params, await dayTable(task.params.day), progress);
    case "pvm":
      return comparePvm(task.params);
    case "pageflip":
      return comparePageflip(task.params);
    case "scenario": {
      for (const day of daysNamed(task.text)) await dayTable(day);
      return checkAndRun(task.text, {
        run: task.run,
        tables,
        onProgress: progress,
        versions: { "@vx/core": corePkg.version, "@vx/datacenter": datacenterPkg.version },
      });
    }
  }
}

scope.onmessage = async (event: MessageEvent<Request>) => {
  const { id, task } = event.data;
  const post = (reply: Reply): void => scope.postMessage(reply);
  let last = 0;
  const progress = (fraction: number): void => {
    // At most about a hundred messages a run.
    if (fraction - last >= 0.01 || fraction >= 1) {
      last = fraction;
      post({ id, type: "progress", fraction });
    }
  };
  const start = performance.now();
  try {
    const result = await run(task, progress);
    post({ id, type: "done", result, ms: performance.now() - start });
  } catch (error) {
    post({
      id,
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      path: VxError.isInstance(error) ? error.path.join(".") : "",
    });
  }
};
