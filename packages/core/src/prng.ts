/**
 * slt's counter-based PRNG: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011). Every value is a pure function of (key, counter), computed with 32-bit
 * integer arithmetic only, so the bits are identical in every JavaScript engine, on every platform
 * and for every TensorFlow.js backend. A stream's key comes from (seed, name): one stream per
 * parameter, so adding a layer never changes another layer's weights.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** A Philox key: two unsigned 32-bit words. */
export type PhiloxKey = readonly [number, number];

/** High 32 bits of the 64-bit product of two uint32 (exact: every partial product is < 2^53). */
function mulHi(a: number, b: number): number {
  const aHi = a >>> 16;
  const aLo = a & 0xffff;
  const bHi = b >>> 16;
  const bLo = b & 0xffff;
  const lowLow = aLo * bLo;
  const cross1 = aHi * bLo;
  const cross2 = aLo * bHi;
  const carry = ((lowLow >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff)) >>> 16;
  return (aHi * bHi + (cross1 >>> 16) + (cross2 >>> 16) + carry) >>> 0;
}

/**
 * Fills `out[offset..offset+4)` with the Philox4x32-10 block for counter (c0, c1, c2, c3).
 * Written without allocation because weight generation calls it millions of times.
 */
export function philoxBlock(
  key: PhiloxKey,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  out: Uint32Array,
  offset = 0,
): void {
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulHi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ k0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ k1) >>> 0;
    x3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[offset] = x0;
  out[offset + 1] = x1;
  out[offset + 2] = x2;
  out[offset + 3] = x3;
}

/** MurmurHash3's 32-bit finaliser: a bijective mix of one word. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`, started from `basis`. */
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The key of the stream called `name` under `seed` (a non-negative integer below 2^32).
 * Different names give unrelated streams; the same (seed, name) always gives the same one.
 */
export function streamKey(seed: number, name: string): PhiloxKey {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return [fmix32(fnv1a(name, 0x811c9dc5) ^ seed), fmix32(fnv1a(name, 0x050c5d1f) + Math.imul(seed, 0x9e3779b9))];
}

const TWO_TO_MINUS_24 = 2 ** -24;

/** A uint32 to a float in the open interval (0, 1): 24 bits, centred in their bucket. */
export function toUnitInterval(bits: number): number {
  return ((bits >>> 8) + 0.5) * TWO_TO_MINUS_24;
}

/**
 * `count` raw uint32 words of the stream `key`, starting at word `start` (a multiple of 4 is not
 * required). `lane` picks an independent sub-stream through the third counter word.
 */
export function randomWords(key: PhiloxKey, count: number, start = 0, lane = 0): Uint32Array {
  const out = new Uint32Array(count);
  const block = new Uint32Array(4);
  let word = start;
  let i = 0;
  while (i < count) {
    const index = Math.floor(word / 4);
    philoxBlock(key, index % 0x100000000, Math.floor(index / 0x100000000), lane, 0, block);
    for (let j = word % 4; j < 4 && i < count; j++, i++, word++) out[i] = block[j];
  }
  return out;
}

/** `count` uniforms in (0, 1) from the stream `key` (entry i depends only on key, lane and i). */
export function uniforms(key: PhiloxKey, count: number, start = 0, lane = 0): Float64Array {
  const words = randomWords(key, count, start, lane);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = toUnitInterval(words[i]);
  return out;
}

/**
 * `count` standard normals from the stream `key` by the Box-Muller transform over pairs of
 * uniforms, using {@link detLog}, {@link detSin} and {@link detCos} so every engine gives the
 * same bits.
 */
export function normals(key: PhiloxKey, count: number, lane = 0): Float64Array {
  const pairs = Math.ceil(count / 2);
  const u = uniforms(key, pairs * 2, 0, lane);
  const out = new Float64Array(count);
  for (let p = 0; p < pairs; p++) {
    const radius = Math.sqrt(-2 * detLog(u[2 * p]));
    const angle = 2 * Math.PI * u[2 * p + 1];
    out[2 * p] = radius * detCos(angle);
    if (2 * p + 1 < count) out[2 * p + 1] = radius * detSin(angle);
  }
  return out;
}

// Deterministic elementary functions: only +, -, *, / and sqrt, which IEEE 754 rounds exactly,
// so results do not depend on an engine's libm (Math.log and Math.sin may differ in the last bit).

const LN2 = Math.LN2;
const SQRT1_2 = Math.SQRT1_2;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Natural logarithm of a positive, finite, normal `x`, to within a few ulps. */
export function detLog(x: number): number {
  f64[0] = x;
  const exponent = ((u32[HIGH] >>> 20) & 0x7ff) - 1023;
  u32[HIGH] = (u32[HIGH] & 0x800fffff) | (1023 << 20); // mantissa in [1, 2)
  let m = f64[0];
  let e = exponent;
  if (m > 2 * SQRT1_2) {
    m /= 2;
    e += 1;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the series converges fast.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return e * LN2 + 2 * sum;
}

/** sin(x) for |x| < 2 pi + 1, by reduction to [-pi/4, pi/4] and a Taylor polynomial. */
export function detSin(x: number): number {
  return sinCos(x, false);
}

/** cos(x) for |x| < 2 pi + 1, by reduction to [-pi/4, pi/4] and a Taylor polynomial. */
export function detCos(x: number): number {
  return sinCos(x, true);
}

function taylorSin(r: number): number {
  const r2 = r * r;
  let term = r;
  let sum = r;
  for (let k = 1; k <= 10; k++) {
    term *= -r2 / (2 * k * (2 * k + 1));
    sum += term;
  }
  return sum;
}

function taylorCos(r: number): number {
  const r2 = r * r;
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 10; k++) {
    term *= -r2 / ((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}

function sinCos(x: number, cosine: boolean): number {
  const quadrant = Math.round(x / (Math.PI / 2));
  const r = x - quadrant * (Math.PI / 2);
  const q = (((quadrant + (cosine ? 1 : 0)) % 4) + 4) % 4;
  switch (q) {
    case 0:
      return taylorSin(r);
    case 1:
      return taylorCos(r);
    case 2:
      return -taylorSin(r);
    default:
      return -taylorCos(r);
  }
}
