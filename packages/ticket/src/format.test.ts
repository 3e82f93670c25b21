import { gateShape } from '@slt/gates';
import '@tensorflow/tfjs-backend-cpu';
import { isInputError } from '@slt/core';
import { createModel, initialWeights } from '@slt/models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTicket, encodeTicket } from './format.js';
import { randomMask as lcgMask } from './masks.testing.js';
import { rebuildWeights } from './rebuild.js';
import { readSafetensors } from './safetensors.js';
import { createTicket, type MaskEncoding, maskSparsity, TICKET_VERSION, type TicketOptions } from './ticket.js';

const small = { inputShape: [4, 4, 1], classes: 3, hidden: [8, 5] };

function options(args: Record<string, unknown>, density: number, encoding: MaskEncoding = 'bits'): TicketOptions {
  const model = createModel('lenet300', args as { inputShape: number[]; classes: number });
  const masks = new Map(model.params.map((p, i) => [p.name, lcgMask(p.shape[0] * p.shape[1], density, i + 1)]));
  return {
    model: 'lenet300',
    modelArgs: args,
    init: 'signed-constant',
    seed: 3,
    gate: 'gaussian',
    structure: 'unstructured',
    rescale: 'mask',
    targetSparsity: 1 - density,
    dataset: 'mnist10k',
    masks,
    encoding,
  };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('.slt tickets', () => {
  it('round-trip every field and mask, in both encodings', () => {
    for (const encoding of ['bits', 'rice'] as const) {
      const ticket = createTicket(options(small, 0.3, encoding));
      const decoded = decodeTicket(encodeTicket(ticket));
      expect(decoded).toEqual(ticket);
    }
  });

  it('store an unstructured LeNet-300-100 ticket in at most 34,000 bytes, and less with rice at 0.9', () => {
    const args = { inputShape: [28, 28, 1], classes: 10 };
    const plain = encodeTicket(createTicket(options(args, 0.5)));
    expect(plain.length).toBeLessThanOrEqual(34_000);
    expect(plain.length).toBeGreaterThan(266_200 / 8);
    const rice = encodeTicket(createTicket(options(args, 0.1, 'rice')));
    expect(rice.length).toBeLessThan(0.5 * plain.length);
  });

  it('are safetensors files: string metadata, U8 masks tiling the buffer', () => {
    const bytes = encodeTicket(createTicket(options(small, 0.5)));
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength).toBeGreaterThan(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(Object.values(header.__metadata__).every((v) => typeof v === 'string')).toBe(true);
    expect(header['fc1.weight']).toEqual({ dtype: 'U8', shape: [16], data_offsets: [0, 16] });
    expect(JSON.parse(header.__metadata__.masks)['fc1.weight']).toEqual([16, 8]);
    expect(readSafetensors(bytes).tensors.size).toBe(3);
  });

  it('store structured masks as one bit per unit and expand them on rebuild', () => {
    const model = createModel('lenet300', small);
    // The classifier (no unit axis) keeps one gate per weight in a structured ticket.
    const units = new Map(
      model.params.map((p, i) => [
        p.name,
        lcgMask(
          gateShape(p, 'structured').reduce((a, b) => a * b, 1),
          0.5,
          10 + i,
        ),
      ]),
    );
    const full = new Map(
      model.params.map((p) => {
        const unit = units.get(p.name) as Uint8Array;
        return [p.name, Uint8Array.from({ length: p.shape[0] * p.shape[1] }, (_, i) => unit[i % unit.length])];
      }),
    );
    const base = { ...options(small, 1), structure: 'structured' as const };
    const fromUnits = createTicket({ ...base, masks: units });
    const fromFull = createTicket({ ...base, masks: full });
    expect(fromFull.masks).toEqual(fromUnits.masks);
    const decoded = decodeTicket(encodeTicket(fromFull));
    expect(decoded.masks.get('fc1.weight')?.length).toBe(8);
    const { weights } = rebuildWeights(decoded);
    const initial = initialWeights(model.params, { recipe: 'signed-constant', seed: 3 });
    const w = weights.get('fc2.weight') as Float32Array;
    const w0 = initial.get('fc2.weight') as Float32Array;
    const unit = units.get('fc2.weight') as Uint8Array;
    // The search's fused kernel on CPU / WASM: w * z * s in double, s = 1 / sqrt(density), stored as float32.
    const scale = 1 / Math.sqrt(unit.reduce((a, b) => a + b, 0) / unit.length);
    for (let i = 0; i < w.length; i++) {
      if (unit[i % 5] === 1) expect(w[i]).toBe(Math.fround(w0[i] * scale));
      else expect(w[i] === 0).toBe(true);
    }
    const broken = new Map(full);
    const first = Uint8Array.from(full.get('fc1.weight') as Uint8Array);
    first[0] = 1 - first[0];
    broken.set('fc1.weight', first);
    expect(isInputError(thrown(() => createTicket({ ...base, masks: broken })))).toBe(true);
  });

  it('record a structured ticket’s sparsity through the units feeding each weight; format 1 keeps its own count', () => {
    const model = createModel('lenet300', small);
    // 16-8-5-3: fc1 keeps 6 of 8 units, fc2 4 of 5 (not unit 2), the classifier 13 of 15 entries.
    const masks = new Map([
      ['fc1.weight', Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1])],
      ['fc2.weight', Uint8Array.from([1, 1, 0, 1, 1])],
      ['fc3.weight', Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1])],
    ]);
    // fc1 6 x 16; fc2 4 units x 6 kept inputs; fc3 rows 0, 1, 3, 4 (row 2 is fc2's removed unit): 3 + 2 + 2 + 3.
    const kept = 96 + 24 + 10;
    expect(maskSparsity(model, 'structured', masks)).toBeCloseTo(1 - kept / 183, 12);
    // Format 1 counted each weight by its own mask: fc2 4 units x 8, fc3 13 entries.
    const own = maskSparsity(model, 'structured', masks, 1);
    expect(own).toBeCloseTo(1 - (96 + 32 + 13) / 183, 12);
    const ticket = createTicket({ ...options(small, 1), structure: 'structured', masks });
    expect(ticket.version).toBe(2);
    expect(ticket.sparsity).toBeCloseTo(1 - kept / 183, 12);
    expect(decodeTicket(encodeTicket(ticket))).toEqual(ticket);
    // A format 1 file records the old count and still loads with it; the other count is refused.
    const old = { ...ticket, version: 1, sparsity: own };
    expect(decodeTicket(encodeTicket(old))).toEqual(old);
    expect(() => decodeTicket(encodeTicket({ ...ticket, version: 1 }))).toThrow(/recorded sparsity .* does not match/);
    expect(() => decodeTicket(encodeTicket({ ...ticket, sparsity: own }))).toThrow(
      /recorded sparsity .* does not match/,
    );
    // Unstructured tickets count as they always did, in either version.
    const plain = createTicket(options(small, 0.4));
    expect(decodeTicket(encodeTicket({ ...plain, version: 1 })).sparsity).toBe(plain.sparsity);
  });

  it('name the model and data set when read for another architecture', () => {
    const bytes = encodeTicket(createTicket(options(small, 0.5)));
    const error = thrown(() => decodeTicket(bytes, { inputShape: [32, 32, 3], classes: 10 }));
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'ticket is for lenet300 on mnist10k (input 4x4x1, 3 classes), not input 32x32x3',
    );
    expect(isInputError(thrown(() => decodeTicket(bytes, { model: 'conv4' })))).toBe(true);
  });

  it('refuse newer format versions and fail loudly when the regenerated weights differ', () => {
    const ticket = createTicket(options(small, 0.5));
    const newer = encodeTicket({ ...ticket, version: TICKET_VERSION + 1 }).slice();
    expect(() => decodeTicket(newer)).toThrow(new RegExp(`version ${TICKET_VERSION + 1} is newer`));
    const other = { ...ticket, fingerprint: '0'.repeat(64) };
    const decoded = decodeTicket(encodeTicket(other));
    expect(() => rebuildWeights(decoded)).toThrow(/fingerprint/);
    expect(isInputError(thrown(() => rebuildWeights(decoded)))).toBe(true);
  });

  it('turn random, truncated and mutated bytes into input errors, never another failure', () => {
    const valid = [
      encodeTicket(createTicket(options(small, 0.5))),
      encodeTicket(createTicket(options(small, 0.1, 'rice'))),
      encodeTicket(
        createTicket({
          ...options(small, 0.5),
          structure: 'structured',
          masks: new Map([
            ['fc1.weight', [1, 0, 1, 1, 0, 1, 1, 1]],
            ['fc2.weight', [1, 1, 0, 1, 1]],
            ['fc3.weight', [1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]],
          ]),
        }),
      ),
    ];
    const expectInputErrorOrTicket = (bytes: Uint8Array) => {
      const error = thrown(() => decodeTicket(bytes));
      if (error !== undefined) expect(isInputError(error), String(error)).toBe(true);
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => expectInputErrorOrTicket(bytes)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), (bytes, cut) => {
        const truncated = bytes.slice(0, cut % bytes.length);
        expect(isInputError(thrown(() => decodeTicket(truncated)))).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (bytes, edits) => {
          const mutated = bytes.slice();
          for (const [at, value] of edits) mutated[at % mutated.length] = value;
          expectInputErrorOrTicket(mutated);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reject header edits that keep the JSON valid', () => {
    const bytes = encodeTicket(createTicket(options(small, 0.5)));
    const length = new DataView(bytes.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    type Header = { __metadata__: Record<string, string> } & Record<string, Record<string, unknown>>;
    const meta = (changes: Record<string, string | undefined>) => (h: Header) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete h.__metadata__[key];
        else h.__metadata__[key] = value;
      }
    };
    const tensor = (changes: Record<string, unknown>) => (h: Header) => {
      Object.assign(h['fc1.weight'], changes);
    };
    const edits: Array<(h: Header) => void> = [
      meta({ seed: undefined }),
      meta({ seed: '-1' }),
      meta({ model: 'nope' }),
      meta({ model_args: '{"inputShape":[4,4,1],"classes":3,"hidden":[8,"x"]}' }),
      meta({ structure: 'diagonal' }),
      meta({ sparsity: '0.1' }),
      meta({ masks: '[]' }),
      meta({ slt_ticket: undefined }),
      meta({ rice: '{"fc1.weight":[0,1,3]}' }),
      meta({ rescale: 'fixed', target_sparsity: 'null' }),
      tensor({ dtype: 'F64' }),
      tensor({ shape: [15] }),
      tensor({ data_offsets: [1, 17] }),
    ];
    for (const edit of edits) {
      const copy = structuredClone(header);
      edit(copy);
      const json = new TextEncoder().encode(JSON.stringify(copy));
      const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      out.set(bytes.subarray(8 + length), 8 + json.length);
      const error = thrown(() => decodeTicket(out));
      expect(isInputError(error), `${edit.toString()}: ${String(error)}`).toBe(true);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
