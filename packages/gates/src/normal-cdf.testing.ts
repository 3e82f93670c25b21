/**
 * Phi(x), the standard normal CDF, in float64 for tests: erf by its Taylor series (error below
 * 1e-8 for |x| <= 5.66, where the series still converges in float64), 0 or 1 beyond (< 1e-8 off).
 */
export function exactPhi(x: number): number {
  const z = x / Math.SQRT2;
  if (Math.abs(z) > 4) return z > 0 ? 1 : 0;
  let term = z;
  let total = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    total += term / (2 * n + 1);
  }
  return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * total);
}

/**
 * The upper tail Q(a) = Phi(-a) = 1 - Phi(a) for a >= 0, in float64 to relative accuracy (about
 * 1e-13), for tests of tails: erf's Taylor series below a = 3, where Q > 1e-3, and beyond it the
 * continued fraction of Mills' ratio, Q(a) = phi(a) / (a + 1 / (a + 2 / (a + 3 / ...)))
 * (Laplace's continued fraction, Abramowitz and Stegun 26.2.14), 200 levels deep (converged to
 * float64 from a = 2.5 on).
 */
export function exactTail(a: number): number {
  if (Number.isNaN(a) || a < 0) throw new RangeError(`exactTail: a must be >= 0, got ${a}`);
  if (a < 3) {
    const z = a / Math.SQRT2;
    let term = z;
    let total = z;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * total; n++) {
      term *= (-z * z) / n;
      total += term / (2 * n + 1);
    }
    return 0.5 * (1 - (2 / Math.sqrt(Math.PI)) * total);
  }
  let fraction = a;
  for (let k = 200; k >= 1; k--) fraction = a + k / fraction;
  return Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI) / fraction;
}
