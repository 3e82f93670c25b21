/**
 * Gating outside the model: the model is `apply(weights, x)`, and the search hands it `W * z`
 * (times a per-layer rescale) instead of `W`. Any model written as a pure function is gated
 * without changing it.
 */
import type { Gate, GateStructure, NoiseSource } from '@slt/gates';
import { createGate, expandGate, gateShape, weightsPerGate } from '@slt/gates';
import type { ParamSpec, Weights } from '@slt/models';
import type { GatedGroup } from '@slt/regularizers';
import {
  customGrad,
  type GradSaveFunc,
  maximum,
  mean,
  mul,
  rsqrt,
  scalar,
  square,
  type Tensor,
  zerosLike,
} from '@tensorflow/tfjs-core';

/** How a layer's kept weights are scaled (see `SearchConfig.rescale`). */
export type Rescale = 'mask' | 'fixed' | 'none';

/** Which value of the gates to use: the relaxed training sample, its noise-free value, or the binary mask. */
export type GateMode = 'sample' | 'deterministic' | 'mask';

/** Identity whose gradient is zero: the rescale factor is a statistic, not a path for gradients. */
const detach = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
  const x = args[0] as Tensor;
  return { value: mul(x, scalar(1)), gradFunc: (dy: Tensor) => zerosLike(dy) };
});

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
      const gateKey = options.structure === 'structured' && spec.unitGroup !== undefined ? spec.unitGroup : spec.name;
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
    this.groups = [...this.gates].map(([key, gate]) => ({ gate, weightsPerGate: perGate.get(key) as number }));
  }

  /** Every trainable gate variable. */
  variables() {
    return [...this.gates.values()].flatMap((g) => g.params());
  }

  /** Gate values of every gate tensor in `mode` (call inside `tidy`). */
  gateValues(mode: GateMode, noise?: NoiseSource): Map<string, Tensor> {
    const values = new Map<string, Tensor>();
    for (const [key, gate] of this.gates) {
      values.set(
        key,
        mode === 'sample' ? gate.sample(noise) : mode === 'deterministic' ? gate.deterministic() : gate.mask(),
      );
    }
    return values;
  }

  /** The weights the model sees: W * z * rescale for gated parameters, W for the rest (call inside `tidy`). */
  effectiveWeights(mode: GateMode, noise?: NoiseSource): Weights {
    const values = this.gateValues(mode, noise);
    const weights: Record<string, Tensor> = { ...this.frozen };
    const fixedScale = 1 / Math.sqrt(1 - this.options.targetSparsity);
    for (const { spec, gateKey } of this.entries) {
      const z = values.get(gateKey) as Tensor;
      let w = mul(this.frozen[spec.name], expandGate(z, spec, this.options.structure));
      if (this.options.rescale === 'fixed') w = mul(w, scalar(fixedScale));
      else if (this.options.rescale === 'mask') {
        // Mean of z^2 is the layer's (soft) density; for a binary mask it is the kept fraction.
        w = mul(w, rsqrt(maximum(detach(mean(square(z))), scalar(1e-6))));
      }
      weights[spec.name] = w;
    }
    return weights;
  }

  /** Binary masks by gate key (strictly 0/1), to be disposed by the caller. */
  masks(): Map<string, Tensor> {
    return new Map([...this.gates].map(([key, gate]) => [key, gate.mask()]));
  }

  dispose(): void {
    for (const g of this.gates.values()) g.dispose();
  }
}
