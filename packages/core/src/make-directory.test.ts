import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.js';

const work = mkdtempSync(join(tmpdir(), 'slt-make-directory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('makeDirectory', () => {
  it('makes every missing level and accepts a directory that exists', () => {
    const deep = join(work, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(join(work, 'a'));
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('refuses a path through a file', () => {
    const file = join(work, 'file');
    writeFileSync(file, '');
    expect(() => makeDirectory(file)).toThrow(/ENOTDIR/);
    expect(() => makeDirectory(join(file, 'x'))).toThrow(/ENOTDIR/);
  });

  it.runIf(existsSync('/proc/self'))('throws under /proc, where a recursive mkdirSync never returns', () => {
    expect(() => makeDirectory('/proc/slt-run/x')).toThrow(/ENOENT/);
  });
});
