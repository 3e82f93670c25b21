/**
 * The `.slt` file: a safetensors container (so Python's `safetensors` reads it) holding one U8
 * tensor per prunable parameter, its mask, plus string metadata. See the package README for the
 * full layout. Reading validates everything and reports any problem as a one-line InputError.
 */
import { check, InputError, isInputError } from '@slt/core';
import { gateShape } from '@slt/gates';
import type { Model } from '@slt/models';
import { packBits, packedLength, unpackBits } from './bits.js';
import { riceDecode, riceEncode } from './rice.js';
import { type RawTensor, readSafetensors, writeSafetensors } from './safetensors.js';
import { maskSparsity, prunableParams, type RescaleMode, TICKET_VERSION, type Ticket, ticketModel } from './ticket.js';

/** The metadata key that marks an slt ticket; its value is the format version. */
export const VERSION_KEY = 'slt_ticket';

/** What the reader of a ticket expects it to be for; a mismatch is a one-line InputError. */
export interface TicketExpectation {
  readonly model?: string;
  /** Input shape of one example (the data set's), e.g. [28, 28, 1]. */
  readonly inputShape?: readonly number[];
  readonly classes?: number;
  readonly dataset?: string;
}

/** Serialises `ticket` to the bytes of an `.slt` file. */
export function encodeTicket(ticket: Ticket): Uint8Array {
  const model = ticketModel(ticket);
  const tensors = new Map<string, RawTensor>();
  const shapes: Record<string, number[]> = {};
  const rice: Record<string, [number, 0 | 1, number]> = {};
  for (const spec of prunableParams(model)) {
    const mask = ticket.masks.get(spec.name);
    if (mask === undefined) throw new RangeError(`ticket has no mask for '${spec.name}'`);
    let bytes = packBits(mask);
    if (ticket.encoding === 'rice') {
      const coded = riceEncode(mask);
      if (coded.bytes.length < bytes.length) {
        bytes = coded.bytes;
        rice[spec.name] = [coded.k, coded.symbol, coded.count];
      }
    }
    shapes[spec.name] = gateShape(spec, ticket.structure);
    tensors.set(spec.name, { dtype: 'U8', shape: [bytes.length], bytes });
  }
  const metadata: Record<string, string> = {
    [VERSION_KEY]: String(ticket.version),
    model: ticket.model,
    model_args: JSON.stringify(ticket.modelArgs),
    init: ticket.init,
    seed: String(ticket.seed),
    gate: ticket.gate,
    structure: ticket.structure,
    rescale: ticket.rescale,
    target_sparsity: JSON.stringify(ticket.targetSparsity),
    dataset: ticket.dataset,
    sparsity: String(Math.round(ticket.sparsity * 1e6) / 1e6),
    weights_sha256: ticket.fingerprint,
    masks: JSON.stringify(shapes),
  };
  if (ticket.encoding === 'rice') metadata.rice = JSON.stringify(rice);
  return writeSafetensors({ tensors, metadata });
}

function field(metadata: Record<string, string>, key: string): string {
  const value = metadata[key];
  check(value !== undefined, `ticket: metadata '${key}' is missing`);
  return value;
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`ticket: metadata '${key}' is not valid JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeText(shape: readonly number[]): string {
  return shape.join('x');
}

/** Checks the ticket's model against what the caller expects; throws a one-line InputError. */
function checkExpectation(
  model: string,
  args: Record<string, unknown>,
  dataset: string,
  expected: TicketExpectation,
): void {
  const inputShape = args.inputShape as number[];
  const describe = `${model} on ${dataset} (input ${shapeText(inputShape)}, ${String(args.classes)} classes)`;
  if (expected.model !== undefined) check(expected.model === model, `ticket is for ${describe}, not ${expected.model}`);
  if (expected.dataset !== undefined)
    check(expected.dataset === dataset, `ticket is for ${describe}, not ${expected.dataset}`);
  if (expected.inputShape !== undefined) {
    check(
      shapeText(expected.inputShape) === shapeText(inputShape),
      `ticket is for ${describe}, not input ${shapeText(expected.inputShape)}`,
    );
  }
  if (expected.classes !== undefined) {
    check(expected.classes === args.classes, `ticket is for ${describe}, not ${expected.classes} classes`);
  }
}

function buildModel(name: string, args: Record<string, unknown>): Model {
  try {
    return ticketModel({ model: name, modelArgs: args });
  } catch (error) {
    if (isInputError(error)) throw new InputError(`ticket: ${error.message}`);
    throw new InputError(`ticket: cannot build ${name} from its arguments (${(error as Error).message})`);
  }
}

function decodeMask(
  name: string,
  shape: unknown,
  rice: unknown,
  tensor: RawTensor | undefined,
  expectedShape: number[],
): Uint8Array {
  const what = `ticket mask '${name}'`;
  check(tensor !== undefined, `${what}: tensor is missing`);
  check(tensor.dtype === 'U8' && tensor.shape.length === 1, `${what}: expected a 1-D U8 tensor`);
  check(
    Array.isArray(shape) && shapeText(shape as number[]) === shapeText(expectedShape),
    `${what}: shape ${JSON.stringify(shape)} does not match the model's ${JSON.stringify(expectedShape)}`,
  );
  const count = expectedShape.reduce((a, b) => a * b, 1);
  if (rice === undefined) {
    check(tensor.bytes.length === packedLength(count), `${what}: ${tensor.bytes.length} bytes for ${count} bits`);
    return unpackBits(tensor.bytes, count, what);
  }
  check(Array.isArray(rice) && rice.length === 3, `${what}: Rice parameters are not [k, symbol, count]`);
  const [k, symbol, symbols] = rice as unknown[];
  check(
    typeof k === 'number' && typeof symbols === 'number' && (symbol === 0 || symbol === 1),
    `${what}: bad Rice parameters`,
  );
  return riceDecode({ k, symbol, count: symbols, bytes: tensor.bytes }, count, what);
}

