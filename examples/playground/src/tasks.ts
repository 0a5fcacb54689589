/** The messages between the page and its worker. */
import type { ConsolidationParams, ConsolidationRun } from "./compute/consolidation.js";
import type { MigrationParams, MigrationPlan } from "./compute/migration.js";
import type { PageflipParams, PageflipRow } from "./compute/pageflip.js";
import type { comparePvm, PvmParams } from "./compute/pvm.js";
import type { EditorOutcome } from "./compute/scenario.js";

/** A job for the worker. */
export type Task =
  | { readonly kind: "migration"; readonly params: MigrationParams }
  | { readonly kind: "consolidation"; readonly params: ConsolidationParams }
  | { readonly kind: "pvm"; readonly params: PvmParams }
  | { readonly kind: "pageflip"; readonly params: PageflipParams }
  | { readonly kind: "scenario"; readonly text: string; readonly run: boolean };

/** What each job returns. */
export interface TaskResults {
  readonly migration: MigrationPlan;
  readonly consolidation: ConsolidationRun;
  readonly pvm: ReturnType<typeof comparePvm>;
  readonly pageflip: PageflipRow[];
  readonly scenario: EditorOutcome;
}

/** Page → worker. */
export interface Request {
  readonly id: number;
  readonly task: Task;
}

/** Worker → page. */
export type Reply =
  | { readonly id: number; readonly type: "progress"; readonly fraction: number }
  | {
      readonly id: number;
      readonly type: "done";
      readonly result: unknown;
      /** Wall-clock milliseconds in the worker (fetching and decoding traces included). */
      readonly ms: number;
    }
  | {
      readonly id: number;
      readonly type: "error";
      readonly message: string;
      readonly path: string;
    };
