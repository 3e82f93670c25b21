/** Reading a model's options from its arguments, with one-line errors that name the option. */
import { check } from '@slt/core';
import type { ModelArgs } from './model.js';

/** A positive integer option, or `fallback` when absent. */
export function intOption(args: ModelArgs, key: string, fallback: number, model: string): number {
  const value = args[key] ?? fallback;
  check(
    typeof value === 'number' && Number.isInteger(value) && value > 0,
    () => `${model}: ${key} must be a positive integer, got ${JSON.stringify(value)}`,
  );
  return value;
}

/** A positive number option, or `fallback` when absent. */
export function numberOption(args: ModelArgs, key: string, fallback: number, model: string): number {
  const value = args[key] ?? fallback;
  check(
    typeof value === 'number' && Number.isFinite(value) && value > 0,
    () => `${model}: ${key} must be a positive number, got ${JSON.stringify(value)}`,
  );
  return value;
}

/** A non-empty list of positive integers, or `fallback` when absent. */
export function intListOption(args: ModelArgs, key: string, fallback: readonly number[], model: string): number[] {
  const value = args[key] ?? fallback;
  check(
    Array.isArray(value) && value.length > 0 && value.every((v) => Number.isInteger(v) && v > 0),
    () => `${model}: ${key} must be a list of positive integers, got ${JSON.stringify(value)}`,
  );
  return [...(value as number[])];
}

/** One of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(
  args: ModelArgs,
  key: string,
  choices: readonly T[],
  fallback: T,
  model: string,
): T {
  const value = args[key] ?? fallback;
  check(
    typeof value === 'string' && (choices as readonly string[]).includes(value),
    () => `${model}: ${key} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`,
  );
  return value as T;
}

/** Checks the input is an image (height, width, channels). */
export function imageShape(args: ModelArgs, model: string): [number, number, number] {
  const shape = args.inputShape;
  check(
    shape.length === 3 && shape.every((v) => Number.isInteger(v) && v > 0),
    () => `${model}: needs image input (height, width, channels), got [${shape.join(', ')}]`,
  );
  return [shape[0], shape[1], shape[2]];
}

/** round(base * width), at least 1: a width multiplier applied to one layer's channels. */
export function scaled(base: number, width: number): number {
  return Math.max(1, Math.round(base * width));
}
