/**
 * The packages that claim to run in a browser (docs/architecture.md: all but `@vx/sim`, whose
 * browser-safe part is the `@vx/sim/browser` entry): their main entries may import no Node
 * built-in. File-system readers live behind `./node` entries.
 */
export const BROWSER_SAFE_PACKAGES: readonly string[] = [
  "@vx/core",
  "@vx/migration",
  "@vx/numa",
  "@vx/pvm",
  "@vx/netio-pageflip",
  "@vx/datacenter",
  "@vx/traces-planetlab",
  "@vx/disagg",
  "@vx/sim/browser",
];
