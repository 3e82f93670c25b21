import { InputError } from '@slt/core';

/**
 * Parses a numeric flag value, naming the flag and what it `expected` (for flags that also take a
 * word) when it is not a number.
 */
export function parseNumber(flag: string, text: string | undefined, expected = 'a number'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InputError(`--${flag}: expected ${expected}, got '${text}'`);
  return value;
}

/** Parses a comma-separated list of numbers (e.g. `--sparsities 0.5,0.9`). */
export function parseNumberList(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((part) => parseNumber(flag, part.trim()) as number);
}

/** Parses a comma-separated list of names. */
export function parseList(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}
