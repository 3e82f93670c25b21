import { InputError } from '@slt/core';
import { getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import { installWasmKernels } from './wasm-kernels.js';

/** Backends a search can run on. */
export const backendNames = ['wasm', 'cpu', 'tensorflow', 'webgpu'] as const;
/** A backend a search can run on: one of {@link backendNames}. */
export type BackendName = (typeof backendNames)[number];

async function importOptional(specifier: string): Promise<boolean> {
  try {
    await import(specifier);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

/**
 * Makes `name` the active tfjs backend. `tensorflow` loads `@tensorflow/tfjs-node-gpu` (CUDA) or
 * `@tensorflow/tfjs-node` only when asked, since neither is a dependency; a missing one is an
 * {@link InputError} that says how to install it.
 */
export async function useBackend(name: BackendName): Promise<void> {
  switch (name) {
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      installWasmKernels();
      break;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      break;
    case 'tensorflow':
      if (!(await importOptional('@tensorflow/tfjs-node-gpu')) && !(await importOptional('@tensorflow/tfjs-node'))) {
        throw new InputError(
          'backend tensorflow needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node: run `npm install @tensorflow/tfjs-node-gpu@4.22.0` where its binary download is allowed',
        );
      }
      break;
    case 'webgpu':
      if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
        throw new InputError('backend webgpu runs in browsers with WebGPU; in Node use wasm, cpu or tensorflow');
      }
      if (!(await importOptional('@tensorflow/tfjs-backend-webgpu'))) {
        throw new InputError('backend webgpu needs @tensorflow/tfjs-backend-webgpu: npm install it');
      }
      break;
    default:
      throw new InputError(`unknown backend '${name}' (known: ${backendNames.join(', ')})`);
  }
  const registered = name === 'tensorflow' ? 'tensorflow' : name;
  if (!(await setBackend(registered))) throw new InputError(`backend ${name} failed to initialise`);
  await ready();
  if (getBackend() !== registered) throw new Error(`backend ${name} requested but ${getBackend()} is active`);
}
