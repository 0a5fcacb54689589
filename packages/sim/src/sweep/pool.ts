/**
 * A small pool of worker threads: tasks go to idle workers one at a time; results come back in
 * completion order through a callback. Used by `vx sweep` to run grid points on every core.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** A message a worker sends back for one task. */
export type WorkerReply<R> =
  | { readonly id: string; readonly ok: true; readonly value: R }
  | {
      readonly id: string;
      readonly ok: false;
      readonly error: { readonly message: string; readonly code?: string; readonly stack?: string };
    };

/** Options of {@link runPool}. */
export interface PoolOptions<R> {
  /** The worker module (it must answer each `{ id, ... }` message with a {@link WorkerReply}). */
  readonly workerUrl: URL;
  /** Threads; default: all cores (`os.availableParallelism()`), never more than the tasks. */
  readonly concurrency?: number | undefined;
  /** Called on the main thread as each task ends. */
  readonly onReply: (reply: WorkerReply<R>) => void;
}

/**
 * Runs every task on a pool of worker threads and resolves when all have answered.
 *
 * @param tasks - messages posted to workers; each needs a unique `id`.
 * @param options - worker module, concurrency, result callback.
 * @returns when every task has a reply (a worker that dies fails its task, the others go on).
 */
export async function runPool<T extends { readonly id: string }, R>(
  tasks: readonly T[],
  options: PoolOptions<R>,
): Promise<void> {
  if (tasks.length === 0) return;
  const threads = Math.max(
    1,
    Math.min(options.concurrency ?? availableParallelism(), tasks.length),
  );
  const spawn = workerFactory(options.workerUrl);
  let next = 0;
  await new Promise<void>((resolve) => {
    let running = threads;
    const start = (): void => {
      const worker = spawn();
      let current: T | undefined;
      const feed = (): void => {
        current = tasks[next++];
        if (current === undefined) {
          void worker.terminate();
          if (--running === 0) resolve();
          return;
        }
        worker.postMessage(current);
      };
      worker.on("message", (reply: WorkerReply<R>) => {
        options.onReply(reply);
        feed();
      });
      worker.on("error", (error: Error) => {
        if (current !== undefined) {
          options.onReply({
            id: current.id,
            ok: false,
            error: { message: error.message, ...(error.stack ? { stack: error.stack } : {}) },
          });
          current = undefined;
        }
        // Replace the dead worker so the remaining tasks still run.
        if (next < tasks.length) start();
        else if (--running === 0) resolve();
      });
      feed();
    };
    for (let i = 0; i < threads; i++) start();
  });
}

/**
 * How to start a worker: a built `.js` module directly; a `.ts` source (tests, `tsx`) through a
 * small bootstrap that registers tsx's loader first (Node 20 workers do not inherit `--import`),
 * with the workspace's `@vx/source` condition so workspace packages resolve to their sources.
 */
function workerFactory(url: URL): () => Worker {
  if (!url.pathname.endsWith(".ts")) return () => new Worker(url);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = [
    'const { workerData } = require("node:worker_threads");',
    "import(workerData.tsxApi).then((api) => { api.register(); return import(workerData.url); });",
  ].join("\n");
  return () =>
    new Worker(bootstrap, {
      eval: true,
      execArgv: ["--conditions=@vx/source"],
      workerData: { tsxApi, url: url.href },
    });
}
