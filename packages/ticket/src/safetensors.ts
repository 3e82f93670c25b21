/**
 * The safetensors container (Hugging Face's format): an 8-byte little-endian header length N, N
 * bytes of JSON header, then the raw tensor bytes. The header maps each tensor name to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets into the byte buffer) and holds a
 * `__metadata__` object of string values. Only the two dtypes slt writes are accepted.
 */
import { check, InputError } from '@slt/core';

/** Element types slt stores: bytes (masks) and float32 (dense weights). */
export type SafetensorsDtype = 'U8' | 'F32';

/** One stored tensor: its dtype, shape and little-endian bytes. */
export interface RawTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** A parsed container: tensors by name (in file order) and the metadata strings. */
export interface SafetensorsFile {
  readonly tensors: Map<string, RawTensor>;
  readonly metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { U8: 1, F32: 4 };
/** Larger headers are refused (the reference reader's own limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Serialises `file`: tensors in map order, header padded with spaces when float data follows. */
export function writeSafetensors(file: SafetensorsFile): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: file.metadata };
  let offset = 0;
  for (const [name, tensor] of file.tensors) {
    const expected = elementCount(tensor.shape) * DTYPE_BYTES[tensor.dtype];
    if (tensor.bytes.length !== expected) {
      throw new RangeError(`tensor '${name}': ${tensor.bytes.length} bytes, shape needs ${expected}`);
    }
    header[name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  // Pad so float data starts 8-byte aligned, as the reference writer does; byte-only files need not.
  const aligned = [...file.tensors.values()].some((t) => t.dtype !== 'U8');
  if (aligned && headerBytes.length % 8 !== 0) {
    json += ' '.repeat(8 - (headerBytes.length % 8));
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, 0, true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const tensor of file.tensors.values()) {
    out.set(tensor.bytes, position);
    position += tensor.bytes.length;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates a container: header length within the file, UTF-8 JSON object, string
 * metadata, known dtypes, non-negative integer shapes, offsets that match the shapes and tile the
 * byte buffer exactly. Any violation is an {@link InputError} that starts with `what`.
 */
export function readSafetensors(bytes: Uint8Array, what = 'file'): SafetensorsFile {
  check(bytes.length >= 8, `${what}: ${bytes.length} bytes is too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  const length = view.getUint32(0, true);
  check(
    high === 0 && length <= MAX_HEADER_BYTES && 8 + length <= bytes.length,
    `${what}: header length ${high * 2 ** 32 + length} does not fit in the ${bytes.length}-byte file`,
  );
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
    header = JSON.parse(text);
  } catch {
    throw new InputError(`${what}: the header is not valid UTF-8 JSON`);
  }
  check(isRecord(header), `${what}: the header is not a JSON object`);
  const metadata: Record<string, string> = {};
  const rawMetadata = header.__metadata__ ?? {};
  check(isRecord(rawMetadata), `${what}: __metadata__ is not an object`);
  for (const [key, value] of Object.entries(rawMetadata)) {
    check(typeof value === 'string', `${what}: metadata '${key}' is not a string`);
    metadata[key] = value;
  }
  const data = bytes.subarray(8 + length);
  const entries: Array<[string, RawTensor, number]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    check(isRecord(entry), `${what}: tensor '${name}' is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    check(
      dtype === 'U8' || dtype === 'F32',
      `${what}: tensor '${name}' has dtype ${JSON.stringify(dtype)} (expected U8 or F32)`,
    );
    check(
      Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0),
      `${what}: tensor '${name}' has a bad shape ${JSON.stringify(shape)}`,
    );
    check(
      Array.isArray(offsets) &&
        offsets.length === 2 &&
        offsets.every((o) => Number.isSafeInteger(o) && o >= 0) &&
        offsets[0] <= offsets[1] &&
        offsets[1] <= data.length,
      `${what}: tensor '${name}' has bad data offsets ${JSON.stringify(offsets)}`,
    );
    const [begin, end] = offsets as [number, number];
    const expected = elementCount(shape as number[]) * DTYPE_BYTES[dtype];
    check(
      end - begin === expected,
      `${what}: tensor '${name}' holds ${end - begin} bytes, its shape needs ${expected}`,
    );
    entries.push([name, { dtype, shape: shape as number[], bytes: data.subarray(begin, end) }, begin]);
  }
  let covered = 0;
  for (const [name, tensor, begin] of [...entries].sort(
    (a, b) => a[2] - b[2] || a[1].bytes.length - b[1].bytes.length,
  )) {
    check(begin === covered, `${what}: tensor '${name}' does not start where the previous one ends`);
    covered += tensor.bytes.length;
  }
  check(covered === data.length, `${what}: ${data.length - covered} bytes after the last tensor`);
  return { tensors: new Map(entries.map(([name, tensor]) => [name, tensor])), metadata };
}
