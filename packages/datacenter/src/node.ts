/**
 * `@vx/datacenter/node`: the file-system readers of `@vx/datacenter` (PlanetLab folders, CSV
 * files) and the trace loader built on them, for Node.js. The main entry stays browser-safe.
 *
 * @packageDocumentation
 */

export { MAX_CSV_BYTES, readCsvTraces } from "./node/csv-file.js";
export { type NodeTraceLoaderOptions, nodeTraceLoader } from "./node/loader.js";
export {
  listPlanetLabFiles,
  type PlanetLabFolderOptions,
  readPlanetLabTraces,
} from "./node/planetlab-folder.js";
