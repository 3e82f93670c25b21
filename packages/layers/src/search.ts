/**
 * Searches a strong lottery ticket (a binary mask over frozen weights) in a user's Layers model
 * with slt's trainer, and writes it back as an ordinary `LayersModel` (Ramanujan et al. 2020;
 * continuously relaxed Bernoulli gates after Yamada et al. 2020 and Louizos et al. 2018).
 */
import { check } from '@slt/core';
import type { Dataset } from '@slt/data';
import { expandGate, gateShape } from '@slt/gates';
import {
  type EpochMetrics,
  methodDefaults,
  methods,
  type Progress,
  resolveConfig,
  type SearchConfig,
  type Summary,
  search,
} from '@slt/train';
import { dispose, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { applyMasks } from './apply-masks.js';
import { fromLayersModel } from './convert.js';

/** Options of {@link findTicket}. */
export interface FindTicketOptions {
  /**
   * Search settings (method, gate, targetSparsity, epochs, lr, dataset, backend, ...), merged over
   * the method's recipe and slt's defaults as the `slt search` command does.
   */
  readonly config?: Partial<SearchConfig>;
  /** An already loaded data set, instead of loading `config.dataset`. */
  readonly dataset?: Dataset;
  /** Stop after the current step (the result then holds the ticket so far). */
  readonly signal?: AbortSignal;
  /** Where step and epoch progress is reported (default: nowhere). */
  readonly progress?: Progress;
  /** Called after each epoch with its metrics (loss, binary and relaxed test accuracy, sparsity). */
  readonly onEpoch?: (metrics: EpochMetrics) => void;
}

/** A ticket found in a Layers model. */
export interface LayersTicket {
  /** A copy of the model with every prunable kernel multiplied by its mask (and rescale factor). */
  readonly model: LayersModel;
  /**
   * Binary masks (1 kept, 0 removed) by parameter name, in the gate's shape: the kernel's shape
   * for unstructured gates, one entry per output unit for structured ones.
   */
  readonly masks: ReadonlyMap<string, Uint8Array>;
  /** The factor each masked kernel was multiplied by (the config's `rescale`; 1 for `none`). */
  readonly scales: Readonly<Record<string, number>>;
  /** The search's summary (test accuracy of the binary ticket, sparsity, per-layer statistics). */
  readonly summary: Summary;
  /** One entry per epoch. */
  readonly metrics: readonly EpochMetrics[];
}

function rescaleFactor(config: SearchConfig, mask: Uint8Array): number {
  if (config.rescale === 'fixed') return 1 / Math.sqrt(1 - config.targetSparsity);
  if (config.rescale === 'none') return 1;
  let kept = 0;
  for (const m of mask) kept += m;
  return 1 / Math.sqrt(Math.max(kept / mask.length, 1e-6)); // as the trainer scales the binary ticket
}

/**
 * Finds a ticket in `net`: its Dense and Conv2D kernels stay frozen at their current values and
 * slt's gated search learns which to keep. Returns the masks and a masked copy of `net`; `net`
 * itself is not changed. Gated methods only (`dense` trains weights and has no ticket).
 */
export async function findTicket(net: LayersModel, options: FindTicketOptions = {}): Promise<LayersTicket> {
  const conversion = fromLayersModel(net);
  const partial = options.config ?? {};
  const method = methods.get(partial.method ?? 'crbg');
  check(method.gated, `method '${method.name}' trains weights and finds no ticket: use a gated method`);
  const config = resolveConfig(methodDefaults(method, { ...partial, model: conversion.model.name }), partial, {
    model: conversion.model.name,
  });
  const result = await search(config, {
    model: conversion.model,
    weights: conversion.weights,
    ...(options.dataset ? { dataset: options.dataset } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });
  const scales: Record<string, number> = {};
  const masks: Record<string, Tensor> = {};
  for (const spec of conversion.model.params) {
    const mask = result.masks.get(spec.name);
    if (!spec.prunable || mask === undefined) continue;
    scales[spec.name] = rescaleFactor(config, mask);
    // (parameter shape), or (units) for structured gates, made to broadcast against the kernel
    masks[spec.name] = tidy(() =>
      expandGate(tensor(Float32Array.from(mask), gateShape(spec, config.gates)), spec, config.gates),
    );
  }
  try {
    const model = await applyMasks(net, masks, { scales });
    return { model, masks: result.masks, scales, summary: result.summary, metrics: result.metrics };
  } finally {
    dispose(Object.values(masks));
  }
}
