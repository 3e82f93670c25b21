import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/gradients.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Bundle tfjs-core's gradient registrations (extension-less ESM that Node cannot import).
  noExternal: [/register_all_gradients/],
});
