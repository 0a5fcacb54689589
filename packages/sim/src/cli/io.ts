/** Where the CLI writes: injectable so tests run it in-process. */
export interface CliIo {
  /** Standard output (results). */
  readonly out: (text: string) => void;
  /** Standard error (diagnostics: one line for bad input). */
  readonly err: (text: string) => void;
  /** Whether standard error is a terminal (progress bars are drawn only then). Default false. */
  readonly errIsTTY?: boolean;
  /** Environment variables (`CI` turns progress bars off). Default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes of `vx`: 0 success, 1 internal failure, 2 bad input. */
export const ExitCode: { readonly ok: 0; readonly internal: 1; readonly badInput: 2 } = {
  ok: 0,
  internal: 1,
  badInput: 2,
};
