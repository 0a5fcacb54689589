/**
 * Decoding a day file: bytes in, names and integer percentages out, in any JavaScript runtime.
 *
 * @module
 */

import { VxError } from "@vx/core";
import { crc32 } from "./internal/crc32.js";
import {
  CONTEXT_AFTER,
  CONTEXTS,
  CRC_OFFSET,
  FORMAT_VERSION,
  HEADER_BYTES,
  MAGIC,
  MAX_CODE_BITS,
  MAX_DAY_LENGTH,
  SYMBOLS,
} from "./internal/format.js";
import { type DecodeTable, decodeTable, LOOKUP_BITS } from "./internal/huffman.js";

/**
 * One day of PlanetLab traces: the VMs' names and their CPU utilisation, one integer percentage
 * per VM and sample.
 */
export interface PlanetLabDayData {
  /** The day name, e.g. `"20110303"`. */
  readonly day: string;
  /**
   * The VMs' trace file names (`<node>_<slice>`), sorted by UTF-16 code units (JavaScript's
   * default sort): VM `i` is `names[i]`, the numbering of every vx PlanetLab reader.
   */
  readonly names: readonly string[];
  /** Seconds between two samples: 300 for every PlanetLab day (CoMon sampled every 5 minutes). */
  readonly intervalSeconds: number;
  /** Samples per VM: 288 for every PlanetLab day (24 h of 5-minute samples). */
  readonly samplesPerVm: number;
  /**
   * CPU utilisation in percent of the VM's requested capacity, integers 0..100, VM-major: sample
   * `k` of VM `i` is `percent[i * samplesPerVm + k]`.
   */
  readonly percent: Uint8Array;
}

/**
 * Decodes a day file of this package (`data/<day>.bin`, or one written by
 * {@link encodePlanetLabDay}) into names and percentages. Synchronous and free of I/O: fetch or
 * read the bytes however the runtime allows (see {@link planetLabDayUrl}), then decode.
 *
 * Every byte is checked: the magic, the format version, a CRC-32 over the whole file, the day
 * name, the names' order, the code lengths and the exact end of the bit stream. Decoding is exact:
 * the values are the integers of CloudSim's text files (the package's tests compare all ten days
 * with digests of those files).
 *
 * @param bytes - the file's content.
 * @param day - the day the caller expects (the file says which day it holds; they must agree).
 * @returns the day's names and percentages.
 * @throws {@link @vx/core!VxError} `VX_PLANETLAB_BAD_ARGUMENT` when `bytes` is not a `Uint8Array`
 * or `day` not a string; `VX_PLANETLAB_CORRUPT` (path `["bytes"]`) when the bytes are not an intact
 * day file (truncated, wrong checksum, unknown version, malformed code); `VX_PLANETLAB_WRONG_DAY`
 * (path `["day"]`) when the file holds another day.
 * @example
 * ```ts
 * import { decodePlanetLabDay, planetLabDayUrl } from "@vx/traces-planetlab";
 *
 * const bytes = new Uint8Array(await (await fetch(planetLabDayUrl("20110303"))).arrayBuffer());
 * const day = decodePlanetLabDay(bytes, "20110303");
 * day.names.length; // 1052
 * day.percent[0 * day.samplesPerVm + 0]; // VM 0's first sample, in percent
 * ```
 */
export function decodePlanetLabDay(bytes: Uint8Array, day: string): PlanetLabDayData {
  if (!(bytes instanceof Uint8Array)) {
    throw new VxError(
      "VX_PLANETLAB_BAD_ARGUMENT",
      `expected the day file's bytes as a Uint8Array; got ${describe(bytes)}.`,
      { path: ["bytes"] },
    );
  }
  if (typeof day !== "string") {
    throw new VxError(
      "VX_PLANETLAB_BAD_ARGUMENT",
      `expected the day name as a string such as "20110303"; got ${describe(day)}.`,
      { path: ["day"] },
    );
  }
  return new DayReader(bytes).read(day);
}

