import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to `path` through a temporary file and a rename, so a reader never sees a
 * half-written file and an interrupted write leaves the previous version in place.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
