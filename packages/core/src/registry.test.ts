import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { check, InputError, isInputError } from './input-error.js';
import { Registry } from './registry.js';

describe('Registry', () => {
  const fruit = new Registry<number>('fruit').register('apple', 1).register('pear', 2);

  it('returns registered entries and lists names in registration order', () => {
    expect(fruit.get('pear')).toBe(2);
    expect(fruit.has('apple')).toBe(true);
    expect(fruit.has('plum')).toBe(false);
    expect(fruit.names()).toEqual(['apple', 'pear']);
  });

  it('an unknown name is an InputError that names the kind and every known name', () => {
    const error = (() => {
      try {
        fruit.get('plum');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("unknown fruit 'plum' (known: apple, pear)");
  });

  it('a name registers once', () => {
    expect(() => fruit.register('apple', 3)).toThrow(/already registered/);
    expect(fruit.get('apple')).toBe(1);
  });
});

describe('InputError', () => {
  it('check throws an InputError with the message only when the condition fails', () => {
    expect(() => check(true, 'never')).not.toThrow();
    expect(() => check(0, 'zero is falsy')).toThrow(new InputError('zero is falsy'));
    let built = 0;
    const lazy = () => {
      built += 1;
      return 'lazy message';
    };
    check(1, lazy);
    expect(built).toBe(0);
    expect(() => check(false, lazy)).toThrow('lazy message');
  });

  it('isInputError recognises input errors, including a copy from another package instance', () => {
    expect(isInputError(new InputError('x'))).toBe(true);
    expect(isInputError(Object.assign(new Error('x'), { isInputError: true }))).toBe(true);
    expect(isInputError(new Error('x'))).toBe(false);
    expect(isInputError(undefined)).toBe(false);
    expect(new InputError('x').name).toBe('InputError');
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slt-core-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file and leaves no temporary file behind', () => {
    const path = join(dir, 'a.json');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, new Uint8Array([115, 101, 99]));
    expect(readFileSync(path, 'utf8')).toBe('sec');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('fails without touching the target when the directory does not exist', () => {
    const path = join(dir, 'missing', 'b.json');
    expect(() => writeFileAtomic(path, 'x')).toThrow();
    expect(existsSync(path)).toBe(false);
  });
});
