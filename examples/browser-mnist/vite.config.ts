import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const packages = resolve(import.meta.dirname, '../../packages');
const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
const wasmFiles = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Serves (dev) and emits (build) TF.js's WASM binaries under tfjs-wasm/, next to the page. */
function tfjsWasm(): Plugin {
  return {
    name: 'slt-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = wasmFiles.find((f) => req.url?.endsWith(`/tfjs-wasm/${f}`));
        if (file === undefined) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(wasmDir, file)));
      });
    },
    generateBundle() {
      for (const file of wasmFiles) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${file}`, source: readFileSync(join(wasmDir, file)) });
      }
    },
  };
}

// Workspace packages are read from source (like the tests), so the page builds without `pnpm build`.
// `@slt/data/tensors` and `@slt/data/info` are its browser-safe modules (the data set facts and
// normalisation), taken directly so the page never bundles the Node file loaders.
export default defineConfig({
  base: './',
  resolve: {
    alias: [
      { find: /^@slt\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@slt\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packages}/$1/src/$2.ts` },
    ],
  },
  plugins: [tfjsWasm()],
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
