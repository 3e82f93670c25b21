import { gatedPerUnit } from '@slt/gates';
import type { Model } from '@slt/models';
import { weightedMean } from '@slt/regularizers';
import { concat, dispose, reshape, tidy } from '@tensorflow/tfjs-core';
import type { GatedNetwork } from './gating.js';

/** Sparsity of one parameter of the ticket. */
export interface LayerStats {
  readonly name: string;
  readonly shape: readonly number[];
  /** Fraction of this parameter's weights the binary mask removes. */
  readonly sparsity: number;
  /** Structured: fraction of its units removed; else null. */
  readonly unit_sparsity: number | null;
}

/** Histogram of P(keep) over all gates: 20 equal bins over [0, 1]. */
export interface Histogram {
  readonly edges: number[];
  readonly counts: number[];
}

/** `summary.json` (DESIGN's stable keys first). */
export interface Summary {
  method: string;
  model: string;
  dataset: string;
  gates: 'unstructured' | 'structured';
  test_acc: number | null;
  test_acc_relaxed: number | null;
  sparsity: number;
  unit_sparsity: number | null;
  target_sparsity: number | null;
  epochs: number;
  seconds_per_epoch: number | null;
  seed: number;
  backend: string;
  ticket: string | null;
  layers: LayerStats[];
  p_keep_histogram: Histogram | null;
}

/** What the gates say about the ticket right now. */
export interface TicketStats {
  readonly sparsity: number;
  readonly expectedSparsity: number;
  readonly unitSparsity: number | null;
  readonly layers: readonly LayerStats[];
  readonly histogram: Histogram | null;
  /** 0/1 masks by parameter name, in the gate's shape (parameter shape, or [units] when structured). */
  readonly masks: Map<string, Uint8Array>;
}

const BINS = 20;

/**
 * Reads the binary masks once and counts them: the reported sparsity is the counted zeros of
 * the exact masks a ticket stores.
 */
export function describeTicket(model: Model, network: GatedNetwork | undefined): TicketStats {
  if (network === undefined) {
    const layers = model.params
      .filter((p) => p.prunable)
      .map((p) => ({ name: p.name, shape: p.shape, sparsity: 0, unit_sparsity: null }));
    return { sparsity: 0, expectedSparsity: 0, unitSparsity: null, layers, histogram: null, masks: new Map() };
  }
  const structured = network.options.structure === 'structured';
  const gateMasks = new Map<string, Uint8Array>();
  for (const [key, gate] of network.gates) {
    const mask = gate.mask();
    gateMasks.set(key, Uint8Array.from(mask.dataSync()));
    mask.dispose();
  }
  const masks = new Map<string, Uint8Array>();
  const layers: LayerStats[] = [];
  let kept = 0;
  let total = 0;
  let unitsKept = 0;
  let units = 0;
  for (const { spec, gateKey } of network.entries) {
    const mask = gateMasks.get(gateKey) as Uint8Array;
    masks.set(spec.name, mask);
    const ones = mask.reduce((a, b) => a + b, 0);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const keptWeights = (ones * size) / mask.length;
    kept += keptWeights;
    total += size;
    const perUnit = gatedPerUnit(spec, network.options.structure);
    if (perUnit) {
      unitsKept += ones;
      units += mask.length;
    }
    layers.push({
      name: spec.name,
      shape: spec.shape,
      sparsity: (size - keptWeights) / size,
      unit_sparsity: perUnit ? (mask.length - ones) / mask.length : null,
    });
  }
  const expectedDensity = tidy(() => weightedMean(network.groups, (g) => g.pKeep()));
  const expectedSparsity = 1 - (expectedDensity.dataSync()[0] as number);
  expectedDensity.dispose();
  const pKeep = tidy(() => concat([...network.gates.values()].map((g) => reshape(g.pKeep(), [-1]))));
  const values = pKeep.dataSync();
  dispose(pKeep);
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor(v * BINS))] += 1;
  return {
    sparsity: total === 0 ? 0 : (total - kept) / total,
    expectedSparsity,
    unitSparsity: structured && units > 0 ? (units - unitsKept) / units : null,
    layers,
    histogram: { edges: Array.from({ length: BINS + 1 }, (_, i) => i / BINS), counts },
    masks,
  };
}
