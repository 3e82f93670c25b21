/**
 * File access for the readers. Node's modules are imported on demand, so the package's main
 * entry (tensors, shuffling, augmentation) stays loadable in a browser.
 */
import { InputError } from '@slt/core';

/** True when the bytes start with gzip's magic number (0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The files of `names` that exist as regular files in `dir`, as absolute paths (in order). */
export async function existingFiles(dir: string, names: readonly string[]): Promise<string[]> {
  const { stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const found: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).isFile()) found.push(path);
    } catch {
      // absent: not found
    }
  }
  return found;
}

/** True when `dir` exists and is a directory. */
export async function isDirectory(dir: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** `join` from node:path, loaded on demand. */
export async function joinPath(...parts: string[]): Promise<string> {
  const { join } = await import('node:path');
  return join(...parts);
}

/**
 * The bytes of the file at `path`, gunzipped when they start with gzip's magic number (whatever
 * the file's name). A file that cannot be read or decompressed is an {@link InputError}.
 */
export async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!isGzip(bytes)) {
    if (path.endsWith('.gz')) throw new InputError(`${path} is not a gzip file (no gzip magic number)`);
    return bytes;
  }
  const { gunzipSync } = await import('node:zlib');
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new InputError(`${path} is not a valid gzip file (${(error as Error).message})`);
  }
}
