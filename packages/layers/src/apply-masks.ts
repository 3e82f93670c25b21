/**
 * Writes a ticket back into a Layers model: a copy of the model whose prunable kernels are
 * multiplied by their binary masks, an ordinary `tf.LayersModel` that predicts, saves and
 * converts like any other.
 */
import { check, InputError } from '@slt/core';
import { io, mul, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { fromLayersModel } from './convert.js';

/** Options of {@link applyMasks}. */
export interface ApplyMasksOptions {
  /**
   * A factor per parameter name applied to the masked kernel (for tickets found with rescaling,
   * e.g. 1/sqrt(density) of the layer). Absent names keep factor 1.
   */
  readonly scales?: Readonly<Record<string, number>>;
}

/** A deep copy of `source` (architecture and weights), made through TensorFlow.js's in-memory save and load. */
export async function cloneLayersModel(source: LayersModel): Promise<LayersModel> {
  let artifacts: io.ModelArtifacts | undefined;
  await source.save(
    io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(saved) };
    }),
  );
  return loadLayersModel(io.fromMemory(artifacts!));
}

function checkBroadcast(name: string, mask: readonly number[], param: readonly number[]): void {
  const fits =
    mask.length <= param.length && mask.every((d, i) => d === 1 || d === param[param.length - mask.length + i]);
  check(fits, () => `mask '${name}' has shape [${mask}], which does not fit the parameter's shape [${param}]`);
}

/**
 * A copy of `source` whose prunable kernels are multiplied by `masks` (0/1 tensors by parameter
 * name, of the parameter's shape or broadcastable to it, e.g. one entry per output unit).
 * Every prunable parameter needs a mask; a name that is not a prunable parameter is an
 * `InputError`. The source model is left unchanged.
 */
export async function applyMasks(
  source: LayersModel,
  masks: Readonly<Record<string, Tensor>>,
  options: ApplyMasksOptions = {},
): Promise<LayersModel> {
  const clone = await cloneLayersModel(source);
  const conversion = fromLayersModel(clone);
  const prunable = new Map(conversion.model.params.filter((p) => p.prunable).map((p) => [p.name, p]));
  for (const name of Object.keys(masks)) {
    const spec = prunable.get(name);
    if (!spec) {
      throw new InputError(`mask '${name}' names no prunable parameter (prunable: ${[...prunable.keys()].join(', ')})`);
    }
    checkBroadcast(name, masks[name].shape, spec.shape);
  }
  for (const name of prunable.keys()) check(masks[name] !== undefined, () => `no mask for parameter '${name}'`);
  for (const info of conversion.layers) {
    if (!info.params.some((p) => p.prunable)) continue;
    const masked = tidy(() =>
      info.layer.getWeights().map((w, i) => {
        const spec = info.params[i];
        if (!spec.prunable) return w.clone();
        const scale = options.scales?.[spec.name] ?? 1;
        return mul(mul(w, masks[spec.name]), scale);
      }),
    );
    info.layer.setWeights(masked);
    for (const t of masked) t.dispose();
  }
  return clone;
}
