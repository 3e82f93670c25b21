/**
 * The gate path's SIMD kernels (kernels.wat) instantiated on tfjs-backend-wasm's own memory, so
 * that they read and write tensors where they lie: arguments are byte offsets into that heap.
 * Used where WebAssembly SIMD validates and the heap is not shared (the multi-threaded build
 * shares it; the JavaScript loops serve there).
 */
import { SIMD_KERNELS_BASE64 } from './binary.js';

/** The exports of kernels.wat; each covers the first n - n % 4 entries (the caller does the rest). */
export interface SimdKernels {
  clampedNoise(x: number, eps: number, z: number, n: number, scale: number, shift: number): void;
  insideUnitGrad(dy: number, z: number, dx: number, n: number): void;
  scaledProduct(a: number, b: number, out: number, n: number, scale: number): void;
  sumSquares(x: number, n: number): number;
  sumCdf(x: number, slope: number, n: number, scale: number, shift: number): number;
  sumCdfBetween(x: number, slope: number, n: number, scale: number, shift: number, minusShift: number): number;
  /** [keep, undecided]: the two sums of a Gaussian gate's decision (see kernels.wat). */
  decisionSums(
    x: number,
    keepSlope: number,
    undecidedSlope: number,
    n: number,
    scale: number,
    half: number,
  ): [number, number];
  weightedSum(a: number, b: number, out: number, n: number, alpha: number, beta: number): void;
  hardSample(x: number, eps: number, z: number, n: number, scale: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(SIMD_KERNELS_BASE64), (c) => c.charCodeAt(0));
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/** The kernels bound to `memory`, or undefined where they cannot run on it. */
export function simdKernelsFor(memory: WebAssembly.Memory | undefined): SimdKernels | undefined {
  if (memory === undefined || !(memory instanceof WebAssembly.Memory)) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    const module = compile();
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    kernels =
      module === null || shared
        ? null
        : (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels);
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

/** The first of n entries left to a JavaScript loop: all of them without `simd`, else the last n % 4. */
export function jsStart(n: number, simd: SimdKernels | undefined): number {
  return simd === undefined ? 0 : n - (n % 4);
}
