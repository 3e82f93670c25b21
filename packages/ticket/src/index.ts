export { countOnes, type MaskValues, packBits, packedLength, unpackBits } from './bits.js';
export {
  type CompactNetwork,
  compactNetwork,
  type DenseWeights,
  denseSafetensors,
  type ExportedLayer,
  readDenseSafetensors,
  TFJS_WEIGHTS_FILE,
  type TfjsArtifacts,
  type TfjsModelJson,
  tfjsArtifacts,
} from './export.js';
export { fingerprintOf, float32Bytes, weightFingerprint } from './fingerprint.js';
export { decodeTicket, encodeTicket, type TicketExpectation, VERSION_KEY } from './format.js';
export { expandMask, fixedScale, maskedWeight, type RebuiltTicket, rebuildWeights, weightTensors } from './rebuild.js';
export { MAX_RICE_K, type RiceCoded, type RiceParams, riceDecode, riceEncode } from './rice.js';
export {
  type RawTensor,
  readSafetensors,
  type SafetensorsDtype,
  type SafetensorsFile,
  writeSafetensors,
} from './safetensors.js';
export { Sha256, sha256Hex } from './sha256.js';
export {
  createTicket,
  type MaskEncoding,
  maskSparsity,
  prunableParams,
  type RescaleMode,
  TICKET_VERSION,
  type Ticket,
  type TicketOptions,
  ticketModel,
} from './ticket.js';
