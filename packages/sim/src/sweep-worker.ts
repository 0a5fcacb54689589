/**
 * The worker thread of `vx sweep`: for each task, validates the point's scenario, runs the
 * data-center model and writes `{ format, key, point, result }` atomically to the task's file.
 * Answers with the seconds the point took (kept out of the file, which stays byte-identical on
 * any machine).
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { VxError } from "@vx/core";
import { writeFileAtomic } from "./report/write.js";
import { runScenario } from "./scenario/run.js";
import { pointScenario } from "./sweep/base.js";
import { SWEEP_FORMAT } from "./sweep/identity.js";
import { pointFileText } from "./sweep/points.js";
import type { SweepTask } from "./sweep/run.js";

parentPort?.on("message", (task: SweepTask) => {
  void (async () => {
    try {
      const started = performance.now();
      const { result } = runScenario(pointScenario(task.base, task.point));
      const seconds = (performance.now() - started) / 1000;
      await writeFileAtomic(
        task.outFile,
        pointFileText({ format: SWEEP_FORMAT, key: task.key, point: task.point, result }),
      );
      parentPort?.postMessage({ id: task.id, ok: true, value: { seconds } });
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
