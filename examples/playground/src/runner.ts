/**
 * Runs tasks in the worker, one at a time, with a progress bar and a cancel button. Cancelling
 * terminates the worker (the models are synchronous) and starts a fresh one for the next run.
 */
import type { Reply, Task } from "./tasks.js";

/** How a run ended. */
export type Outcome =
  | { readonly type: "done"; readonly result: unknown; readonly ms: number }
  | { readonly type: "error"; readonly message: string; readonly path: string }
  | { readonly type: "cancelled" };

/** The worker, its progress bar and its cancel button. */
export class Runner {
  private worker: Worker | undefined;
  private nextId = 1;
  private pending: { id: number; resolve: (o: Outcome) => void } | undefined;
  private readonly bar: HTMLProgressElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(bar: HTMLProgressElement, cancelButton: HTMLButtonElement, status: HTMLElement) {
    this.bar = bar;
    this.cancelButton = cancelButton;
    this.status = status;
    cancelButton.addEventListener("click", () => this.cancel());
  }

  /** Whether a run is in progress. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Runs a task (cancelling the one in progress, if any).
   *
   * @param task - the job.
   * @param label - what the status line says meanwhile.
   * @returns how it ended.
   */
  run(task: Task, label: string): Promise<Outcome> {
    this.cancel();
    const id = this.nextId++;
    const worker = this.ensureWorker();
    this.bar.value = 0;
    this.bar.hidden = false;
    this.cancelButton.hidden = false;
    this.status.textContent = `${label}…`;
    document.body.dataset.busy = "true";
    return new Promise<Outcome>((resolve) => {
      this.pending = { id, resolve };
      worker.postMessage({ id, task });
    });
  }

  /** Stops the run in progress. */
  cancel(): void {
    if (this.pending === undefined) return;
    this.worker?.terminate();
    this.worker = undefined;
    this.finish({ type: "cancelled" });
    this.status.textContent = "Cancelled.";
  }

  private ensureWorker(): Worker {
    if (this.worker === undefined) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.finish({ type: "error", message: event.message || "the worker failed", path: "" });
      };
      this.worker = worker;
    }
    return this.worker;
  }

  private receive(reply: Reply): void {
    if (this.pending === undefined || reply.id !== this.pending.id) return;
    if (reply.type === "progress") {
      this.bar.value = reply.fraction;
      return;
    }
    this.finish(reply);
  }

  private finish(outcome: Outcome): void {
    const pending = this.pending;
    this.pending = undefined;
    this.bar.hidden = true;
    this.cancelButton.hidden = true;
    delete document.body.dataset.busy;
    if (outcome.type === "done")
      this.status.textContent = `Done in ${(outcome.ms / 1000).toFixed(2)} s.`;
    if (outcome.type === "error") this.status.textContent = "Failed.";
    pending?.resolve(outcome);
  }
}
