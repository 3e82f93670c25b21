/**
 * A strong lottery ticket (Ramanujan et al. 2020; Zhou et al. 2019): a binary mask over the frozen
 * random weights of a network that slt regenerates from (model, init recipe, seed), so the ticket
 * is the seed plus one bit per prunable weight (or per unit for structured gates) and a header.
 */
import { check } from '@slt/core';
import { countKept, type GateStructure, gateShape } from '@slt/gates';
import { createModel, type Model, type ParamSpec } from '@slt/models';
import { weightFingerprint } from './fingerprint.js';

/** How the ticket's weights are scaled (DESIGN: edge-popup's 1/sqrt(density) idea). */
export type RescaleMode = 'mask' | 'fixed' | 'none';
/** How masks are stored: plain bit packing, or Rice-coded run lengths (pays off when sparse). */
export type MaskEncoding = 'bits' | 'rice';

/**
 * The ticket format version this package writes (it reads every version up to it). Version 2
 * records a structured ticket's sparsity counted through the units feeding each weight's input;
 * version 1 counted each weight by its own mask entry only (same layout otherwise).
 */
export const TICKET_VERSION = 2;

/** A decoded (or freshly made) ticket. */
export interface Ticket {
  readonly version: number;
  /** Registered model name (`@slt/models`). */
  readonly model: string;
  /** The model's fully resolved arguments, including `inputShape` and `classes`. */
  readonly modelArgs: Readonly<Record<string, unknown>>;
  /** Init recipe name (`@slt/models` initRecipes). */
  readonly init: string;
  readonly seed: number;
  /** Gate family the mask was found with (`gaussian`, `hard-concrete`, `edge-popup`, ...). */
  readonly gate: string;
  readonly structure: GateStructure;
  /**
   * Weight scale of the binary ticket: `mask` multiplies each layer by 1/sqrt(its mask density),
   * `fixed` by 1/sqrt(1 - targetSparsity), `none` leaves W * m as is.
   */
  readonly rescale: RescaleMode;
  /** The search's target sparsity (needed by `fixed` rescaling), or null. */
  readonly targetSparsity: number | null;
  /** Name of the data set the ticket was found on. */
  readonly dataset: string;
  /**
   * Fraction of prunable weights the masks remove, as the ticket's format version counts it
   * ({@link maskSparsity}): from version 2 a structured ticket's weights fed by removed units count
   * as removed; a version 1 ticket keeps the count it recorded (each weight by its own mask entry).
   */
  readonly sparsity: number;
  /** SHA-256 (hex) of the regenerated initial weights, see {@link weightFingerprint}. */
  readonly fingerprint: string;
  /**
   * 0/1 masks by parameter name, one per prunable parameter, in the gate's shape: the
   * parameter's shape when unstructured, [units] when structured (one bit per unit).
   */
  readonly masks: ReadonlyMap<string, Uint8Array>;
  /** How {@link encodeTicket} stores the masks. */
  readonly encoding: MaskEncoding;
}

/** What a trainer knows at the end of a search: everything a ticket holds except derived facts. */
export interface TicketOptions
  extends Omit<Ticket, 'version' | 'targetSparsity' | 'sparsity' | 'fingerprint' | 'masks' | 'encoding'> {
  readonly targetSparsity?: number | null;
  /**
   * 0/1 masks by parameter name, each in the parameter's shape (structured masks must be constant
   * over each unit and are stored one bit per unit) or, for structured tickets, in [units].
   */
  readonly masks: ReadonlyMap<string, ArrayLike<number>>;
  /** Default `bits`. */
  readonly encoding?: MaskEncoding;
}

/** Builds the ticket's model from its name and resolved arguments. */
export function ticketModel(ticket: Pick<Ticket, 'model' | 'modelArgs'>): Model {
  const args = ticket.modelArgs as { inputShape?: unknown; classes?: unknown };
  check(
    Array.isArray(args.inputShape) && Number.isInteger(args.classes),
    `ticket: model arguments lack inputShape / classes: ${JSON.stringify(ticket.modelArgs)}`,
  );
  return createModel(ticket.model, ticket.modelArgs as Parameters<typeof createModel>[1]);
}

