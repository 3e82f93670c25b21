// Test helper: the TensorFlow.js backends every tensor test of this package runs on.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ready, setBackend } from '@tensorflow/tfjs-core';

/** Backends slt runs on in Node without native add-ons. */
export const TEST_BACKENDS = ['cpu', 'wasm'] as const;

/** Switches to `name` and waits until it is initialised. */
export async function useBackend(name: (typeof TEST_BACKENDS)[number]): Promise<void> {
  const ok = await setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to initialise`);
  await ready();
}
