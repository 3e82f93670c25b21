import { readFileSync } from 'node:fs';
import { InputError } from '@slt/core';
import { methodDefaults, methods, resolveConfig, type SearchConfig, validatePartialConfig } from '@slt/train';
import { parse as parseYaml } from 'yaml';
import { parseNumber } from './options.js';

/** How a flag's text becomes a value; `number-or-auto` also takes the word `auto`. */
type Kind = 'string' | 'number' | 'number-or-auto' | 'json';

/** Every flag that sets a config key: flag name -> [config key, value kind, help]. */
export const configFlags: Readonly<Record<string, readonly [keyof SearchConfig, Kind, string]>> = {
  model: ['model', 'string', 'model name (slt list)'],
  'model-args': ['modelArgs', 'json', 'extra model options as JSON, e.g. {"hidden":[300,100]}'],
  dataset: ['dataset', 'string', 'data set name (slt list)'],
  'data-dir': ['dataDir', 'string', 'read the data set from this directory only'],
  method: ['method', 'string', 'crbg, dense, or a baseline (slt list)'],
  gates: ['gates', 'string', 'unstructured (per weight) or structured (per unit)'],
  gate: ['gate', 'string', 'gate family: gaussian, hard-concrete, ...'],
  regularizer: ['regularizer', 'string', 'target, induce-sparse, induce-decision, none'],
  lambda: ['lambda', 'number', 'regulariser weight (initial multiplier for target)'],
  'target-sparsity': ['targetSparsity', 'number', 'fraction of prunable weights to remove, in (0, 1)'],
  'dual-lr': ['dualLr', 'number', "step size of target's multiplier"],
  penalty: ['penalty', 'number', "target's augmented-Lagrangian weight rho"],
  decision: ['decision', 'number', "target's penalty on undecided weights P(0 < z < 1), per kept weight"],
  init: ['init', 'string', 'weight init recipe (slt list)'],
  activation: ['activation', 'string', 'relu, prelu, leaky-relu'],
  epochs: ['epochs', 'number', 'passes over the training split'],
  'batch-size': ['batchSize', 'number', 'examples per step'],
  lr: ['lr', 'number-or-auto', 'peak learning rate (cosine schedule to 0); auto: 1.45/sqrt(steps), at most 0.05'],
  'label-smoothing': ['labelSmoothing', 'number', 'cross-entropy label smoothing, in [0, 1)'],
  optimizer: ['optimizer', 'string', 'adam or sgd'],
  momentum: ['momentum', 'number', 'SGD momentum'],
  'weight-decay': ['weightDecay', 'number', 'L2 penalty on the optimised parameters'],
  sigma: ['sigma', 'number', 'gate noise scale at the start'],
  'sigma-end': ['sigmaEnd', 'number-or-auto', 'gate noise scale at the end; auto: 0.05 x 1890/steps, at most 0.05'],
  'hard-from': ['hardFrom', 'number', 'fraction of the search after which gates sample 0/1 (straight-through)'],
  'gate-init': ['gateInit', 'number', 'initial mu of Gaussian gates'],
  'gate-init-spread': [
    'gateInitSpread',
    'number',
    'start Gaussian gates spread +-S around a random ticket at the target',
  ],
  'gate-limit': ['gateLimit', 'number', 'clamp the mu of Gaussian gates to [-limit, limit]'],
  rescale: ['rescale', 'string', 'mask, fixed or none: per-layer 1/sqrt(density) scaling'],
  noise: ['noise', 'string', 'pool (fast) or fresh gate noise'],
  seed: ['seed', 'number', 'seed of weights, gates, shuffling and noise'],
  backend: ['backend', 'string', 'wasm, cpu, tensorflow (needs @tensorflow/tfjs-node[-gpu]) or webgpu'],
  'train-limit': ['trainLimit', 'number', 'use the first N training examples'],
  'test-limit': ['testLimit', 'number', 'use the first N test examples'],
  'val-split': [
    'valSplit',
    'number',
    'evaluate on this fraction of the training data, held out, not on the test split',
  ],
};

/** The `util.parseArgs` option table for the config flags (every value is a string). */
export const configFlagOptions = Object.fromEntries(
  Object.keys(configFlags).map((flag) => [flag, { type: 'string' as const }]),
) as Record<string, { type: 'string' }>;

/** Help text listing the config flags. */
export function configFlagsHelp(): string {
  return Object.entries(configFlags)
    .map(([flag, [, , help]]) => `  --${flag.padEnd(16)} ${help}`)
    .join('\n');
}

/** The partial config the given flag values set (strings parsed to numbers / JSON). */
export function configFromFlags(values: Record<string, unknown>): Partial<SearchConfig> {
  const partial: Record<string, unknown> = {};
  for (const [flag, [key, kind]] of Object.entries(configFlags)) {
    const text = values[flag] as string | undefined;
    if (text === undefined) continue;
    if (kind === 'number-or-auto') partial[key] = text === 'auto' ? text : parseNumber(flag, text, 'a number or auto');
    else if (kind === 'number') partial[key] = parseNumber(flag, text);
    else if (kind === 'json') {
      try {
        partial[key] = JSON.parse(text);
      } catch {
        throw new InputError(`--${flag}: not valid JSON: ${text}`);
      }
    } else partial[key] = text;
  }
  const flagOf = (key: string) => `--${Object.keys(configFlags).find((f) => configFlags[f][0] === key) ?? key}`;
  return validatePartialConfig(partial, '', flagOf);
}

/** Reads a YAML or JSON config file (keys as in config.json, e.g. `targetSparsity`). */
export function readConfigFile(path: string): Partial<SearchConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(
      `${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${path}: expected a mapping of config keys`);
  }
  return validatePartialConfig(parsed, path);
}

/**
 * The resolved config: defaults, then the method's reference recipe (for the chosen model and
 * gates), then the config file, then flags (later wins).
 */
export function buildConfig(fileConfig: Partial<SearchConfig>, flagConfig: Partial<SearchConfig>): SearchConfig {
  const methodName = flagConfig.method ?? fileConfig.method ?? 'crbg';
  const method = methods.get(methodName);
  const choice = { model: flagConfig.model ?? fileConfig.model, gates: flagConfig.gates ?? fileConfig.gates };
  return resolveConfig(methodDefaults(method, choice), fileConfig, flagConfig);
}
