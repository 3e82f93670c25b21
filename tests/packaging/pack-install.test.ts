// Installs every package from its packed tarball into a fresh npm project outside the workspace
// and runs each README's first example there (see scripts/pack-install-test.mjs). Needs the npm
// registry for tfjs and third-party dependencies; takes one to two minutes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Check {
  readonly ok: boolean;
  readonly output: string;
}

interface Report {
  readonly ok: boolean;
  readonly build?: Check;
  readonly install: Check | null;
  readonly packages: ReadonlyArray<{ readonly name: string; readonly checks: Readonly<Record<string, Check>> }>;
}

const root = resolve(import.meta.dirname, '../..');

describe('packed packages install and their README examples run', () => {
  it('packs, installs with npm, type-checks (bundler, node16) and runs every first README example', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'slt-pack-report-')), 'report.json');
    // Asynchronous, so the test worker stays responsive during the minute or two this takes.
    const result = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [join(root, 'scripts/pack-install-test.mjs'), '--json', json], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 540_000,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', (status) => done({ status, stderr }));
    });
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.build?.ok ?? true, report.build?.output).toBe(true);
    expect(report.install?.ok, report.install?.output).toBe(true);
    const library = [
      'pack',
      'manifest',
      'imports',
      'example',
      'example-imports',
      'typecheck-bundler',
      'typecheck-node16',
      'run',
    ];
    for (const pkg of report.packages) {
      // A command-line package without a ts example is checked through its bin (`bin-NAME`).
      const bins = Object.keys(pkg.checks).filter((k) => k.startsWith('bin-'));
      const expected =
        bins.length > 0 && pkg.checks['example-imports'] === undefined
          ? ['pack', 'manifest', 'imports', 'example', ...bins]
          : [...library, ...bins];
      for (const name of expected) {
        const check = pkg.checks[name];
        expect.soft(check?.ok, `${pkg.name} ${name}: ${check?.output ?? 'not run'}`).toBe(true);
      }
    }
    expect(report.packages.length).toBeGreaterThanOrEqual(9);
    expect(result.status, result.stderr).toBe(0);
  }, 600_000);
});
