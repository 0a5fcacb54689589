/**
 * `@vx/migration/node`: the file-system readers of `@vx/migration` (dirty-page trace files), for
 * Node.js. The main entry stays browser-safe: in a browser, fetch the text and call
 * `parseDirtyTrace`.
 *
 * @packageDocumentation
 */

export { readDirtyTrace } from "./trace-file.js";
