/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF):
 * the checksum of gzip, zip and PNG. Check value: `crc32` of the ASCII bytes "123456789" is
 * 0xCBF43926 (ISO 3309 / ITU-T V.42; RFC 1952 §8 gives the table-driven algorithm used here).
 *
 * @module
 */

/** The 256-entry table of the byte-at-a-time algorithm (RFC 1952 §8). */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * Continues a CRC-32 over `bytes[start..end)`.
 *
 * @param crc - the running value: 0 for a fresh checksum, or a previous result to continue it.
 * @param bytes - the data.
 * @param start - first index (inclusive).
 * @param end - last index (exclusive).
 * @returns the CRC-32 of everything fed so far, as an unsigned 32-bit integer.
 */
export function crc32(crc: number, bytes: Uint8Array, start: number, end: number): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) {
    c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return ~c >>> 0;
}
