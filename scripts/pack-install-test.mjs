#!/usr/bin/env node
// Installs slt the way a user does: builds and packs every package (`pnpm pack` turns
// `workspace:^` into real versions), installs the tarballs with plain npm into a fresh project
// outside the workspace beside @tensorflow/tfjs-core and -backend-wasm 4.22.0, then type-checks
// (moduleResolution bundler and node16) and runs the first ```ts example of each package's README.
// Also checks that every bare import in a package's dist/ is a dependency or peer dependency of
// that package (nothing a user needs is only a devDependency), that an example imports only what
// its reader installs (the package, its dependencies and peers, tfjs-core, backend-wasm), and that
// a package with a `bin` answers `--help` (such a package may have no ts example).
//
// Usage: node scripts/pack-install-test.mjs [--no-build] [--keep] [--json FILE] [--only a,b]
// Exit status 0 when every check passes, 1 otherwise; the JSON report lists each check.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
  },
});

const TFJS = '4.22.0';
const EXAMPLE_TIMEOUT_MS = 120_000;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { ok: result.status === 0, status: result.status, output, signal: result.signal };
}

function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The first ```ts (or ```typescript) block of a README, or undefined. */
export function firstTsBlock(markdown) {
  const match = /^```(?:ts|typescript)[^\n]*\n([\s\S]*?)^```/m.exec(markdown);
  return match?.[1];
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function listFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Imports in dist/ that are neither built-ins, the package itself, dependencies nor peer
 * dependencies (read from esbuild's import graph of the built files).
 */
async function undeclaredImports(pkgDir, manifest) {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const files = listFiles(join(pkgDir, 'dist'), '.js');
  if (files.length === 0) return [];
  const { metafile } = await build({
    entryPoints: files,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    format: 'esm',
    packages: 'external',
    outdir: join(pkgDir, 'unused-out'),
    logLevel: 'silent',
  });
  const missing = new Set();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const { path, external } of input.imports) {
      if (!external || builtins.has(path) || path.startsWith('node:')) continue;
      if (!declared.has(packageOf(path))) missing.add(`${packageOf(path)} (in ${basename(file)})`);
    }
  }
  return [...missing];
}

const report = {
  started: new Date().toISOString(),
  node: process.version,
  work: '',
  packages: [],
  install: null,
  seconds: {},
};
const t0 = performance.now();
const lap = (phase) => {
  report.seconds[phase] = Number(((performance.now() - t0) / 1000).toFixed(1));
};
let failed = false;
const fail = (check) => {
  if (!check.ok) failed = true;
  return check;
};

const packagesDir = join(root, 'packages');
const only = flags.only ? new Set(flags.only.split(',')) : undefined;
const packages = readdirSync(packagesDir)
  .filter((name) => existsSync(join(packagesDir, name, 'package.json')))
  .map((name) => ({ dir: join(packagesDir, name), manifest: readJson(join(packagesDir, name, 'package.json')) }))
  .filter((p) => !p.manifest.private);

if (!flags['no-build']) {
  const build = run('pnpm', ['-r', '--filter', './packages/*', 'run', 'build'], { cwd: root });
  report.build = fail({ ok: build.ok, output: build.ok ? '' : tail(build.output, 40) });
  lap('build');
  if (!build.ok) finish();
}

const work = mkdtempSync(join(tmpdir(), 'slt-pack-'));
report.work = work;
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs, { recursive: true });
mkdirSync(join(project, 'examples'), { recursive: true });

// 1. Pack every package and check what the tarball's manifest says.
const entries = [];
for (const { dir, manifest } of packages) {
  const entry = { name: manifest.name, checks: {} };
  entries.push(entry);
  const pack = run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
  const tgz = pack.output
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.endsWith('.tgz'));
  entry.checks.pack = fail({ ok: pack.ok && tgz !== undefined, output: pack.ok ? '' : tail(pack.output) });
  if (!entry.checks.pack.ok) continue;
  entry.tarball = resolve(dir, tgz);
  const extracted = join(work, 'extracted', manifest.name);
  mkdirSync(extracted, { recursive: true });
  run('tar', ['-xzf', entry.tarball, '-C', extracted]);
  const packed = readJson(join(extracted, 'package', 'package.json'));
  entry.packedManifest = {
    dependencies: packed.dependencies ?? {},
    peerDependencies: packed.peerDependencies ?? {},
  };
  const leftover = JSON.stringify(packed).includes('workspace:');
  entry.checks.manifest = fail({
    ok:
      !leftover &&
      existsSync(join(extracted, 'package', 'dist')) &&
      existsSync(join(extracted, 'package', 'README.md')),
    output: [
      leftover ? 'workspace: protocol left in the packed package.json' : '',
      existsSync(join(extracted, 'package', 'dist')) ? '' : 'no dist/ in the tarball',
      existsSync(join(extracted, 'package', 'README.md')) ? '' : 'no README.md in the tarball',
    ]
      .filter(Boolean)
      .join('; '),
  });
  const undeclared = await undeclaredImports(join(extracted, 'package'), packed);
  entry.checks.imports = fail({
    ok: undeclared.length === 0,
    output: undeclared.length === 0 ? '' : `imported but not a dependency or peer: ${undeclared.join(', ')}`,
  });
}

lap('pack');

