export { check, InputError, isInputError } from './input-error.js';
export { Registry } from './registry.js';
export {
  detCos,
  detLog,
  detSin,
  normals,
  philoxBlock,
  randomWords,
  streamKey,
  toUnitInterval,
  uniforms,
  type PhiloxKey,
} from './prng.js';
