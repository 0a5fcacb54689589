/**
 * The layout of a `.bin` day file (format version 1). All integers are little-endian.
 *
 * ```
 * offset  size  field
 *  0      4     magic "VXPL"
 *  4      1     format version (1)
 *  5      1     length D of the day name (1..32)
 *  6      2     samples per VM (u16, ≥ 1)
 *  8      4     seconds between samples (u32, ≥ 1)
 * 12      4     VM count N (u32, ≥ 1)
 * 16      4     body length in bytes (u32): everything after the header
 * 20      4     CRC-32 of every byte of the file except these four
 * 24      body:
 *         D     the day name, ASCII
 *         names N × (u8 characters shared with the previous name, u8 length L of the rest,
 *               L ASCII characters); names strictly increasing by UTF-16 code unit order
 *         27 × 101  code lengths: for each of the 27 contexts, the Huffman code length of each
 *               value 0..100 (0: no code; at most 24)
 *         bits  N × samples codes, VM after VM, most significant bit first, zero-padded to a
 *               whole byte; each sample is coded with its context's canonical Huffman code
 *               (RFC 1951 §3.2.2 assignment of codes to lengths)
 * ```
 *
 * The context of a sample is 0 for a VM's first sample, else 1 + ⌊previous sample / 4⌋ (1..26):
 * utilisation changes little from one 5-minute sample to the next, so a code per neighbourhood of
 * the previous value is about 11 % shorter than one code for all samples.
 *
 * @module
 */

/** "VXPL" in ASCII. */
export const MAGIC: readonly number[] = [0x56, 0x58, 0x50, 0x4c];
/** The format version this code writes and reads. */
export const FORMAT_VERSION = 1;
/** Bytes before the body. */
export const HEADER_BYTES = 24;
/** Offset of the CRC-32 field. */
export const CRC_OFFSET = 20;
/** Symbols of the code: the integer percentages 0..100. */
export const SYMBOLS = 101;
/** Number of coding contexts: a VM's first sample, then one per 4 percent of the previous. */
export const CONTEXTS = 27;
/** Width, in percent, of the previous-value buckets that select a context. */
export const CONTEXT_BUCKET = 4;
/** Longest code the encoder writes and the decoder accepts. */
export const MAX_CODE_BITS = 24;
/** Longest day name. */
export const MAX_DAY_LENGTH = 32;
/** Longest VM name (one byte holds its length). */
export const MAX_NAME_LENGTH = 255;
/** Largest sample count (a u16 holds it). */
export const MAX_SAMPLES = 0xffff;
/** Largest sample interval and VM count (a u32 holds them). */
export const MAX_U32 = 0xffffffff;

/** The context of a sample whose predecessor is `v` (0..100): `1 + ⌊v / 4⌋`. */
export const CONTEXT_AFTER: Uint8Array = Uint8Array.from(
  { length: SYMBOLS },
  (_, v) => 1 + Math.floor(v / CONTEXT_BUCKET),
);
