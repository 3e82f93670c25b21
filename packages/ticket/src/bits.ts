/**
 * Bit packing of 0/1 masks, 8 entries per byte in little bit order: entry i is bit (i % 8) of
 * byte floor(i / 8), the order numpy's `packbits(..., bitorder="little")` uses, so a mask stored
 * by slt unpacks in Python with `np.unpackbits(raw, bitorder="little")[:size]`.
 */
import { InputError } from '@slt/core';

/** A 0/1 mask as any numeric array (a typed array of exact zeros and ones). */
export type MaskValues = ArrayLike<number>;

/** Number of bytes that hold `count` packed bits. */
export function packedLength(count: number): number {
  return Math.ceil(count / 8);
}

/**
 * Packs `mask` (every entry 0 or 1) into bytes. Padding bits of the last byte are zero.
 * Throws a RangeError for an entry that is neither 0 nor 1 (a caller's bug, not user input).
 */
export function packBits(mask: MaskValues): Uint8Array {
  const out = new Uint8Array(packedLength(mask.length));
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v === 1) out[i >>> 3] |= 1 << (i & 7);
    else if (v !== 0) throw new RangeError(`mask entry ${i} is ${v}, expected 0 or 1`);
  }
  return out;
}

/**
 * Unpacks `count` bits from `bytes` into a 0/1 Uint8Array. The byte count must be exactly
 * {@link packedLength}(count) and the padding bits zero: anything else is a corrupt file.
 */
export function unpackBits(bytes: Uint8Array, count: number, what = 'mask'): Uint8Array {
  if (bytes.length !== packedLength(count)) {
    throw new InputError(`${what}: ${bytes.length} bytes cannot hold exactly ${count} bits`);
  }
  const used = count & 7;
  if (used !== 0 && bytes[bytes.length - 1] >>> used !== 0) {
    throw new InputError(`${what}: padding bits after entry ${count} are not zero`);
  }
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >>> 3] >>> (i & 7)) & 1;
  return out;
}

/** Number of ones in a 0/1 mask. */
export function countOnes(mask: MaskValues): number {
  let ones = 0;
  for (let i = 0; i < mask.length; i++) ones += mask[i] === 1 ? 1 : 0;
  return ones;
}
