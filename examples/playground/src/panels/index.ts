/** The panels, in the order of the tabs. */
import { consolidation } from "./consolidation.js";
import { migration } from "./migration.js";
import { pageflip } from "./pageflip.js";
import type { Panel } from "./panel.js";
import { pvm } from "./pvm.js";
import { scenario } from "./scenario.js";

export type { Panel } from "./panel.js";
export { showIssues } from "./scenario.js";

/** The panels, in the order of the tabs. */
export const PANELS: readonly Panel[] = [migration, consolidation, pvm, pageflip, scenario];
