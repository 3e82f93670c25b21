import { type Tensor, type Variable, zeros } from '@tensorflow/tfjs-core';
import type { Gate } from './gate.js';

/** What distinguishes a gate whose mask is decided by a rule (top-k, a fixed random draw). */
export interface MaskRuleParts {
  readonly kind: string;
  readonly shape: readonly number[];
  readonly params: () => Variable[];
  /** The training-time value (with its straight-through gradient, if any). */
  readonly sample: () => Tensor;
  /** The binary mask. */
  readonly mask: () => Tensor;
  readonly dispose: () => void;
}

/**
 * A {@link Gate} for a mask rule: the mask is always decided, so its probabilities are the mask
 * itself, nothing is undecided, and there is nothing to project.
 */
export function maskRuleGate(parts: MaskRuleParts): Gate {
  return {
    kind: parts.kind,
    shape: parts.shape,
    params: parts.params,
    sample: parts.sample,
    deterministic: parts.mask,
    mask: parts.mask,
    pOpen: parts.mask,
    pKeep: parts.mask,
    pUndecided: () => zeros([...parts.shape]),
    project: () => {},
    dispose: parts.dispose,
  };
}
