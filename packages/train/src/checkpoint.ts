/**
 * Checkpoints: every tensor a search mutates (gate parameters or trained weights, optimiser
 * state, the regulariser's multiplier) plus the position in the run, in one safetensors file
 * written atomically, so an interrupted search resumes bit-exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@slt/core';
import { makeDirectory, writeFileAtomic } from '@slt/core/node';
import { type RawTensor, readSafetensors, writeSafetensors } from '@slt/ticket';
import { type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { EpochMetrics } from './metrics.js';

/** Where the run stands, stored beside the tensors. */
export interface RunPosition {
  /** Epochs completed. */
  readonly epoch: number;
  /** Batches of the current epoch already done (0 at an epoch boundary). */
  readonly batch: number;
  /** Optimisation steps taken. */
  readonly steps: number;
  /** Sum of the train loss over the current epoch's finished batches. */
  readonly lossSum: number;
  /** Seconds spent training in the current epoch before the interruption. */
  readonly seconds: number;
  /** Regulariser state (e.g. the multiplier of `target`). */
  readonly regularizer: Record<string, number>;
  /** One entry per finished epoch, as written to metrics.jsonl. */
  readonly metrics: readonly EpochMetrics[];
  /** The config the run was started with: resuming with another one is an error. */
  readonly configHash: string;
}

const FILE = 'state.safetensors';

/** Writes the tensors and position into `dir/checkpoint/` atomically. */
export function saveCheckpoint(dir: string, tensors: ReadonlyMap<string, Tensor>, position: RunPosition): void {
  const folder = join(dir, 'checkpoint');
  makeDirectory(folder);
  const raw = new Map<string, RawTensor>();
  for (const [name, t] of tensors) {
    const values = t.dataSync() as Float32Array;
    raw.set(name, {
      dtype: 'F32',
      shape: t.shape,
      bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice(),
    });
  }
  writeFileAtomic(
    join(folder, FILE),
    writeSafetensors({ tensors: raw, metadata: { position: JSON.stringify(position) } }),
  );
}

/** Reads a checkpoint written by {@link saveCheckpoint}, or undefined when there is none. */
export function loadCheckpoint(dir: string): { tensors: Map<string, Tensor>; position: RunPosition } | undefined {
  const path = join(dir, 'checkpoint', FILE);
  if (!existsSync(path)) return undefined;
  const file = readSafetensors(new Uint8Array(readFileSync(path)), path);
  const positionText = file.metadata.position;
  if (positionText === undefined) throw new InputError(`${path}: not an slt checkpoint (no position)`);
  const tensors = new Map<string, Tensor>();
  for (const [name, raw] of file.tensors) {
    const copy = raw.bytes.slice();
    tensors.set(name, tensor(new Float32Array(copy.buffer, 0, copy.byteLength / 4), [...raw.shape]));
  }
  return { tensors, position: JSON.parse(positionText) as RunPosition };
}
