export { check, InputError, isInputError } from './input-error.js';
export {
  detCos,
  detLog,
  detSin,
  normals,
  type PhiloxKey,
  philoxBlock,
  randomWords,
  streamKey,
  toUnitInterval,
  uniforms,
} from './prng.js';
export { Registry } from './registry.js';
