import packageJson from "../package.json" with { type: "json" };

/** The version of `@vx/idle`, for the provenance of results. */
export const IDLE_VERSION: string = packageJson.version;
