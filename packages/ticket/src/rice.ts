/**
 * Run-length Golomb-Rice coding of a 0/1 mask (Golomb 1966, "Run-length encodings"; Rice 1979):
 * the mask is read as runs of its majority symbol, each ended by one minority symbol, and each run
 * length r is written as q = r >> k in unary (q one-bits, then a zero-bit) followed by the k low
 * bits of r. For an i.i.d. mask with density d the runs are geometric, and the best k gives a code
 * within a few percent of the entropy H(d) per weight; k is chosen per tensor by counting the
 * exact cost of every k, so layers of different density each get their own. The trailing run after
 * the last minority symbol is implied by the mask's size.
 *
 * Why Rice over an arithmetic coder: the code is integers only (no probability model whose
 * rounding the browser and Node must agree on), a decoder of a dozen lines is easy to validate
 * against hostile bytes, and at the sparsities tickets have (0.5 to 0.99) it stays within about
 * 3% of H(d), the bound any coder of an i.i.d. mask must respect.
 *
 * Stream bit order: stream bit j is bit (j % 8) of byte floor(j / 8), remainders low bit first.
 */
import { InputError } from '@slt/core';
import type { MaskValues } from './bits.js';

/** Parameters of a Rice-coded mask, stored beside its bytes in the ticket's metadata. */
export interface RiceParams {
  /** Rice parameter: run lengths are split into a unary quotient and k low bits. */
  readonly k: number;
  /** The minority symbol whose occurrences end runs (0 or 1). */
  readonly symbol: 0 | 1;
  /** How many times `symbol` occurs in the mask. */
  readonly count: number;
}

/** A Rice-coded mask. */
export interface RiceCoded extends RiceParams {
  readonly bytes: Uint8Array;
}

/** Largest Rice parameter tried or accepted. */
export const MAX_RICE_K = 30;

/** Lengths of the runs of `1 - symbol` that end at each occurrence of `symbol`. */
function runLengths(mask: MaskValues, symbol: 0 | 1): number[] {
  const runs: number[] = [];
  let run = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v !== 0 && v !== 1) throw new RangeError(`mask entry ${i} is ${v}, expected 0 or 1`);
    if (v === symbol) {
      runs.push(run);
      run = 0;
    } else run++;
  }
  return runs;
}

/** Bits the runs cost with Rice parameter k. */
function costBits(runs: readonly number[], k: number): number {
  let bits = 0;
  for (const r of runs) bits += Math.floor(r / 2 ** k) + 1 + k;
  return bits;
}

/** Codes `mask` (0/1 entries) with the cheapest Rice parameter. */
export function riceEncode(mask: MaskValues): RiceCoded {
  let ones = 0;
  for (let i = 0; i < mask.length; i++) ones += mask[i] === 1 ? 1 : 0;
  const symbol: 0 | 1 = ones * 2 <= mask.length ? 1 : 0;
  const runs = runLengths(mask, symbol);
  let k = 0;
  let best = costBits(runs, 0);
  for (let candidate = 1; candidate <= MAX_RICE_K; candidate++) {
    const bits = costBits(runs, candidate);
    if (bits < best) {
      best = bits;
      k = candidate;
    }
  }
  const bytes = new Uint8Array(Math.ceil(best / 8));
  let position = 0; // next stream bit
  const divisor = 2 ** k;
  for (const r of runs) {
    const q = Math.floor(r / divisor);
    for (let j = 0; j < q; j++, position++) bytes[position >>> 3] |= 1 << (position & 7);
    position++; // the terminating zero-bit of the unary quotient
    const rest = r - q * divisor;
    for (let b = 0; b < k; b++, position++) {
      if ((Math.floor(rest / 2 ** b) & 1) === 1) bytes[position >>> 3] |= 1 << (position & 7);
    }
  }
  return { k, symbol, count: runs.length, bytes };
}

/**
 * Decodes `size` mask entries from a Rice stream. Every inconsistency (a run past the end, bytes
 * left over, non-zero padding, bad parameters) is an {@link InputError} naming `what`; the work is
 * bounded by the stream's length, so hostile input cannot make it hang.
 */
export function riceDecode(coded: RiceCoded, size: number, what = 'mask'): Uint8Array {
  const { k, symbol, count, bytes } = coded;
  if (!Number.isInteger(k) || k < 0 || k > MAX_RICE_K) throw new InputError(`${what}: bad Rice parameter ${k}`);
  if (symbol !== 0 && symbol !== 1) throw new InputError(`${what}: bad run symbol ${String(symbol)}`);
  if (!Number.isInteger(count) || count < 0 || count > size) {
    throw new InputError(`${what}: symbol count ${count} does not fit ${size} entries`);
  }
  const out = new Uint8Array(size).fill(1 - symbol);
  const totalBits = bytes.length * 8;
  const divisor = 2 ** k;
  let position = 0; // stream bit
  let entry = 0; // mask entry
  const bit = (): number => {
    if (position >= totalBits) throw new InputError(`${what}: Rice stream ends early`);
    const value = (bytes[position >>> 3] >>> (position & 7)) & 1;
    position++;
    return value;
  };
  for (let n = 0; n < count; n++) {
    let q = 0;
    while (bit() === 1) q++;
    let rest = 0;
    for (let b = 0; b < k; b++) rest += bit() * 2 ** b;
    entry += q * divisor + rest;
    if (entry >= size) throw new InputError(`${what}: Rice run goes past entry ${size}`);
    out[entry] = symbol;
    entry++;
  }
  if (bytes.length !== Math.ceil(position / 8)) {
    throw new InputError(`${what}: ${bytes.length} bytes where the Rice stream needs ${Math.ceil(position / 8)}`);
  }
  if ((position & 7) !== 0 && bytes[bytes.length - 1] >>> (position & 7) !== 0) {
    throw new InputError(`${what}: Rice stream padding bits are not zero`);
  }
  return out;
}
