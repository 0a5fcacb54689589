/**
 * What a panel of the page is (its fields, the task it gives the worker, how it shows the
 * result), and the small DOM helpers the panels share. Each result is also kept, raw, in the
 * output's `data-figures` attribute (the end-to-end test compares it with the same run in Node).
 */
import type { Task } from "../tasks.js";

/** One input of a panel. */
export interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: "text" | "select" | "textarea";
  readonly options?: readonly { readonly value: string; readonly label: string }[];
}

/** A panel of the page. */
export interface Panel {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly fields: readonly Field[];
  readonly defaults: Readonly<Record<string, string>>;
  /** Validate (a quick task) while the user types, before they press Run. */
  readonly liveTask?: (fields: Readonly<Record<string, string>>) => Task;
  readonly task: (fields: Readonly<Record<string, string>>) => Task;
  readonly show: (
    out: HTMLElement,
    result: unknown,
    fields: Readonly<Record<string, string>>,
  ) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A table with a header row; `id` names it for the tests. */
export function table(
  id: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): HTMLTableElement {
  return h(
    "table",
    { "data-table": id },
    h("thead", {}, h("tr", {}, ...header.map((c) => h("th", {}, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))),
  );
}

export function charts(...svgs: SVGSVGElement[]): HTMLElement {
  return h("div", { class: "charts" }, ...svgs);
}
