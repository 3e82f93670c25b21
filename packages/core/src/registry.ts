import { InputError } from './input-error.js';

/**
 * A named collection of factories (models, gates, regularisers, init recipes, datasets).
 * Looking up an unknown name throws an {@link InputError} that lists the known names.
 */
export class Registry<T> {
  readonly #entries = new Map<string, T>();

  /** @param kind what the entries are, used in error messages ("model", "gate", ...). */
  constructor(readonly kind: string) {}

  /** Adds `entry` under `name`; a name may be registered once. */
  register(name: string, entry: T): this {
    if (this.#entries.has(name)) throw new Error(`${this.kind} '${name}' is already registered`);
    this.#entries.set(name, entry);
    return this;
  }

  /** The entry called `name`; throws an {@link InputError} naming the known entries if absent. */
  get(name: string): T {
    const entry = this.#entries.get(name);
    if (entry === undefined) {
      throw new InputError(`unknown ${this.kind} '${name}' (known: ${this.names().join(', ')})`);
    }
    return entry;
  }

  /** Whether an entry is registered under `name`. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }
}
