/**
 * Reader of the IDX format of the MNIST files (LeCun et al., "Gradient-based learning applied to
 * document recognition", 1998; format described with the data set): a 4-byte magic number
 * (0, 0, element type, number of dimensions), one big-endian uint32 per dimension, then the
 * elements in row-major order. slt reads unsigned-byte files (type 0x08), as MNIST and
 * Fashion-MNIST are.
 */
import { InputError } from '@slt/core';
import type { DatasetInfo, Split } from './dataset.js';

/** Element type code of unsigned bytes in an IDX header. */
export const IDX_UBYTE = 0x08;

/** A decoded IDX array: its dimensions and its raw bytes (row-major). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an IDX file's bytes (already gunzipped). `file` names it in error messages: a bad magic
 * number, an element type other than unsigned bytes, a header cut short or a data length that
 * does not match the dimensions throws an {@link InputError}.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4)
    throw new InputError(`${file} is not an IDX file: ${bytes.length} bytes, too short for a header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    throw new InputError(`${file} is not an IDX file: bad magic number 0x${magic} (expected 0x0000TTNN)`);
  }
  const type = bytes[2];
  if (type !== IDX_UBYTE) {
    throw new InputError(
      `${file} has IDX element type 0x${type.toString(16).padStart(2, '0')}; only unsigned bytes (0x08) are read`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw new InputError(`${file} is an IDX file with 0 dimensions`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new InputError(`${file} is truncated: its header needs ${headerLength} bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(4 + 4 * d, false);
    dims.push(dim);
    size *= dim;
  }
  const dataLength = bytes.length - headerLength;
  if (dataLength < size) {
    throw new InputError(
      `${file} is truncated: dimensions [${dims.join(', ')}] need ${size} bytes of data, the file has ${dataLength}`,
    );
  }
  if (dataLength > size) {
    throw new InputError(
      `${file} has ${dataLength - size} bytes after the ${size} that dimensions [${dims.join(', ')}] describe`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/** Serialises unsigned bytes as an IDX file (the inverse of {@link parseIdx}), e.g. for tests. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length)
    throw new RangeError(`dimensions [${dims.join(', ')}] need ${size} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  for (let d = 0; d < dims.length; d++) view.setUint32(4 + 4 * d, dims[d], false);
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Bytes 0..255 to float32 pixels in [0, 1] (exactly byte / 255, rounded once). */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/**
 * Checks that `labels` holds integers below `classes`; `file` names the source in the error.
 * Throws an {@link InputError} naming the first bad entry.
 */
export function checkLabels(labels: Uint8Array, classes: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new InputError(`${file}: label ${labels[i]} at index ${i} is not below the ${classes} classes`);
    }
  }
}

/**
 * One split from an images file and a labels file, checked against `info`: images of shape
 * (N, height, width) for one-channel data, labels of shape (N,), every label below the number of
 * classes.
 */
export function idxSplit(
  images: IdxArray,
  imagesFile: string,
  labels: IdxArray,
  labelsFile: string,
  info: DatasetInfo,
): Split {
  const [height, width, channels] = info.inputShape;
  const expected = channels === 1 ? [height, width] : [height, width, channels];
  const ok = images.dims.length === expected.length + 1 && expected.every((dim, d) => images.dims[d + 1] === dim);
  if (!ok) {
    throw new InputError(
      `${imagesFile} has dimensions [${images.dims.join(', ')}]; ${info.name} images need [N, ${expected.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new InputError(`${labelsFile} has dimensions [${labels.dims.join(', ')}]; labels need [N]`);
  }
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new InputError(`${labelsFile} has ${labels.dims[0]} labels but ${imagesFile} has ${count} images`);
  }
  checkLabels(labels.data, info.classes, labelsFile);
  return { images: bytesToUnit(images.data), labels: labels.data.slice(), count };
}
