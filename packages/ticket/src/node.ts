// Node-only helpers of @slt/ticket (files on disk), kept off the main entry so it stays browser-safe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@slt/core';
import { makeOutputDirectory, writeFileAtomic } from '@slt/core/node';
import { denseSafetensors, TFJS_WEIGHTS_FILE, tfjsArtifacts } from './export.js';
import { decodeTicket, encodeTicket, type TicketExpectation } from './format.js';
import { createTicket, type MaskEncoding, type Ticket, type TicketOptions } from './ticket.js';

/** Name of the dense export's weights file. */
export const DENSE_WEIGHTS_FILE = 'weights.safetensors';

/** Reads a whole file; a missing or unreadable one is an InputError naming the path. */
export function readInputFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`,
    );
  }
}

/** Writes `ticket` (or a ticket made from `options`) to `path` atomically; returns the byte count. */
export function writeTicket(path: string, ticket: Ticket | TicketOptions): number {
  const full = 'fingerprint' in ticket ? ticket : createTicket(ticket);
  const bytes = encodeTicket(full);
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Reads and validates the ticket at `path` (see `decodeTicket`). */
export function readTicket(path: string, expected?: TicketExpectation): Ticket {
  const bytes = readInputFile(path, 'ticket');
  try {
    return decodeTicket(bytes, expected);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
}

/** What an export wrote. */
export interface ExportResult {
  readonly files: string[];
  /** Weights in the exported network. */
  readonly parameterCount: number;
  /** Weights of the unpruned network. */
  readonly originalParameterCount: number;
}

/** Writes the ticket as a TensorFlow.js Layers model: `DIR/model.json` and `DIR/weights.bin`. */
export function exportTfjs(ticket: Ticket, dir: string): ExportResult {
  const artifacts = tfjsArtifacts(ticket);
  makeOutputDirectory(dir, '--out');
  const weights = join(dir, TFJS_WEIGHTS_FILE);
  const model = join(dir, 'model.json');
  writeFileAtomic(weights, artifacts.weightData);
  writeFileAtomic(model, `${JSON.stringify(artifacts.modelJson, null, 1)}\n`);
  return {
    files: [model, weights],
    parameterCount: artifacts.network.parameterCount,
    originalParameterCount: artifacts.network.originalParameterCount,
  };
}

/** Writes the ticket's masked weights as float32 safetensors: `DIR/weights.safetensors`. */
export function exportDense(ticket: Ticket, dir: string): ExportResult {
  const bytes = denseSafetensors(ticket);
  makeOutputDirectory(dir, '--out');
  const path = join(dir, DENSE_WEIGHTS_FILE);
  writeFileAtomic(path, bytes);
  const headerLength = new DataView(bytes.buffer).getUint32(0, true);
  const parameterCount = (bytes.length - 8 - headerLength) / 4;
  return { files: [path], parameterCount, originalParameterCount: parameterCount };
}

/** Writes the ticket again as `DIR/ticket.slt` with its masks in `encoding` (e.g. Rice-coded). */
export function exportTicket(ticket: Ticket, dir: string, encoding: MaskEncoding): ExportResult {
  makeOutputDirectory(dir, '--out');
  const path = join(dir, 'ticket.slt');
  writeTicket(path, { ...ticket, encoding });
  const weights = [...ticket.masks.values()].reduce((n, m) => n + m.length, 0);
  return { files: [path], parameterCount: weights, originalParameterCount: weights };
}
