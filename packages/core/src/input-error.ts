/**
 * An error caused by what the user asked for (an unknown name, a bad option, a missing or corrupt
 * file), as opposed to a bug. The CLI prints its message on one line and exits with status 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** Marks input errors across package copies, where `instanceof` may not hold. */
  readonly isInputError = true;
}

/** True for an {@link InputError}, including one thrown by another copy of this package. */
export function isInputError(error: unknown): error is InputError {
  return typeof error === 'object' && error !== null && (error as { isInputError?: unknown }).isInputError === true;
}

/** Throws an {@link InputError} with `message` unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InputError(typeof message === 'string' ? message : message());
}
