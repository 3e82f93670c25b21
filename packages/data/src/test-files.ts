// Helpers for tests: temporary directories and small data files written on the fly.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh empty directory under the system's temporary folder. */
export function tempDir(prefix = 'slt-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (name -> bytes) into `dir` (created if needed), gzipped when the name ends in .gz. */
export function writeFiles(dir: string, files: Record<string, Uint8Array>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(join(dir, name), name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  }
  return dir;
}

/** Deterministic pseudo-random bytes below `bound` (a small LCG: test data only). */
export function testBytes(count: number, bound: number, salt = 1): Uint8Array {
  const out = new Uint8Array(count);
  let state = (salt * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state >>> 24) % bound;
  }
  return out;
}

/** True when two typed arrays hold the same bytes (fast, unlike a deep equality over elements). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
