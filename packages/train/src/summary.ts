import type { EvaluatedSplit } from '@slt/data';
import { countKept, gatedPerUnit, type ParamCount } from '@slt/gates';
import type { Model } from '@slt/models';
import { expectedDensity } from '@slt/regularizers';
import { concat, dispose, reshape, tidy } from '@tensorflow/tfjs-core';
import type { GatedNetwork } from './gating.js';

/** Sparsity of one parameter of the ticket. */
export interface LayerStats {
  readonly name: string;
  readonly shape: readonly number[];
  /**
   * Fraction of this parameter's weights the binary masks remove (structured: its own removed
   * units and the inputs its producer's removed units fed).
   */
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
  /**
   * The split `test_acc` and `test_acc_relaxed` (and metrics.jsonl's) were measured on: the test
   * split, or a validation split held out of training (`valSplit`). Absent in older runs: test.
   */
  evaluated_on?: EvaluatedSplit;
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
  /**
   * The binary ticket's accuracy on the training split after the last epoch: how closely it fits
   * what it was searched on (against `test_acc`, what it generalises). Null for a stopped search.
   */
  train_acc: number | null;
  layers: LayerStats[];
  p_keep_histogram: Histogram | null;
}

/** How the progress and final lines name the accuracy: `val_acc` on a validation split, else `test_acc`. */
export function accuracyLabel(split: EvaluatedSplit | undefined): 'val_acc' | 'test_acc' {
  return split === 'validation' ? 'val_acc' : 'test_acc';
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
 * the exact masks a ticket stores, counted as `countKept` of `@slt/gates` (and a ticket file)
 * counts them: with structured gates a weight is kept only when its own unit and the unit feeding
 * its input are kept, the network `slt export` builds.
 */
export function describeTicket(model: Model, network: GatedNetwork | undefined): TicketStats {
  if (network === undefined) {
    const layers = model.params
      .filter((p) => p.prunable)
      .map((p) => ({ name: p.name, shape: p.shape, sparsity: 0, unit_sparsity: null }));
    return { sparsity: 0, expectedSparsity: 0, unitSparsity: null, layers, histogram: null, masks: new Map() };
  }
  const { structure } = network.options;
  const gateMasks = new Map<string, Uint8Array>();
  for (const [key, gate] of network.gates) {
    const mask = gate.mask();
    gateMasks.set(key, Uint8Array.from(mask.dataSync()));
    mask.dispose();
  }
  const masks = new Map<string, Uint8Array>();
  for (const { spec, gateKey } of network.entries) masks.set(spec.name, gateMasks.get(gateKey) as Uint8Array);
  const specs = network.entries.map((e) => e.spec);
  const count = countKept(specs, structure, masks);
  let unitsKept = 0;
  let units = 0;
  const layers: LayerStats[] = specs.map((spec, i) => {
    const mask = masks.get(spec.name) as Uint8Array;
    const { kept, total } = count.params[i] as ParamCount;
    const perUnit = gatedPerUnit(spec, structure);
    const ones = perUnit ? mask.reduce((a, b) => a + b, 0) : 0;
    if (perUnit) {
      unitsKept += ones;
      units += mask.length;
    }
    return {
      name: spec.name,
      shape: spec.shape,
      sparsity: (total - kept) / total,
      unit_sparsity: perUnit ? (mask.length - ones) / mask.length : null,
    };
  });
  const expected = expectedDensity(network.groups);
  const expectedSparsity = 1 - (expected.dataSync()[0] as number);
  expected.dispose();
  const pKeep = tidy(() => concat([...network.gates.values()].map((g) => reshape(g.pKeep(), [-1]))));
  const values = pKeep.dataSync();
  dispose(pKeep);
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor(v * BINS))] += 1;
  return {
    sparsity: count.sparsity,
    expectedSparsity,
    unitSparsity: structure === 'structured' && units > 0 ? (units - unitsKept) / units : null,
    layers,
    histogram: { edges: Array.from({ length: BINS + 1 }, (_, i) => i / BINS), counts },
    masks,
  };
}
