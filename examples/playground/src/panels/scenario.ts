/** The scenario editor panel (`@vx/sim/browser`). */
import type { EditorOutcome } from "../compute/scenario.js";
import { h, type Panel, table } from "./panel.js";

function download(name: string, type: string, text: string): HTMLAnchorElement {
  const a = h("a", { download: name, class: "button", "data-download": name }, `Download ${name}`);
  a.href = URL.createObjectURL(new Blob([text], { type }));
  return a;
}

/** Selects line `line` (1-based) of the editor and scrolls to it. */
function selectLine(line: number): void {
  const area = document.querySelector("textarea");
  if (area === null) return;
  const lines = area.value.split("\n");
  let start = 0;
  for (let k = 0; k < line - 1 && k < lines.length; k++) start += (lines[k] as string).length + 1;
  area.focus();
  area.setSelectionRange(start, start + (lines[line - 1] ?? "").length);
  const lineHeight = area.scrollHeight / Math.max(1, lines.length);
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/** Shows the editor's issues (also used while typing); a click on one selects its line. */
export function showIssues(out: HTMLElement, outcome: EditorOutcome): void {
  if (outcome.issues.length === 0) {
    out.append(h("p", { class: "ok", "data-valid": "true" }, "The scenario is valid."));
    return;
  }
  out.append(
    h(
      "p",
      { class: "bad" },
      `${outcome.issues.length} problem${outcome.issues.length === 1 ? "" : "s"}:`,
    ),
    h(
      "ul",
      { class: "issues" },
      ...outcome.issues.map((i) => {
        const item = h(
          "li",
          { "data-line": String(i.line), "data-column": String(i.column), "data-path": i.path },
          `line ${i.line}, column ${i.column}: ${i.path === "" ? "" : `${i.path}: `}${i.message}`,
        );
        item.title = "Select the line in the editor";
        item.addEventListener("click", () => selectLine(i.line));
        return item;
      }),
    ),
  );
}

export const scenario: Panel = {
  id: "scenario",
  title: "Scenario editor",
  intro:
    "Paste or load a vx scenario (YAML or JSON, as vx run reads it): it is validated as you type, with each problem's line and column (click one to select its line), and runs here as vx run runs it. A PlanetLab workload reads a packaged day, by name (day: 20110303) or as the last part of its folder (planetlab/20110303); there is no file system.",
  fields: [{ key: "yaml", label: "scenario", kind: "textarea" }],
  defaults: { yaml: "" },
  liveTask: (f) => ({ kind: "scenario", text: f.yaml ?? "", run: false }),
  task: (f) => ({ kind: "scenario", text: f.yaml ?? "", run: true }),
  show: (out, result) => {
    const r = result as EditorOutcome;
    showIssues(out, r);
    if (r.run === undefined) return;
    const s = r.run.summary;
    out.append(
      table(
        "summary",
        ["scenario", "energy", "migrations", "SLAV", "hosts on (mean)"],
        [
          [
            r.run.name,
            `${s.energyKWh.toFixed(2)} kWh`,
            String(s.migrations),
            s.slav.toExponential(3),
            s.meanActiveHosts.toFixed(1),
          ],
        ],
      ),
      ...r.run.tables.map((t) => h("pre", {}, t)),
      h(
        "p",
        {},
        download("result.json", "application/json", r.run.json),
        " ",
        download("report.html", "text/html", r.run.html),
      ),
    );
  },
};
