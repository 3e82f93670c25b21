import { check } from '@slt/core';
import type { serialization } from '@tensorflow/tfjs-core';
import type { Layer } from './layer-converter.js';

type ConfigDict = serialization.ConfigDict;

/** A layer's serialised config with typed, checked accessors (messages name layer and key). */
export class LayerConfig {
  readonly #config: ConfigDict;

  constructor(readonly layer: Layer) {
    this.#config = layer.getConfig();
  }

  /** The layer's class and name, for messages: `Conv2D 'conv2d_Conv2D1'`. */
  describe(): string {
    return `${this.layer.getClassName()} '${this.layer.name}'`;
  }

  /** Whether `key` is present and not null. */
  has(key: string): boolean {
    const value = this.#config[key];
    return value !== undefined && value !== null;
  }

  number(key: string): number {
    const value = this.#config[key];
    check(
      typeof value === 'number',
      () => `${this.describe()}: expected a number for '${key}', got ${JSON.stringify(value)}`,
    );
    return value;
  }

  numbers(key: string): number[] {
    const value = this.#config[key];
    const list = typeof value === 'number' ? [value] : value;
    check(
      Array.isArray(list) && list.every((v) => typeof v === 'number'),
      () => `${this.describe()}: expected numbers for '${key}', got ${JSON.stringify(value)}`,
    );
    return list as number[];
  }

  string(key: string): string {
    const value = this.#config[key];
    check(
      typeof value === 'string',
      () => `${this.describe()}: expected a string for '${key}', got ${JSON.stringify(value)}`,
    );
    return value;
  }

  boolean(key: string): boolean {
    const value = this.#config[key];
    check(
      typeof value === 'boolean',
      () => `${this.describe()}: expected a boolean for '${key}', got ${JSON.stringify(value)}`,
    );
    return value;
  }

  /** Throws an `InputError` unless the layer uses the channels-last layout slt supports. */
  requireChannelsLast(): void {
    if (!this.has('dataFormat')) return;
    const format = this.string('dataFormat');
    check(
      format === 'channelsLast',
      () => `${this.describe()}: dataFormat '${format}' is not supported (use channelsLast)`,
    );
  }
}