// 2. A fresh npm project outside the workspace with every tarball and tfjs 4.22.0.
const rootManifest = readJson(join(root, 'package.json'));
const extraPeers = {};
for (const e of entries) {
  for (const [peer, range] of Object.entries(e.packedManifest?.peerDependencies ?? {})) {
    const manifest = packages.find((p) => p.manifest.name === e.name).manifest;
    const optional = manifest.peerDependenciesMeta?.[peer]?.optional === true;
    if (!optional && !peer.startsWith('@slt/')) extraPeers[peer] = peer.startsWith('@tensorflow/') ? TFJS : range;
  }
}
const dependencies = {
  ...extraPeers,
  '@tensorflow/tfjs-core': TFJS,
  '@tensorflow/tfjs-backend-wasm': TFJS,
  ...Object.fromEntries(entries.filter((e) => e.tarball).map((e) => [e.name, `file:${e.tarball}`])),
};
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify(
    {
      name: 'slt-install-check',
      private: true,
      type: 'module',
      dependencies,
      devDependencies: {
        typescript: rootManifest.devDependencies.typescript,
        '@types/node': rootManifest.devDependencies['@types/node'],
      },
    },
    null,
    2,
  )}\n`,
);
const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
  cwd: project,
  env: { ...process.env, npm_config_workspaces: 'false' },
});
report.install = fail({ ok: install.ok, dependencies, output: install.ok ? '' : tail(install.output, 40) });
lap('install');

// 3. Each README's first ts example: type-check under bundler and node16 resolution, then run it.
const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
const compilerBase = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  strict: true,
  skipLibCheck: true,
  types: ['node'],
  esModuleInterop: true,
};
const resolutions = {
  bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
  node16: { module: 'Node16', moduleResolution: 'Node16' },
};
const examples = [];
for (const e of entries) {
  if (only && !only.has(e.name)) continue;
  const manifest = packages.find((p) => p.manifest.name === e.name);
  // A command-line package: its installed bin answers --help.
  for (const bin of Object.keys(manifest.manifest.bin ?? {})) {
    if (!report.install.ok) break;
    const help = run(join(project, 'node_modules', '.bin', bin), ['--help'], { cwd: project, timeout: 60_000 });
    e.checks[`bin-${bin}`] = fail({ ok: help.ok, output: tail(help.output, help.ok ? 3 : 20) });
  }
  const readme = join(manifest.dir, 'README.md');
  const code = existsSync(readme) ? firstTsBlock(readFileSync(readme, 'utf8')) : undefined;
  const isCommand = Object.keys(manifest.manifest.bin ?? {}).length > 0;
  if (code === undefined && isCommand && existsSync(readme)) {
    e.checks.example = { ok: true, output: 'a command-line package without a ts example: its bin was run with --help' };
    continue;
  }
  e.checks.example = fail({
    ok: code !== undefined,
    output: existsSync(readme) ? (code === undefined ? 'README.md has no ```ts block' : '') : 'no README.md',
  });
  if (code === undefined || !report.install.ok) continue;
  // The example may import only what its reader installs: the package, its dependencies and
  // peers, and tfjs-core + backend-wasm (a hoisted dependency of another slt package does not count).
  const allowed = new Set([
    e.name,
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    ...Object.keys(e.packedManifest.dependencies),
    ...Object.keys(e.packedManifest.peerDependencies),
  ]);
  const imported = [...code.matchAll(/^\s*import\s+(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const foreign = imported.filter((s) => !builtins.has(s) && !allowed.has(packageOf(s)));
  e.checks['example-imports'] = fail({
    ok: foreign.length === 0,
    output:
      foreign.length === 0
        ? ''
        : `imports ${foreign.join(', ')}, which is neither ${e.name}'s dependency or peer nor tfjs-core/backend-wasm`,
  });
  const stem = e.name.replace('@slt/', '');
  const file = join(project, 'examples', `${stem}.mts`);
  writeFileSync(file, code);
  examples.push({ entry: e, stem, file });
}

// One compiler run per resolution mode over every example (errors are attributed by file name);
// the node16 run also emits the .mjs files that are then run.
for (const [label, options] of Object.entries(resolutions)) {
  if (examples.length === 0) break;
  const emit = label === 'node16';
  const config = join(project, `tsconfig.${label}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        ...compilerBase,
        ...options,
        ...(emit ? { outDir: 'out', rootDir: 'examples' } : { noEmit: true }),
      },
      files: examples.map((x) => x.file),
    }),
  );
  const check = run(process.execPath, [tsc, '-p', config], { cwd: project });
  const lines = check.output.split('\n');
  for (const { entry, stem } of examples) {
    const own = lines.filter((l) => l.includes(`examples/${stem}.mts`));
    const ok = own.length === 0 && (check.ok || lines.some((l) => l.includes('examples/')));
    entry.checks[`typecheck-${label}`] = fail({ ok, output: ok ? '' : tail(own.join('\n') || check.output, 20) });
  }
}
for (const { entry, stem } of examples) {
  const compiled = join(project, 'out', `${stem}.mjs`);
  if (!existsSync(compiled)) {
    entry.checks.run = fail({ ok: false, output: 'not compiled' });
    continue;
  }
  const started = performance.now();
  const exec = run(process.execPath, [compiled], { cwd: project, timeout: EXAMPLE_TIMEOUT_MS });
  entry.checks.run = fail({
    ok: exec.ok,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    output: tail(exec.output, exec.ok ? 6 : 20),
  });
}

lap('examples');
report.packages = entries.map(({ packedManifest: _m, tarball: _t, ...rest }) => rest);
finish();

function finish() {
  report.ok = !failed;
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (flags.json) writeFileSync(flags.json, text);
  else process.stdout.write(text);
  for (const e of report.packages) {
    const bad = Object.entries(e.checks).filter(([, c]) => !c.ok);
    process.stderr.write(
      `${bad.length === 0 ? 'ok  ' : 'FAIL'} ${e.name}${bad.map(([k, c]) => `\n     ${k}: ${c.output.split('\n').join('\n       ')}`).join('')}\n`,
    );
  }
  if (report.work && !flags.keep) rmSync(report.work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
