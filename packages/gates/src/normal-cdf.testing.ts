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
