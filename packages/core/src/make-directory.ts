import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './input-error.js';

/**
 * `mkdir -p` that always returns or throws. Node's own `mkdirSync(path, { recursive: true })`
 * spins forever, ignoring signals, where a parent exists but refuses children with ENOENT (a
 * path under /proc, a dangling symlink): it takes that ENOENT for a missing parent and retries.
 * Here each missing component is made once, parent first, so such an ENOENT is final.
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let current = resolve(path); ; ) {
    const stats = statSync(current, { throwIfNoEntry: false });
    if (stats?.isDirectory()) break;
    if (stats !== undefined)
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Another process may have made it since the walk; anything else is final.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    }
  }
}

/**
 * Makes a directory the user named (`--out`) and checks that it is writable; any failure is an
 * {@link InputError} naming the directory (`what`: how the message calls it).
 */
export function makeOutputDirectory(dir: string, what = 'output directory'): void {
  try {
    makeDirectory(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new InputError(`${what} ${dir} is not writable: ${(error as Error).message}`);
  }
}
