#!/usr/bin/env node
// Bundles the main entry of each browser-facing package with esbuild for `platform: 'browser'`
// (TensorFlow.js external, other @slt packages bundled in from source), records any Node built-in
// that the bundle would need, and measures the minified and gzipped size. Run directly, it writes
// benchmarks/bundle-size/results.json.
//
// Usage: node scripts/bundle-size.mjs [--out FILE]
import { writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages whose main entry must run in a browser, in dependency order. */
export const browserPackages = ['core', 'gates', 'regularizers', 'models', 'ticket', 'layers'];

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Resolves `@slt/x` and `@slt/x/y` to the workspace sources, as the tests do. */
const workspaceSources = {
  name: 'slt-workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@slt\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
      const [, , pkg, sub] = args.path.split(/[@/]/);
      return { path: join(root, 'packages', pkg, 'src', `${sub ?? 'index'}.ts`) };
    });
  },
};

/** Records Node built-ins (and marks them external) instead of failing the build on the first one. */
function nodeBuiltinRecorder(found) {
  return {
    name: 'node-builtin-recorder',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!builtins.has(args.path)) return undefined;
        found.add(`${args.path} (imported by ${args.importer.replace(`${root}/`, '')})`);
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `packages/<name>/src/<entry>.ts` (default `index`) for the browser, minified,
 * TensorFlow.js external. Returns the Node built-ins it needs (none expected) and its minified
 * and gzipped sizes in bytes.
 */
export async function measureBundle(name, entry = 'index') {
  const found = new Set();
  const result = await build({
    entryPoints: [join(root, 'packages', name, 'src', `${entry}.ts`)],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['@tensorflow/*'],
    plugins: [nodeBuiltinRecorder(found), workspaceSources],
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles[0].contents;
  return {
    package: entry === 'index' ? `@slt/${name}` : `@slt/${name}/${entry}`,
    nodeBuiltins: [...found].sort(),
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    externals: [
      ...new Set(
        Object.values(result.metafile.inputs)
          .flatMap((input) => input.imports)
          .filter((i) => i.external && !builtins.has(i.path))
          .map((i) => i.path),
      ),
    ].sort(),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = values.out ?? join(root, 'benchmarks', 'bundle-size', 'results.json');
  const rows = [];
  for (const name of browserPackages) rows.push(await measureBundle(name));
  const results = {
    description:
      'Main entry of each package bundled with esbuild for the browser (minified, ESM, es2022), TensorFlow.js external, other @slt packages included; gzip level 9.',
    esbuild: esbuildVersion,
    node: process.version,
    date: new Date().toISOString(),
    packages: rows,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  for (const r of rows) {
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
    process.stdout.write(
      `${r.package.padEnd(20)} ${kb(r.minifiedBytes).padStart(9)} min  ${kb(r.gzipBytes).padStart(9)} gzip${r.nodeBuiltins.length ? `  NODE BUILT-INS: ${r.nodeBuiltins.join(', ')}` : ''}\n`,
    );
  }
  process.stdout.write(`wrote ${out}\n`);
}
