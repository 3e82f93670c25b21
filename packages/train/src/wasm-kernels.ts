/**
 * Two kernels of tfjs-backend-wasm replaced by ones that copy less, for the WASM backend only:
 * - `Identity` copies its input, and autograd clones (Identity) every tensor a gradient saves, a
 *   full copy of each gate and weight per step. Tensors are immutable and the backend counts
 *   references to its buffers (its `Reshape` shares them), so sharing the buffer is enough, as
 *   the CPU backend's own Identity does.
 * - `GatherV2` along axis 0 (a batch of examples) runs per element in WASM; whole rows are
 *   contiguous, so one typed-array copy per row on the heap does it. Other gathers (other
 *   axes, batch dimensions, non-numeric types) go to the original kernel.
 * Measured on LeNet-300-100 (batch 128, 2 cores): see benchmarks/speed.
 */
import {
  type DataType,
  GatherV2,
  type GatherV2Attrs,
  getKernel,
  Identity,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` these kernels use. */
interface WasmBackend {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  readSync(dataId: object): ArrayLike<number>;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The types whose rows are copied as typed-array ranges (strings and complex go to the original kernel). */
const ROW_COPY_TYPES = new Set<DataType>(['float32', 'int32', 'bool']);

/** Buffer-sharing Identity (strings keep the original kernel). */
function sharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/** Row-copying GatherV2 for axis 0 without batch dimensions. */
function rowGather(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    const axisZero = axis === 0 || axis === -x.shape.length;
    if (!axisZero || batchDims !== 0 || !ROW_COPY_TYPES.has(x.dtype) || x.shape.length === 0) return original(args);
    const backend = args.backend as unknown as WasmBackend;
    const index = backend.readSync(indices.dataId);
    const rows = x.shape[0];
    const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < index.length; i++) {
      const r = index[i];
      if (!(r >= 0 && r < rows)) throw new RangeError(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after the allocation: growing the heap detaches earlier ones.
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    for (let i = 0; i < index.length; i++) {
      const from = index[i] * rowSize;
      target.set(source.subarray(from, from + rowSize), i * rowSize);
    }
    return out;
  };
}

let installed = false;

/** Replaces the WASM backend's Identity and GatherV2 kernels (once; call after loading the backend). */
export function installWasmKernels(): void {
  if (installed) return;
  const replace = (name: string, make: (original: KernelFunc) => KernelFunc) => {
    const config = getKernel(name, 'wasm') as KernelConfig | undefined;
    if (config === undefined) return;
    unregisterKernel(name, 'wasm');
    registerKernel({ ...config, kernelFunc: make(config.kernelFunc) });
  };
  replace(Identity, sharedIdentity);
  replace(GatherV2, rowGather);
  installed = true;
}
