import packageJson from "../package.json" with { type: "json" };

/** The version of `@vx/datacenter`, for the provenance of results. */
export const DATACENTER_VERSION: string = packageJson.version;
