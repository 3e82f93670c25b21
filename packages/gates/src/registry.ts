import { Registry } from '@slt/core';
import { edgePopupGate } from './edge-popup.js';
import type { Gate, GateOptions } from './gate.js';
import { gaussianGate } from './gaussian.js';
import { hardConcreteGate } from './hard-concrete.js';
import { randomMaskGate } from './random-mask.js';
import { supermaskGate } from './supermask.js';

/** Makes a gate of the given shape from family-specific options. */
export type GateFactory = (shape: readonly number[], options: GateOptions & Record<string, unknown>) => Gate;

/** Gate families by name. */
export const gates = new Registry<GateFactory>('gate')
  .register('gaussian', gaussianGate)
  .register('hard-concrete', hardConcreteGate)
  .register('edge-popup', edgePopupGate)
  .register('supermask', supermaskGate)
  .register('random', randomMaskGate);

/** Creates a gate of family `kind`; an unknown kind throws with the known families. */
export function createGate(
  kind: string,
  shape: readonly number[],
  options: GateOptions & Record<string, unknown> = {},
): Gate {
  return gates.get(kind)(shape, options);
}
