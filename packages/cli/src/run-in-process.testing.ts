// Test support (not part of the package's entry points): runs the `slt` command line in this
// process and captures what it writes, much faster than spawning Node for every case.
import { vi } from 'vitest';
import { main } from './main.js';

/** The exit status and the captured stdout / stderr of `slt ...argv`. */
export async function runSlt(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { status: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
