/**
 * The optimisers of a search, written out so their state is plain tensors a checkpoint can save
 * and the learning rate can change every step. Adam: Kingma and Ba 2015 (bias correction folded
 * into the step size); SGD with momentum and decoupled-from-nothing L2 weight decay as in
 * PyTorch's `torch.optim.SGD` (g + wd * p, then the momentum buffer).
 */
import {
  add,
  div,
  mul,
  type NamedTensorMap,
  scalar,
  sqrt,
  square,
  sub,
  type Tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';

/** An optimiser over a fixed list of variables. */
export interface Optimizer {
  /** Applies one update with learning rate `lr` from gradients keyed by variable name. */
  step(grads: NamedTensorMap, lr: number): void;
  /** State tensors by name, for checkpoints (the step count is returned separately). */
  state(): { tensors: Map<string, Tensor>; steps: number };
  /** Restores the state saved by {@link Optimizer.state} (copies the tensors). */
  restore(tensors: Map<string, Tensor>, steps: number): void;
  /** Frees the state tensors. */
  dispose(): void;
}

/** Options of {@link createOptimizer}. */
export interface OptimizerOptions {
  readonly kind: 'adam' | 'sgd';
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

interface AdamAttrs {
  readonly stepSize: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsHat: number;
  readonly weightDecay: number;
}

/**
 * One Adam step for one variable: new (p, m, v). (A fused single-pass JavaScript kernel was
 * measured no faster than these WASM ops, whose kernels are SIMD; see benchmarks/speed.)
 */
function adamUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, a: AdamAttrs): Tensor[] {
  const grad = a.weightDecay > 0 ? add(g, mul(p, scalar(a.weightDecay))) : g;
  const m2 = add(mul(m, scalar(a.beta1)), mul(grad, scalar(1 - a.beta1)));
  const v2 = add(mul(v, scalar(a.beta2)), mul(square(grad), scalar(1 - a.beta2)));
  return [sub(p, div(mul(m2, scalar(a.stepSize)), add(sqrt(v2), scalar(a.epsHat)))), m2, v2];
}

/** Creates an Adam or SGD optimiser for `variables`. */
export function createOptimizer(variables: readonly Variable[], options: OptimizerOptions): Optimizer {
  const slots = options.kind === 'adam' ? ['m', 'v'] : ['buf'];
  const state = new Map<string, Variable>();
  for (const v of variables) {
    for (const slot of slots)
      state.set(
        `${v.name}/${slot}`,
        tidy(() => zerosLike(v).variable(false)),
      );
  }
  let steps = 0;
  const weightDecay = options.weightDecay ?? 0;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const momentum = options.momentum ?? 0.9;
  return {
    step(grads, lr) {
      steps += 1;
      tidy(() => {
        if (options.kind === 'adam') {
          const stepSize = (lr * Math.sqrt(1 - beta2 ** steps)) / (1 - beta1 ** steps);
          const epsHat = epsilon * Math.sqrt(1 - beta2 ** steps);
          for (const v of variables) {
            const g = grads[v.name];
            if (g === undefined) continue;
            const m = state.get(`${v.name}/m`) as Variable;
            const s = state.get(`${v.name}/v`) as Variable;
            const [p2, m2, s2] = adamUpdate(v, g, m, s, { stepSize, beta1, beta2, epsHat, weightDecay });
            m.assign(m2 as Tensor);
            s.assign(s2 as Tensor);
            v.assign(p2 as Tensor);
          }
        } else {
          for (const v of variables) {
            let g = grads[v.name];
            if (g === undefined) continue;
            if (weightDecay > 0) g = add(g, mul(v, scalar(weightDecay)));
            const buf = state.get(`${v.name}/buf`) as Variable;
            buf.assign(steps === 1 ? g : add(mul(buf, scalar(momentum)), g));
            v.assign(sub(v, mul(buf, scalar(lr))));
          }
        }
      });
    },
    state: () => ({ tensors: new Map(state), steps }),
    restore(tensors, restoredSteps) {
      for (const [name, variable] of state) {
        const saved = tensors.get(name);
        if (saved === undefined) throw new Error(`checkpoint lacks optimiser state '${name}'`);
        variable.assign(saved);
      }
      steps = restoredSteps;
    },
    dispose() {
      for (const v of state.values()) v.dispose();
    },
  };
}
