import { createRandom } from "@vx/core";
import { levelSource } from "../src/internal/demand.js";
function make() {
  const G = 200;
  const root = createRandom(1);
  const sources = Array.from({ length: G }, (_, g) => levelSource({ kind: "constant", level: 0.5 }, root.stream(`g/${g}`)));
  const level = new Float64Array(G);
  const demand = new Float64Array(G);
  const tGuest = Int32Array.from({ length: G }, (_, i) => i);
  const tPeak = new Float64Array(G).fill(83333);
  let j = 0;
  const dt = 0.01;
  const step = (): void => {
    const now = j * dt;
    for (let g = 0; g < G; g++) level[g] = sources[g]!.at(now);
    for (let t = 0; t < G; t++) demand[t] = level[tGuest[t]!]! * tPeak[t]!;
    j++;
  };
  return step;
}
const step = make();
const t0 = performance.now();
for (let i = 0; i < 6000; i++) step();
console.log("6000 steps", performance.now() - t0);
