// The browser-facing packages bundle for `platform: 'browser'` without any Node built-in, and
// @slt/gates stays a few KB (see scripts/bundle-size.mjs, which also writes results.json).
import { describe, expect, it } from 'vitest';
import { browserPackages, measureBundle as measure } from '../../scripts/bundle-size.mjs';

describe('browser bundles', () => {
  it.each([...browserPackages])('@slt/%s imports no Node built-in and keeps tfjs external', async (name) => {
    const bundle = await measure(name);
    expect(bundle.nodeBuiltins).toEqual([]);
    expect(bundle.externals.every((e) => e.startsWith('@tensorflow/'))).toBe(true);
    expect(bundle.gzipBytes).toBeGreaterThan(0);
  });

  it('sees a Node built-in where there is one (the ./node subpath of @slt/core)', async () => {
    const bundle = await measure('core', 'node');
    expect(bundle.nodeBuiltins.length).toBeGreaterThan(0);
    expect(bundle.nodeBuiltins.join()).toMatch(/node:fs|^fs/);
  });

  it('@slt/gates is a few KB minified and gzipped (its WebAssembly SIMD kernels included)', async () => {
    const bundle = await measure('gates');
    // 13 KB: the normal table of the SIMD kernels took it to about 9.95 KB, counting a structured
    // ticket's weights through their input units (countKept) adds about 0.5 KB, and the decision
    // sums' per-call table with the fused sample-and-weight pass (0.3 ms of a 5-8 ms LeNet step
    // between them) about 1.9 KB: 12.1 KB.
    expect(bundle.gzipBytes).toBeLessThan(13 * 1024);
  });
});
