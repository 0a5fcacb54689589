/**
 * Where the packaged PlanetLab days are once built: Vite copies each file of
 * `@vx/traces-planetlab/data` into the site (fetched on demand, not part of the first load).
 */
import d20110303 from "@vx/traces-planetlab/data/20110303.bin?url";
import d20110306 from "@vx/traces-planetlab/data/20110306.bin?url";
import d20110309 from "@vx/traces-planetlab/data/20110309.bin?url";
import d20110322 from "@vx/traces-planetlab/data/20110322.bin?url";
import d20110325 from "@vx/traces-planetlab/data/20110325.bin?url";
import d20110403 from "@vx/traces-planetlab/data/20110403.bin?url";
import d20110409 from "@vx/traces-planetlab/data/20110409.bin?url";
import d20110411 from "@vx/traces-planetlab/data/20110411.bin?url";
import d20110412 from "@vx/traces-planetlab/data/20110412.bin?url";
import d20110420 from "@vx/traces-planetlab/data/20110420.bin?url";

/** The URL of each day's file, by day. */
export const DAY_URLS: Readonly<Record<string, string>> = {
  "20110303": d20110303,
  "20110306": d20110306,
  "20110309": d20110309,
  "20110322": d20110322,
  "20110325": d20110325,
  "20110403": d20110403,
  "20110409": d20110409,
  "20110411": d20110411,
  "20110412": d20110412,
  "20110420": d20110420,
};