/**
 * Parses and validates the bytes of an `.slt` file: container, metadata, version, model,
 * masks (shapes, bit counts, zero padding) and the recorded sparsity. The weights' fingerprint is
 * checked when the ticket is rebuilt ({@link rebuildWeights}). Throws InputError on any problem.
 */
export function decodeTicket(bytes: Uint8Array, expected: TicketExpectation = {}): Ticket {
  const file = readSafetensors(bytes, 'ticket');
  const meta = file.metadata;
  check(meta[VERSION_KEY] !== undefined, `ticket: not an slt ticket (no '${VERSION_KEY}' in its metadata)`);
  const version = Number(meta[VERSION_KEY]);
  check(Number.isInteger(version) && version >= 1, `ticket: bad format version ${JSON.stringify(meta[VERSION_KEY])}`);
  check(
    version <= TICKET_VERSION,
    `ticket: format version ${version} is newer than this slt reads (${TICKET_VERSION})`,
  );
  const modelName = field(meta, 'model');
  const args = parseJson(field(meta, 'model_args'), 'model_args');
  check(isRecord(args), "ticket: metadata 'model_args' is not an object");
  check(
    Array.isArray(args.inputShape) &&
      args.inputShape.every((d) => Number.isInteger(d) && d > 0) &&
      Number.isInteger(args.classes),
    'ticket: model_args lack a valid inputShape / classes',
  );
  const dataset = field(meta, 'dataset');
  checkExpectation(modelName, args, dataset, expected);
  const seed = Number(field(meta, 'seed'));
  check(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, `ticket: bad seed ${JSON.stringify(meta.seed)}`);
  const structure = field(meta, 'structure');
  check(
    structure === 'unstructured' || structure === 'structured',
    `ticket: bad structure ${JSON.stringify(structure)}`,
  );
  const rescale = field(meta, 'rescale');
  check(
    rescale === 'mask' || rescale === 'fixed' || rescale === 'none',
    `ticket: bad rescale ${JSON.stringify(rescale)}`,
  );
  const target = parseJson(field(meta, 'target_sparsity'), 'target_sparsity');
  check(
    target === null || (typeof target === 'number' && target >= 0 && target < 1),
    `ticket: bad target_sparsity ${JSON.stringify(meta.target_sparsity)}`,
  );
  check(rescale !== 'fixed' || target !== null, 'ticket: rescale "fixed" needs a target_sparsity');
  const fingerprint = field(meta, 'weights_sha256');
  check(/^[0-9a-f]{64}$/.test(fingerprint), 'ticket: bad weights_sha256 (expected 64 hex digits)');
  const shapes = parseJson(field(meta, 'masks'), 'masks');
  check(isRecord(shapes), "ticket: metadata 'masks' is not an object");
  const rice = meta.rice === undefined ? {} : parseJson(meta.rice, 'rice');
  check(isRecord(rice), "ticket: metadata 'rice' is not an object");
  const model = buildModel(modelName, args);
  const masks = new Map<string, Uint8Array>();
  for (const spec of prunableParams(model)) {
    let shape: number[];
    try {
      shape = gateShape(spec, structure);
    } catch (error) {
      throw new InputError(`ticket: ${(error as Error).message}`);
    }
    masks.set(spec.name, decodeMask(spec.name, shapes[spec.name], rice[spec.name], file.tensors.get(spec.name), shape));
  }
  for (const name of [...file.tensors.keys(), ...Object.keys(shapes), ...Object.keys(rice)]) {
    check(masks.has(name), `ticket: tensor '${name}' is not a prunable parameter of ${modelName}`);
  }
  // Each version is checked with the count it recorded (version 1: each weight by its own mask).
  const sparsity = maskSparsity(model, structure, masks, version);
  const recorded = Number(field(meta, 'sparsity'));
  check(
    Number.isFinite(recorded) && Math.abs(recorded - sparsity) <= 1e-6,
    `ticket: recorded sparsity ${meta.sparsity} does not match its masks (${sparsity})`,
  );
  return {
    version,
    model: modelName,
    modelArgs: args,
    init: field(meta, 'init'),
    seed,
    gate: field(meta, 'gate'),
    structure,
    rescale: rescale as RescaleMode,
    targetSparsity: target as number | null,
    dataset,
    sparsity,
    fingerprint,
    masks,
    encoding: meta.rice === undefined ? 'bits' : 'rice',
  };
}
