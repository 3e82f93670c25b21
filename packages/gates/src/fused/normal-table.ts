/**
 * The table behind the fused kernels' Phi and phi (the standard normal CDF and density), shared
 * by the JavaScript loops (float64) and the WASM SIMD kernels (float32, simd/kernels.wat).
 *
 * Node k sits at a_k = k h, h = 1/128, k = 0 ... 1024 (a = 8); its row holds the upper tail
 * Q(a_k) = Phi(-a_k) and the Taylor coefficients of Q at a_k in f = (a - a_k) / h:
 *   Q(a_k + f h) ~ Q(a_k) - f (c1 + f (c2 + f c3)),  c1 = h phi, c2 = h^2 phi' / 2, c3 = h^3 phi'' / 6,
 * with phi' = -a phi and phi'' = (a^2 - 1) phi (the Hermite polynomials of phi's derivatives), so that
 *   h phi(a_k + f h) ~ c1 + f (2 c2 + 3 f c3),
 * the polynomial's derivative. Read at the nearest node (|f| <= 1/2), phi is a quadratic Taylor
 * polynomial, relative error below (h / 2)^3 |a^3 - 3a| / 6 (5e-6 at a = 8, 2e-7 at a = 3), and
 * Q its exact integral, relative error below 2e-7 over the whole range: Q is a tail, so Phi(t) =
 * Q(|t|) for t < 0 keeps its relative accuracy far out, where 1 - Phi(|t|) in float32 would not.
 * One more row after the last node is zeros: beyond a = 8 + h / 2, Q and phi are 0 (Q(8) = 6e-16).
 * At 16 KiB in float32 the table stays in the first-level cache of the SIMD loops.
 */

/** Table positions per unit of a: a node every 1/128. */
export const TABLE_SCALE = 128;
/** The last node, a = 8; the row after it is zeros. */
const LAST_NODE = 8 * TABLE_SCALE;
/** Table position at and beyond which a lookup reads the zero row. */
export const ZERO_ROW = LAST_NODE + 1;
/** Rows of four numbers: the nodes and the zero row. */
const TABLE_ROWS = ZERO_ROW + 1;

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Phi(-8), the tail beyond the last node. */
const TAIL_AT_8 = 6.220960574271785e-16;
// 5-point Gauss-Legendre rule on [-1, 1]: exact for degree 9, so a cell's integral of phi is
// exact to float64 rounding (error below h^11 (5!)^4 / (11 (10!)^3) max |phi^(10)| < 1e-33).
const GAUSS_X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
const GAUSS_W = [
  0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908,
];

function density(a: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * a * a);
}

/** The integral of phi over [lo, hi]. */
function cellIntegral(lo: number, hi: number): number {
  const [mid, half] = [(lo + hi) / 2, (hi - lo) / 2];
  return half * GAUSS_X.reduce((total, x, i) => total + GAUSS_W[i] * density(mid + half * x), 0);
}

let rows: Float64Array | undefined;

/**
 * The table, [Q(a_k), c1, c2, c3] per row, TABLE_ROWS rows (built on first use). Q is summed
 * from the far tail inward, cell integral by cell integral, so every Q(a_k) keeps float64
 * relative accuracy.
 */
export function normalTable(): Float64Array {
  if (rows === undefined) {
    const h = 1 / TABLE_SCALE;
    rows = new Float64Array(4 * TABLE_ROWS);
    let tail = TAIL_AT_8;
    for (let k = LAST_NODE; k >= 0; k--) {
      const a = k * h;
      if (k < LAST_NODE) tail += cellIntegral(a, a + h);
      const p = density(a);
      rows.set([tail, h * p, (-h * h * a * p) / 2, (h * h * h * (a * a - 1) * p) / 6], 4 * k);
    }
  }
  return rows;
}

/**
 * Q(a) and h phi(a) from `table` for a position `at` = a * TABLE_SCALE >= 0, written to
 * out[0] and out[1]. A NaN position reads row 0 and comes out NaN; one at or beyond ZERO_ROW
 * reads zeros. The SIMD kernels compute the same in float32.
 */
export function lookup(table: Float64Array, at: number, out: Float64Array): void {
  const p = at > ZERO_ROW ? ZERO_ROW : at;
  const k = (p + 0.5) | 0;
  const f = p - k;
  const row = 4 * k;
  const v = f * table[row + 3];
  const u = table[row + 2] + v;
  out[0] = table[row] - f * (table[row + 1] + f * u);
  out[1] = table[row + 1] + f * (u + u + v);
}
