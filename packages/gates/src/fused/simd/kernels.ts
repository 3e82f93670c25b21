/**
 * The gate path's SIMD kernels (kernels.wat) instantiated on tfjs-backend-wasm's own memory, so
 * that they read and write tensors where they lie: arguments are byte offsets into that heap.
 * Used where WebAssembly SIMD validates and the heap is not shared (the multi-threaded build
 * shares it; the JavaScript loops serve there).
 */
import { normalTable } from '../normal-table.js';
import { SIMD_KERNELS_BASE64 } from './binary.js';

/** The exports of kernels.wat; each covers the first n - n % 4 entries (the caller does the rest). */
export interface SimdKernels {
  clampedNoise(x: number, eps: number, z: number, n: number, scale: number, shift: number): void;
  insideUnitGrad(dy: number, z: number, dx: number, n: number): void;
  scaledProduct(a: number, b: number, out: number, n: number, scale: number): void;
  sumSquares(x: number, n: number): number;
  sumCdf(x: number, slope: number, n: number, scale: number, shift: number): number;
  sumCdfBetween(x: number, slope: number, n: number, scale: number, shift: number, minusShift: number): number;
  /**
   * [keep, undecided]: the two sums of a Gaussian gate's decision (see kernels.wat). `table`: a
   * heap block of `tableRows` 32-byte rows, 64-byte aligned, that the kernel may overwrite (a table
   * it builds for the call where sigma >= 1/32), or 0 for none.
   */
  decisionSums(
    x: number,
    keepSlope: number,
    undecidedSlope: number,
    n: number,
    scale: number,
    half: number,
    table: number,
    tableRows: number,
  ): [number, number];
  weightedSum(a: number, b: number, out: number, n: number, alpha: number, beta: number): void;
  hardSample(x: number, eps: number, z: number, n: number, scale: number): void;
  /**
   * out = w * z for a Gaussian gate's sample z from (x, eps) (`hard`: 1 for the binary sample,
   * else 0), without storing z; returns sum z^2.
   */
  gateSampleWeightSquares(
    w: number,
    x: number,
    eps: number,
    out: number,
    n: number,
    scale: number,
    hard: number,
  ): number;
  /** x = x * factor, in place. */
  scaleInPlace(x: number, n: number, factor: number): void;
  /** out = w * z * factor for that sample z, without storing it. */
  gateSampleWeight(
    w: number,
    x: number,
    eps: number,
    out: number,
    n: number,
    scale: number,
    hard: number,
    factor: number,
  ): void;
  /** dx = dy * w * factor where 0 < z < 1 (every entry when `hard`), else 0. */
  gateSampleWeightGrad(
    dy: number,
    w: number,
    x: number,
    eps: number,
    dx: number,
    n: number,
    scale: number,
    hard: number,
    factor: number,
  ): void;
}

/** The kernels bound to one heap, with the heap blocks placed for them. */
export interface HeapKernels extends SimdKernels {
  /** Byte offset of the block where `decisionSums` builds its per-call table: DECISION_TABLE_ROWS 32-byte rows. */
  readonly decisionTable: number;
}

/**
 * Rows of the block where `decisionSums` builds its own table for a call: ceil(half) + 1028 rows
 * for half = 64 / sigma (table units), built where half < 2050 (sigma just above 1/32 at most).
 */
export const DECISION_TABLE_ROWS = 3080;

/** Allocates `bytes` on the heap and returns their byte offset, 0 when it cannot. */
export type HeapAllocator = (bytes: number) => number;

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, HeapKernels | null>();

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(SIMD_KERNELS_BASE64), (c) => c.charCodeAt(0));
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

// Cache-line alignment of the tables, so that no row straddles two lines.
const TABLE_ALIGN = 64;

/**
 * A block of `bytes` on the heap, cache-line aligned, or undefined where no room is left. SIMD
 * loads read only the module's one memory, tfjs's heap, so the kernels' tables must lie there;
 * their blocks come from tfjs's own allocator (its tensors come from the same `_malloc`), so that
 * nothing else is ever placed over them, and are kept as long as the heap (once per heap). A data
 * segment would write at a fixed address of memory that emscripten manages, and a kept tensor
 * would show in tf.memory() and its leak checks.
 */
function placeBlock(allocate: HeapAllocator, bytes: number): number | undefined {
  const block = allocate(bytes + TABLE_ALIGN) >>> 0;
  return block === 0 ? undefined : Math.ceil(block / TABLE_ALIGN) * TABLE_ALIGN;
}

/**
 * The kernels on `memory` with their heap blocks: the Phi table (normal-table.ts) as float32 (16
 * KiB) and the block for decisionSums' per-call table (96 KiB).
 */
function instantiate(memory: WebAssembly.Memory, allocate: HeapAllocator): HeapKernels | null {
  const module = compile();
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  if (module === null || shared) return null;
  const values = normalTable();
  const table = placeBlock(allocate, Float32Array.BYTES_PER_ELEMENT * values.length);
  const decisionTable = placeBlock(allocate, 32 * DECISION_TABLE_ROWS);
  if (table === undefined || decisionTable === undefined) return null;
  // a view made after the allocations, which may have grown (and detached) the buffer
  new Float32Array(memory.buffer, table, values.length).set(values);
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const global = exports.normalTable;
  if (!(global instanceof WebAssembly.Global)) throw new Error('kernels.wat exports no normalTable global');
  global.value = table;
  return { ...(exports as unknown as SimdKernels), decisionTable };
}

/**
 * The kernels bound to `memory`, or undefined where they cannot run on it. The first call for a
 * heap places the Phi table with `allocate`, which may grow the memory: make views of the heap
 * after calling this.
 */
export function simdKernelsFor(
  memory: WebAssembly.Memory | undefined,
  allocate: HeapAllocator | undefined,
): HeapKernels | undefined {
  if (memory === undefined || !(memory instanceof WebAssembly.Memory) || allocate === undefined) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(memory, allocate);
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

/** The first of n entries left to a JavaScript loop: all of them without `simd`, else the last n % 4. */
export function jsStart(n: number, simd: SimdKernels | undefined): number {
  return simd === undefined ? 0 : n - (n % 4);
}
