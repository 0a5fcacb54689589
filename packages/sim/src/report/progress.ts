/**
 * A progress bar for long runs on a terminal, and the rule that decides whether to show one.
 *
 * @module
 */

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Width of the bar in characters, between the brackets; default 30. */
  readonly width?: number;
  /** Text before the bar; default none. */
  readonly label?: string;
  /** Use `#` and `.` instead of block characters (for terminals without Unicode); default false. */
  readonly ascii?: boolean;
}

/**
 * Draws one line of a progress bar: `label [██████░░░░░░]  42%`.
 *
 * Use it on a terminal only (see {@link shouldShowProgress}): write `"\r" + progressBar(f)` to
 * redraw in place, and a newline when done. The fraction is clamped to 0..1 (NaN counts as 0).
 *
 * @param fraction - how much is done, 0..1.
 * @param options - width, label, ASCII mode.
 * @returns the line, without a carriage return or newline.
 * @example
 * ```ts
 * progressBar(0.42, { width: 10, label: "simulating" }); // "simulating [████░░░░░░]  42%"
 * ```
 */
export function progressBar(fraction: number, options: ProgressBarOptions = {}): string {
  const width = Math.max(1, Math.floor(options.width ?? 30));
  const f = Number.isNaN(fraction) ? 0 : Math.min(1, Math.max(0, fraction));
  const filled = Math.floor(f * width + 1e-9);
  const [full, empty] = options.ascii === true ? ["#", "."] : ["█", "░"];
  const percent = `${Math.floor(f * 100 + 1e-9)}%`.padStart(4);
  const bar = `[${full.repeat(filled)}${empty.repeat(width - filled)}] ${percent}`;
  return options.label === undefined ? bar : `${options.label} ${bar}`;
}

/**
 * Whether to draw a progress bar: only on an interactive terminal, never under CI (`CI` set to
 * anything but `""`, `0` or `false`, as GitHub Actions, GitLab CI and most others do) nor on a
 * terminal that cannot redraw (`TERM=dumb`).
 *
 * @param isTTY - whether the output stream is a terminal (`process.stderr.isTTY`).
 * @param env - the environment (`process.env`).
 * @returns true when a progress bar should be shown.
 * @example
 * ```ts
 * const show = shouldShowProgress(process.stderr.isTTY, process.env);
 * ```
 */
export function shouldShowProgress(
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (isTTY !== true) return false;
  const ci = env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") return false;
  return env.TERM !== "dumb";
}
