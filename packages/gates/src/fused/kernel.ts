/**
 * Fused elementwise kernels for the CPU and WASM backends, over the backends' own memory. A
 * gate's sample, its gradient and its regulariser terms are each a handful of tfjs ops, every one
 * allocating, saved for the backward pass and differentiated: the composed form measured 48 ms
 * per LeNet-300-100 step against 20 ms fused. On WASM the fused kernels run as WebAssembly SIMD
 * (simd/kernels.wat) on the backend's heap: a JavaScript pass over a 235k-entry tensor costs
 * 0.5-1 ms here, a SIMD pass about a tenth of that. On CPU, and where SIMD cannot run, they are
 * JavaScript loops. Other backends (WebGL, WebGPU, tfjs-node) have no such kernel registered and
 * the callers fall back to composing tfjs ops: same math, same results up to rounding.
 */
import {
  customGrad,
  type DataType,
  engine,
  type GradSaveFunc,
  getBackend,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  registerKernel,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type HeapKernels, simdKernelsFor } from './simd/kernels.js';

/** The backends whose memory the fused kernels read and write directly. */
const FUSED_BACKENDS = ['cpu', 'wasm'] as const;

/** What a fused kernel computes: read-only inputs in, freshly allocated outputs filled. */
export interface FusedKernel<A> {
  readonly name: string;
  /** Output shapes from input shapes and attributes. */
  outputShapes(inputs: readonly TensorInfo[], attrs: A): number[][];
  /**
   * Fills `outputs` from `inputs` (all float32, flat, row-major). On WASM, `simd` runs on the heap
   * the arrays view: a view's `byteOffset` is its pointer.
   */
  compute(
    inputs: readonly Float32Array[],
    outputs: readonly Float32Array[],
    attrs: A,
    shapes: readonly (readonly number[])[],
    simd: HeapKernels | undefined,
  ): void;
}

interface CpuLikeBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}

interface WasmLikeBackend {
  /** The emscripten module: its memory, and the allocator that places the backend's tensors. */
  wasm?: { asm?: { memory?: WebAssembly.Memory }; _malloc?(bytes: number): number };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function runOnCpu<A>(kernel: FusedKernel<A>, backend: CpuLikeBackend, inputs: TensorInfo[], attrs: A): TensorInfo[] {
  const views = inputs.map((t) => backend.data.get(t.dataId).values as Float32Array);
  const shapes = kernel.outputShapes(inputs, attrs);
  const outputs = shapes.map((s) => new Float32Array(size(s)));
  kernel.compute(
    views,
    outputs,
    attrs,
    inputs.map((t) => t.shape),
    undefined,
  );
  return outputs.map((values, i) => backend.makeTensorInfo(shapes[i], 'float32', values));
}

function runOnWasm<A>(kernel: FusedKernel<A>, backend: WasmLikeBackend, inputs: TensorInfo[], attrs: A): TensorInfo[] {
  const shapes = kernel.outputShapes(inputs, attrs);
  // Allocate first (the kernels' first use on a heap allocates their table, then the outputs):
  // an allocation may grow the WASM memory and detach earlier views.
  const { wasm } = backend;
  const simd = simdKernelsFor(wasm?.asm?.memory, wasm?._malloc?.bind(wasm));
  const infos = shapes.map((s) => backend.makeOutput(s, 'float32'));
  const views = inputs.map((t) => backend.typedArrayFromHeap(t));
  const outputs = infos.map((t) => backend.typedArrayFromHeap(t));
  kernel.compute(
    views,
    outputs,
    attrs,
    inputs.map((t) => t.shape),
    simd,
  );
  return infos;
}

/** Registers `kernel` under its name for the CPU and WASM backends (once). */
export function defineFusedKernel<A>(kernel: FusedKernel<A>, inputNames: readonly string[]): void {
  for (const backendName of FUSED_BACKENDS) {
    if (getKernel(kernel.name, backendName) !== undefined) continue;
    registerKernel({
      kernelName: kernel.name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const list = inputNames.map((n) => inputs[n] as TensorInfo);
        for (const t of list) {
          if (t.dtype !== 'float32') throw new TypeError(`${kernel.name}: inputs must be float32, got ${t.dtype}`);
        }
        const typedAttrs = attrs as unknown as A;
        return backendName === 'wasm'
          ? runOnWasm(kernel, backend as unknown as WasmLikeBackend, list, typedAttrs)
          : runOnCpu(kernel, backend as unknown as CpuLikeBackend, list, typedAttrs);
      },
    });
  }
}

/** `register` as a function that runs it on its first call only: kernels register lazily, once. */
export function once(register: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    register();
  };
}

/** True when the active backend runs fused kernels (CPU or WASM). */
export function fusedAvailable(): boolean {
  return (FUSED_BACKENDS as readonly string[]).includes(getBackend());
}

/**
 * Runs the fused kernel `name` on `x` as one node of the gradient tape whose only output is the
 * kernel's first: the other outputs (per-entry slopes, say) are saved for `gradient` alone. Taped
 * as outputs of the kernel itself, tfjs would hand each of them a zero gradient built in
 * JavaScript and copied to the backend every step (two 235k-entry arrays per LeNet-300-100 step
 * for the decision sums' slopes).
 */
export function runWithSavedOutputs(
  name: string,
  x: Tensor,
  attrs: object,
  gradient: (dy: Tensor, saved: Tensor[]) => Tensor,
): Tensor {
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const save = args[1] as GradSaveFunc;
    const [value, ...kept] = runFused(name, { x: args[0] as Tensor }, attrs);
    save(kept);
    return { value: value as Tensor, gradFunc: gradient };
  });
  return op(x);
}

/** Runs the registered kernel `name` on the active backend and returns its outputs. */
export function runFused(name: string, inputs: Record<string, Tensor>, attrs: object): Tensor[] {
  const out = engine().runKernel(name, inputs, attrs as NamedAttrMap) as Tensor | Tensor[];
  return Array.isArray(out) ? out : [out];
}

export type { KernelBackend };
