import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Keep `node:` on the readers' on-demand imports, so browser bundlers see Node built-ins.
  removeNodeProtocol: false,
});
