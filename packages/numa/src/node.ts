/**
 * `@vx/numa/node`: the file-system importers of `@vx/numa` (a copy of Linux's sysfs node folders,
 * a file holding `numactl --hardware`), for Node.js. The main entry stays browser-safe: in a
 * browser, call `parseNumactlHardware` on the text.
 *
 * @packageDocumentation
 */

export { readNumactlFile } from "./numactl-file.js";
export { LINUX_NODE_SYSFS, readSysfsTopology } from "./sysfs.js";
