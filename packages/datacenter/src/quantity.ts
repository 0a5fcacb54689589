/**
 * How a spec writes quantities.
 *
 * @module
 */

/**
 * A quantity as written in a spec: a number in base units (bytes, seconds, bytes per second), or a
 * string with a unit (`"4GiB"`, `"300s"`, `"1Gbps"`), read by `@vx/core`'s units.
 */
export type QuantityInput = number | string;
