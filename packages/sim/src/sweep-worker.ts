/**
 * The worker thread of `vx sweep`: for each task, validates the point's scenario, runs the
 * data-center model and writes `{ point, result }` atomically to the task's file.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { VxError } from "@vx/core";
import { writeFileAtomic } from "./report/write.js";
import { runScenario } from "./scenario/run.js";
import { pointScenario, type SweepTask } from "./sweep/run.js";

parentPort?.on("message", (task: SweepTask) => {
  void (async () => {
    try {
      const { result } = runScenario(pointScenario(task.scenarioFile, task.point));
      await writeFileAtomic(
        task.outFile,
        `${JSON.stringify({ point: task.point, result }, null, 2)}\n`,
      );
      parentPort?.postMessage({ id: task.id, ok: true, value: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({
        id: task.id,
        ok: false,
        error: {
          message,
          ...(VxError.isInstance(error) ? { code: error.code } : {}),
          ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
        },
      });
    }
  })();
});
