// Loads an slt ticket in the browser: decode the .slt bytes, regenerate the frozen weights from the
// seed with slt's PRNG (bit-identical to Node), apply the masks, and classify on the active backend.

import type { DatasetInfo } from '@slt/data';
import * as infos from '@slt/data/info';
import { normalizeImages } from '@slt/data/tensors';
import type { Model } from '@slt/models';
import { decodeTicket, rebuildWeights, type Ticket, weightTensors } from '@slt/ticket';
import { softmax, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';

/** A ticket ready to classify. */
export interface LoadedTicket {
  readonly ticket: Ticket;
  readonly model: Model;
  readonly info: DatasetInfo;
  readonly weights: Record<string, Tensor>;
  /** Size of the .slt file in bytes. */
  readonly bytes: number;
  /** Milliseconds spent regenerating and masking the weights. */
  readonly rebuildMs: number;
}

function datasetInfo(name: string): DatasetInfo {
  const found = Object.values(infos).find(
    (v): v is DatasetInfo => typeof v === 'object' && v !== null && v.name === name,
  );
  if (found === undefined) throw new Error(`no data set facts for '${name}'`);
  return found;
}

/** Fetches and rebuilds the ticket at `url`. */
export async function loadTicket(url: string): Promise<LoadedTicket> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const start = performance.now();
  const ticket = decodeTicket(bytes);
  const { model, weights } = rebuildWeights(ticket);
  const rebuildMs = performance.now() - start;
  return {
    ticket,
    model,
    info: datasetInfo(ticket.dataset),
    weights: weightTensors(model, weights),
    bytes: bytes.length,
    rebuildMs,
  };
}

/** Class probabilities (count, classes) of `count` images with pixels in [0, 1] (HWC order). */
export function probabilities(loaded: LoadedTicket, pixels: Float32Array, count: number): Tensor {
  return tidy(() => {
    const x = normalizeImages(tensor(pixels, [count, ...loaded.info.inputShape]), loaded.info);
    return softmax(loaded.model.apply(loaded.weights, x, { training: false }));
  });
}

/** Classifies `count` images; returns probabilities and the milliseconds the call took. */
export async function classify(
  loaded: LoadedTicket,
  pixels: Float32Array,
  count: number,
): Promise<{ probabilities: Float32Array; ms: number }> {
  const start = performance.now();
  const probs = probabilities(loaded, pixels, count);
  const values = (await probs.data()) as Float32Array;
  const ms = performance.now() - start;
  probs.dispose();
  return { probabilities: values, ms };
}
