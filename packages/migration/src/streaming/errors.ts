/**
 * Error codes of VM streaming.
 *
 * @module
 */

/** Code of every invalid streaming or appliance option (one issue per bad field, with its path). */
export const BAD_STREAM_OPTIONS = "VX_MIGRATION_BAD_STREAM_OPTIONS";

/** Code of every malformed access trace (the message names the file and line). */
export const BAD_ACCESS_TRACE = "VX_MIGRATION_BAD_ACCESS_TRACE";
