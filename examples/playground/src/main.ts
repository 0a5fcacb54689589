/**
 * The playground page: tabs for the panels, the fields of the panel shown (kept in the URL), a
 * Run button, and the worker's progress bar and cancel button.
 */
import { DEFAULT_SCENARIO_YAML } from "@vx/sim/browser";
import type { EditorOutcome } from "./compute/scenario.js";
import { PANELS, type Panel, showIssues } from "./panels/index.js";
import { Runner } from "./runner.js";
import { readState, writeState } from "./state.js";
import "./style.css";

const $ = <T extends HTMLElement>(selector: string): T => {
  const node = document.querySelector<T>(selector);
  if (node === null) throw new Error(`the page has no ${selector}`);
  return node;
};

const tabs = $<HTMLElement>("#tabs");
const intro = $<HTMLElement>("#intro");
const form = $<HTMLFormElement>("#fields");
const out = $<HTMLElement>("#out");
const runner = new Runner($("#progress"), $("#cancel"), $("#status"));

const defaultsOf = (panel: Panel): Readonly<Record<string, string>> =>
  panel.id === "scenario" ? { yaml: DEFAULT_SCENARIO_YAML } : panel.defaults;

let current: Panel = PANELS[0] as Panel;
let fields: Record<string, string> = {};

function showPanel(panel: Panel, given: Readonly<Record<string, string>>): void {
  current = panel;
  const defaults = defaultsOf(panel);
  fields = { ...defaults };
  for (const k of Object.keys(defaults)) if (given[k] !== undefined) fields[k] = given[k] as string;
  for (const b of tabs.querySelectorAll("button")) {
    b.setAttribute("aria-selected", String(b.dataset.panel === panel.id));
  }
  intro.textContent = panel.intro;
  form.replaceChildren();
  for (const f of panel.fields) {
    const label = document.createElement("label");
    label.textContent = f.label;
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (f.kind === "select") {
      input = document.createElement("select");
      for (const o of f.options ?? []) input.append(new Option(o.label, o.value));
    } else if (f.kind === "textarea") {
      input = document.createElement("textarea");
      input.spellcheck = false;
      input.rows = 24;
      label.classList.add("wide");
    } else {
      input = document.createElement("input");
    }
    input.name = f.key;
    input.value = fields[f.key] ?? "";
    input.addEventListener("input", () => {
      fields[f.key] = input.value;
      saveState();
      if (panel.liveTask !== undefined) scheduleLive();
    });
    label.append(input);
    form.append(label);
  }
  if (panel.id === "scenario") {
    const load = document.createElement("input");
    load.type = "file";
    load.accept = ".yaml,.yml,.json";
    load.addEventListener("change", async () => {
      const file = load.files?.[0];
      if (file === undefined) return;
      const area = form.querySelector("textarea");
      if (area === null) return;
      area.value = await file.text();
      area.dispatchEvent(new Event("input"));
    });
    const label = document.createElement("label");
    label.textContent = "load a file";
    label.append(load);
    form.append(label);
  }
  out.replaceChildren();
  delete out.dataset.figures;
  out.dataset.panel = panel.id;
  saveState();
}

function saveState(): void {
  const hash = writeState(current.id, fields, defaultsOf(current));
  if (hash !== location.hash) history.replaceState(null, "", hash);
}

let liveTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleLive(): void {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(async () => {
    const task = current.liveTask?.(fields);
    if (task === undefined) return;
    const outcome = await runner.run(task, "Checking");
    if (outcome.type !== "done") return;
    out.replaceChildren();
    showIssues(out, outcome.result as EditorOutcome);
  }, 400);
}

async function run(): Promise<void> {
  const panel = current;
  const outcome = await runner.run(panel.task(fields), `Running ${panel.title}`);
  if (panel !== current || outcome.type === "cancelled") return;
  out.replaceChildren();
  if (outcome.type === "error") {
    const p = document.createElement("p");
    p.className = "bad";
    p.dataset.error = outcome.path;
    p.textContent = `${outcome.path === "" ? "" : `${outcome.path}: `}${outcome.message}`;
    out.append(p);
    return;
  }
  panel.show(out, outcome.result, fields);
  out.dataset.figures = JSON.stringify(outcome.result);
  out.dataset.ms = String(Math.round(outcome.ms));
}

for (const panel of PANELS) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = panel.title;
  b.dataset.panel = panel.id;
  b.setAttribute("role", "tab");
  b.addEventListener("click", () => {
    if (panel !== current) showPanel(panel, {});
  });
  tabs.append(b);
}
$("#run").addEventListener("click", () => void run());

const start = readState(location.hash);
const startPanel = PANELS.find((p) => p.id === start.panel);
showPanel(startPanel ?? (PANELS[0] as Panel), start.fields);
// A shared link (one that names its panel) shows its result at once.
if (startPanel !== undefined) void run();

// Offline once loaded: the service worker caches the site (production builds only).
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  void navigator.serviceWorker.register("./sw.js");
}
