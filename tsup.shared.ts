import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM and .d.ts for Node 20 and browsers. `node:` prefixes stay,
 * so browser bundlers recognise Node built-ins. Packages differ only in entries and extras.
 */
export function packageBuild(entry: string[], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    removeNodeProtocol: false,
    ...extra,
  });
}
