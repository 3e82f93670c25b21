import { describe, expect, it } from 'vitest';
import { exactTail } from '../normal-cdf.testing.js';
import { lookup, normalTable, TABLE_SCALE, ZERO_ROW } from './normal-table.js';

const density = (a: number) => Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);

/** [Q(a), phi(a)] read from the table. */
function read(a: number): [number, number] {
  const out = new Float64Array(2);
  lookup(normalTable(), a * TABLE_SCALE, out);
  return [out[0], out[1] * TABLE_SCALE];
}

describe('the normal table', () => {
  it('gives the tail Q to 1e-7 relative and phi within its Taylor bound on [0, 8]', () => {
    const h = 1 / TABLE_SCALE;
    let [worstTail, worstDensity] = [0, 0];
    // a grid that is not aligned with the nodes, through the cell midpoints' neighbourhoods
    for (let i = 0; i <= 80_000; i++) {
      const a = i * 1e-4 + 1.3e-6;
      const [q, p] = read(a);
      worstTail = Math.max(worstTail, Math.abs(q - exactTail(a)) / exactTail(a));
      // quadratic Taylor at the nearest node: |error| <= (h / 2)^3 / 6 max |phi'''|, phi''' = (3a - a^3) phi
      const bound = ((h / 2) ** 3 / 6) * (Math.abs(3 * a - a ** 3) + 1) * 1.1;
      worstDensity = Math.max(worstDensity, Math.abs(p - density(a)) / density(a) / bound);
    }
    expect(worstTail).toBeLessThan(1e-7);
    expect(worstDensity).toBeLessThan(1);
  });

  // where two nodes' polynomials meet, each is within its truncation error of Q and phi
  it('jumps by less than 1e-8 (Q) and 1e-5 (phi) relative where the nearest node changes', () => {
    const h = 1 / TABLE_SCALE;
    for (let k = 0; k < 8 * TABLE_SCALE; k++) {
      const edge = (k + 0.5) * h;
      const [below, above] = [read(edge - 1e-12), read(edge + 1e-12)];
      expect(Math.abs(below[0] - above[0])).toBeLessThan(1e-8 * above[0]);
      expect(Math.abs(below[1] - above[1])).toBeLessThan(1e-5 * above[1]);
    }
  });

  it('reads 0 beyond a = 8 + h / 2 and NaN for NaN', () => {
    expect(read(ZERO_ROW / TABLE_SCALE)).toEqual([0, 0]);
    expect(read(1e30)).toEqual([0, 0]);
    expect(read(Number.POSITIVE_INFINITY)).toEqual([0, 0]);
    const [q, p] = read(Number.NaN);
    expect(q).toBeNaN();
    expect(p).toBeNaN();
  });
});
