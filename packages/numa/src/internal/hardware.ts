/**
 * Hardware figures shared by the defaults and the presets, with their sources.
 *
 * @module
 */

/** One DDR4-2666 channel: 2666.67 MT/s × 8 bytes = 21.33 GB/s peak (JEDEC JESD79-4). */
export const DDR4_2666_CHANNEL_BYTES_PER_SECOND: number = (8000e6 / 3) * 8;

/**
 * Share of peak DRAM bandwidth a streaming load sustains: 0.8 (STREAM Triad on Xeon and EPYC
 * servers reaches 75–85 % of the channels' peak; J. McCalpin, STREAM results,
 * https://www.cs.virginia.edu/stream/).
 */
export const STREAM_EFFICIENCY = 0.8;

/** One Intel UPI link at 10.4 GT/s: 2 bytes per transfer each way, 20.8 GB/s each direction. */
export const UPI_LINK_BYTES_PER_SECOND: number = 10.4e9 * 2;

/**
 * AMD Infinity Fabric on-package link between two Zeppelin dies (IFOP): 42.6 GB/s
 * bidirectional, 21.3 GB/s each way (K. Lepak et al., "The next generation AMD enterprise server
 * product architecture", Hot Chips 29, 2017).
 */
export const IFOP_LINK_BYTES_PER_SECOND: number = 42.6e9 / 2;

/** AMD Infinity Fabric inter-socket link (IFIS): 37.9 GB/s bidirectional, 18.95 GB/s each way (same source). */
export const IFIS_LINK_BYTES_PER_SECOND: number = 37.9e9 / 2;