/** Reads one file front to back; each method reads one part of the layout. */
class DayReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(expectedDay: string): PlanetLabDayData {
    const header = this.header();
    const day = this.ascii(header.dayLength, "the day name");
    if (day !== expectedDay) {
      throw new VxError(
        "VX_PLANETLAB_WRONG_DAY",
        `the file holds day ${JSON.stringify(day)}, not ${JSON.stringify(expectedDay)}; pass the bytes of ${JSON.stringify(expectedDay)}.bin.`,
        { path: ["day"] },
      );
    }
    const names = this.names(header.vmCount);
    const tables = this.codeTables();
    const percent = this.samples(tables, header.vmCount, header.samplesPerVm);
    return {
      day,
      names,
      intervalSeconds: header.intervalSeconds,
      samplesPerVm: header.samplesPerVm,
      percent,
    };
  }

  /** Checks magic, version, sizes and checksum; leaves `pos` at the body. */
  private header(): {
    dayLength: number;
    samplesPerVm: number;
    intervalSeconds: number;
    vmCount: number;
  } {
    const { bytes, view } = this;
    if (bytes.length < HEADER_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) {
      throw corrupt(
        bytes.length < HEADER_BYTES
          ? `it has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header`
          : 'it does not start with "VXPL"',
      );
    }
    const version = view.getUint8(4);
    if (version !== FORMAT_VERSION) {
      throw corrupt(
        `it is format version ${version}; this decoder reads version ${FORMAT_VERSION} (update @vx/traces-planetlab)`,
      );
    }
    const dayLength = view.getUint8(5);
    const samplesPerVm = view.getUint16(6, true);
    const intervalSeconds = view.getUint32(8, true);
    const vmCount = view.getUint32(12, true);
    const bodyLength = view.getUint32(16, true);
    if (bodyLength !== bytes.length - HEADER_BYTES) {
      throw corrupt(
        `its header announces ${bodyLength} bytes after the header but ${bytes.length - HEADER_BYTES} follow (truncated or padded)`,
      );
    }
    const stored = view.getUint32(CRC_OFFSET, true);
    const actual = crc32(crc32(0, bytes, 0, CRC_OFFSET), bytes, HEADER_BYTES, bytes.length);
    if (stored !== actual) {
      throw corrupt(
        `its CRC-32 is ${hex(actual)} but the header says ${hex(stored)} (damaged in transit or on disk)`,
      );
    }
    if (dayLength < 1 || dayLength > MAX_DAY_LENGTH || samplesPerVm < 1 || intervalSeconds < 1) {
      throw corrupt("its header has a zero or out-of-range field");
    }
    if (vmCount < 1) throw corrupt("it holds no VM");
    // Every sample takes at least one bit: a header announcing more is damaged (and would make
    // the decoder allocate for nothing).
    if (vmCount * samplesPerVm > bodyLength * 8) {
      throw corrupt("its header announces more samples than its body can hold");
    }
    this.pos = HEADER_BYTES;
    return { dayLength, samplesPerVm, intervalSeconds, vmCount };
  }

  private need(count: number, what: string): void {
    if (this.pos + count > this.bytes.length) throw corrupt(`it ends inside ${what}`);
  }

  private ascii(length: number, what: string): string {
    this.need(length, what);
    let text = "";
    for (let i = 0; i < length; i++) {
      const c = this.bytes[this.pos + i] as number;
      if (c < 0x20 || c > 0x7e) throw corrupt(`${what} holds a byte that is not printable ASCII`);
      text += String.fromCharCode(c);
    }
    this.pos += length;
    return text;
  }

  /** Front-coded names: each shares a prefix with the previous one and adds a suffix. */
  private names(vmCount: number): string[] {
    const names: string[] = [];
    let previous = "";
    for (let i = 0; i < vmCount; i++) {
      this.need(2, `the name of VM ${i}`);
      const shared = this.bytes[this.pos] as number;
      const rest = this.bytes[this.pos + 1] as number;
      this.pos += 2;
      if (shared > previous.length) {
        throw corrupt(`the name of VM ${i} shares more characters than the previous name has`);
      }
      const name = previous.slice(0, shared) + this.ascii(rest, `the name of VM ${i}`);
      if (name.length === 0 || (i > 0 && !(previous < name))) {
        throw corrupt(`the name of VM ${i} is empty or not after the previous one in sort order`);
      }
      names.push(name);
      previous = name;
    }
    return names;
  }

  /** One canonical code per context, from its code lengths. */
  private codeTables(): DecodeTable[] {
    const tables: DecodeTable[] = [];
    for (let c = 0; c < CONTEXTS; c++) {
      this.need(SYMBOLS, "the code lengths");
      const table = decodeTable(this.bytes.subarray(this.pos, this.pos + SYMBOLS), MAX_CODE_BITS);
      if (typeof table === "string") throw corrupt(`in context ${c}, ${table}`);
      tables.push(table);
      this.pos += SYMBOLS;
    }
    return tables;
  }

  /**
   * Decodes every sample with its context's code: the next {@link LOOKUP_BITS} bits index a table
   * that gives most codes at once; a longer code is read bit by bit (at each length, the codes of
   * that length form the range [first, first + count); a code inside it is a symbol, else the next
   * bit extends it: canonical decoding as in zlib's `puff.c`).
   */
  private samples(tables: readonly DecodeTable[], vmCount: number, perVm: number): Uint8Array {
    const { bytes } = this;
    const total = vmCount * perVm;
    const out = new Uint8Array(total);
    const endBit = bytes.length * 8;
    const lastWhole = bytes.length - 3; // a 24-bit window can start at or before this byte
    const peekShift = 24 - LOOKUP_BITS;
    const peekMask = (1 << LOOKUP_BITS) - 1;
    let bit = this.pos * 8;
    for (let k = 0; k < total; k++) {
      const ctx = k % perVm === 0 ? 0 : (CONTEXT_AFTER[out[k - 1] as number] as number);
      const table = tables[ctx] as DecodeTable;
      const at = bit >>> 3;
      if (at <= lastWhole) {
        const window =
          ((bytes[at] as number) << 16) |
          ((bytes[at + 1] as number) << 8) |
          (bytes[at + 2] as number);
        const entry = table.lookup[(window >>> (peekShift - (bit & 7))) & peekMask] as number;
        if (entry !== 0) {
          out[k] = entry >>> 5;
          bit += entry & 31;
          continue;
        }
      }
      const { count, symbols, maxBits } = table;
      let code = 0;
      let first = 0;
      let index = 0;
      for (let len = 1; ; len++) {
        if (len > maxBits) throw corrupt(`sample ${k} is not a code of context ${ctx}`);
        if (bit >= endBit) throw corrupt(`it ends after ${k} of ${total} samples`);
        code |= ((bytes[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1;
        bit++;
        const n = count[len] as number;
        if (code - first < n) {
          out[k] = symbols[index + code - first] as number;
          break;
        }
        index += n;
        first = (first + n) << 1;
        code <<= 1;
      }
    }
    // Only zero padding may follow the last code, and less than a byte of it.
    const endByte = (bit + 7) >>> 3;
    if (endByte !== bytes.length) {
      throw corrupt(`${bytes.length - endByte} bytes follow the last sample`);
    }
    if (bit & 7 && ((bytes[endByte - 1] as number) & (0xff >>> (bit & 7))) !== 0) {
      throw corrupt("the padding after the last sample is not zero");
    }
    return out;
  }
}

function corrupt(why: string): VxError {
  return new VxError(
    "VX_PLANETLAB_CORRUPT",
    `these bytes are not an intact PlanetLab day file: ${why}. Re-install @vx/traces-planetlab or fetch the file again.`,
    { path: ["bytes"] },
  );
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return typeof value;
}
