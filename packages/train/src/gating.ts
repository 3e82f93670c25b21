/**
 * Gating outside the model: the model is `apply(weights, x)`, and the search hands it `W * z`
 * (times a per-layer rescale) instead of `W`. Any model written as a pure function is gated
 * without changing it.
 */
import type { Gate, GateStructure, NoiseSource } from '@slt/gates';
import { createGate, expandGate, gatedPerUnit, gatedWeight, gateShape, inputFeed, weightsPerGate } from '@slt/gates';
import type { ParamSpec, Weights } from '@slt/models';
import type { GatedGroup, GroupInput } from '@slt/regularizers';
import { mul, onesLike, type Tensor } from '@tensorflow/tfjs-core';

/** How a layer's kept weights are scaled (see `SearchConfig.rescale`). */
export type Rescale = 'mask' | 'fixed' | 'none';

/** Which value of the gates to use: the relaxed training sample, its noise-free value, or the binary mask. */
export type GateMode = 'sample' | 'deterministic' | 'mask';

/** Options of {@link GatedNetwork}. */
export interface GatedNetworkOptions {
  readonly gate: string;
  readonly structure: GateStructure;
  readonly rescale: Rescale;
  readonly targetSparsity: number;
  /** Extra options for the gate factory (sigma, init, limits, ...). */
  readonly gateOptions: Record<string, unknown>;
}

interface GatedEntry {
  readonly spec: ParamSpec;
  /** Key of the gate this parameter uses (shared by a structured `unitGroup`). */
  readonly gateKey: string;
}

/** The frozen weights of a model together with the gates over its prunable parameters. */
export class GatedNetwork {
  readonly gates = new Map<string, Gate>();
  readonly entries: readonly GatedEntry[];
  /** One group per gate tensor, for the regulariser: weights per gate counted over its parameters. */
  readonly groups: readonly GatedGroup[];

  constructor(
    readonly params: readonly ParamSpec[],
    readonly frozen: Weights,
    readonly options: GatedNetworkOptions,
  ) {
    const entries: GatedEntry[] = [];
    const perGate = new Map<string, number>();
    for (const spec of params) {
      if (!spec.prunable) continue;
      const gateKey =
        gatedPerUnit(spec, options.structure) && spec.unitGroup !== undefined ? spec.unitGroup : spec.name;
      if (!this.gates.has(gateKey)) {
        this.gates.set(
          gateKey,
          createGate(options.gate, gateShape(spec, options.structure), {
            ...options.gateOptions,
            name: gateKey,
            targetSparsity: options.targetSparsity,
          }),
        );
      }
      perGate.set(gateKey, (perGate.get(gateKey) ?? 0) + weightsPerGate(spec, options.structure));
      entries.push({ spec, gateKey });
    }
    this.entries = entries;
    // Structured gates: a gate tensor whose weights take their inputs from another's unit gates
    // records that producer, so the regulariser counts a weight as the ticket does (kept only when
    // the unit feeding it is kept too).
    const keys = [...this.gates.keys()];
    const gated = entries.map((e) => e.spec);
    const inputs = new Map<string, GroupInput>();
    for (const { spec, gateKey } of entries) {
      const feed = inputFeed(spec, gated, options.structure);
      if (feed === undefined) continue;
      if (perGate.get(gateKey) !== weightsPerGate(spec, options.structure))
        throw new RangeError(
          `parameter '${spec.name}' shares its gates with another, so its inputUnits cannot be counted`,
        );
      const producer = keys.indexOf(entries.find((e) => e.spec.name === feed.from.name)?.gateKey as string);
      const perUnit = gatedPerUnit(spec, options.structure);
      inputs.set(gateKey, { producer, weightsPerPair: feed.weightsPerPair, ...(perUnit ? {} : { view: feed.view }) });
    }
    this.groups = [...this.gates].map(([key, gate]) => {
      const input = inputs.get(key);
      return { gate, weightsPerGate: perGate.get(key) as number, ...(input === undefined ? {} : { input }) };
    });
  }

  /** Every trainable gate variable. */
  variables() {
    return [...this.gates.values()].flatMap((g) => g.params());
  }

  /**
   * The weights the model sees: W * z * rescale for gated parameters, W for the rest (call inside
   * `tidy`). Each gate tensor is drawn once, in the gates' order (a structured gate may serve
   * several parameters); a training sample of one gate per entry goes through the gate's fused
   * `sampledWeight` where it has one.
   */
  effectiveWeights(mode: GateMode, noise?: NoiseSource): Weights {
    const weights: Record<string, Tensor> = { ...this.frozen };
    const { rescale, structure, targetSparsity } = this.options;
    const scale = rescale === 'fixed' ? 1 / Math.sqrt(1 - targetSparsity) : 1;
    const values = new Map<string, Tensor>();
    for (const { spec, gateKey } of this.entries) {
      const gate = this.gates.get(gateKey) as Gate;
      const w = this.frozen[spec.name];
      // A gate per entry serves only its own parameter (shared gates are per unit), so its fused
      // draw is still the gate's one draw this step.
      if (mode === 'sample' && gate.sampledWeight !== undefined && !gatedPerUnit(spec, structure)) {
        weights[spec.name] = gate.sampledWeight(w, noise, scale, rescale === 'mask');
        continue;
      }
      let z = values.get(gateKey);
      if (z === undefined) {
        z = mode === 'sample' ? gate.sample(noise) : mode === 'deterministic' ? gate.deterministic() : gate.mask();
        values.set(gateKey, z);
      }
      // gatedWeight takes gates per entry or per unit of the last axis; other layouts (units on
      // another axis, heads spanning several units) are broadcast to the weight's shape first.
      const direct =
        structure === 'unstructured' || (spec.unitAxis === spec.shape.length - 1 && (spec.unitSize ?? 1) === 1);
      const gates = direct ? z : mul(expandGate(z, spec, structure), onesLike(w));
      weights[spec.name] = gatedWeight(w, gates, scale, rescale === 'mask');
    }
    return weights;
  }

  /** Binary masks by gate key (strictly 0/1), to be disposed by the caller. */
  masks(): Map<string, Tensor> {
    return new Map([...this.gates].map(([key, gate]) => [key, gate.mask()]));
  }

  /** Frees every gate's variables. */
  dispose(): void {
    for (const g of this.gates.values()) g.dispose();
  }
}