/** The prunable parameters of `model`, which are exactly the ones a ticket masks. */
export function prunableParams(model: Model): ParamSpec[] {
  return model.params.filter((spec) => spec.prunable);
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reduces a parameter-shaped structured mask to one entry per unit, checking it is per-unit. */
function unitMask(values: ArrayLike<number>, spec: ParamSpec): Uint8Array {
  const units = gateShape(spec, 'structured')[0];
  const axis = spec.unitAxis as number;
  const unitSize = spec.unitSize ?? 1;
  const inner = spec.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const extent = spec.shape[axis];
  const out = new Int8Array(units).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const unit = Math.floor((Math.floor(i / inner) % extent) / unitSize);
    const v = values[i];
    check(v === 0 || v === 1, `mask '${spec.name}': entry ${i} is ${v}, expected 0 or 1`);
    if (out[unit] === -1) out[unit] = v;
    check(out[unit] === v, `mask '${spec.name}': a structured mask must be constant over unit ${unit}`);
  }
  return new Uint8Array(out);
}

/**
 * Checks `masks` against `model` (one per prunable parameter, gate-shaped, 0/1) and returns the
 * fraction of prunable weights they remove, counted by `countKept` of `@slt/gates`: with
 * structured masks a weight is kept only when its own unit and the unit feeding its input are
 * kept. `version` is the ticket format the count is for: format 1 counted each weight by its own
 * mask entry only.
 */
export function maskSparsity(
  model: Model,
  structure: GateStructure,
  masks: ReadonlyMap<string, Uint8Array>,
  version: number = TICKET_VERSION,
): number {
  const specs = prunableParams(model);
  for (const name of masks.keys()) {
    check(
      specs.some((s) => s.name === name),
      `ticket: mask '${name}' is not a prunable parameter of ${model.name} (known: ${specs.map((s) => s.name).join(', ')})`,
    );
  }
  for (const spec of specs) {
    const mask = masks.get(spec.name);
    check(mask !== undefined, `ticket: no mask for parameter '${spec.name}' of ${model.name}`);
    const expected = size(gateShape(spec, structure));
    check(mask.length === expected, `ticket: mask '${spec.name}' has ${mask.length} entries, expected ${expected}`);
  }
  return countKept(specs, structure, masks, { inputUnits: version >= 2 }).sparsity;
}

/**
 * Makes a ticket from a finished search: builds the model, checks and converts the masks,
 * computes the sparsity and the fingerprint of the initial weights.
 */
export function createTicket(options: TicketOptions): Ticket {
  const model = ticketModel(options);
  const masks = new Map<string, Uint8Array>();
  for (const spec of prunableParams(model)) {
    const values = options.masks.get(spec.name);
    check(values !== undefined, `ticket: no mask for parameter '${spec.name}' of ${model.name}`);
    if (
      options.structure === 'structured' &&
      values.length === size(spec.shape) &&
      values.length !== size(gateShape(spec, 'structured'))
    ) {
      masks.set(spec.name, unitMask(values, spec));
    } else {
      const mask = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        check(v === 0 || v === 1, `mask '${spec.name}': entry ${i} is ${v}, expected 0 or 1`);
        mask[i] = v;
      }
      masks.set(spec.name, mask);
    }
  }
  for (const name of options.masks.keys()) {
    check(masks.has(name), `ticket: mask '${name}' is not a prunable parameter of ${model.name}`);
  }
  const targetSparsity = options.targetSparsity ?? null;
  if (options.rescale === 'fixed') {
    check(
      targetSparsity !== null && targetSparsity >= 0 && targetSparsity < 1,
      'ticket: rescale "fixed" needs a target sparsity in [0, 1)',
    );
  }
  check(
    Number.isInteger(options.seed) && options.seed >= 0 && options.seed < 2 ** 32,
    `ticket: bad seed ${options.seed}`,
  );
  return {
    version: TICKET_VERSION,
    model: model.name,
    modelArgs: model.args,
    init: options.init,
    seed: options.seed,
    gate: options.gate,
    structure: options.structure,
    rescale: options.rescale,
    targetSparsity,
    dataset: options.dataset,
    sparsity: maskSparsity(model, options.structure, masks),
    fingerprint: weightFingerprint(model, options.init, options.seed),
    masks,
    encoding: options.encoding ?? 'bits',
  };
}
