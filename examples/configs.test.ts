import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetInfo } from '@slt/data';
import { createModel } from '@slt/models';
import { resolveConfig, validatePartialConfig } from '@slt/train';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;
const examples = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(here, d.name)).includes('config.json'))
  .map((d) => d.name);

describe('example configs', () => {
  it('cover every architecture', () => {
    expect(examples).toEqual(expect.arrayContaining(['conv4', 'resnet18', 'resnet50', 'wrn50_2', 'vit', 'swin']));
  });

  for (const name of examples) {
    it(`${name}: validates as a search config and builds its model on its data set`, () => {
      const file = join(here, name, 'config.json');
      const config = resolveConfig(validatePartialConfig(JSON.parse(readFileSync(file, 'utf8')), file));
      const info = datasetInfo(config.dataset);
      const model = createModel(config.model, {
        ...config.modelArgs,
        inputShape: info.inputShape,
        classes: info.classes,
      });
      expect(model.params.length).toBeGreaterThan(0);
      expect(readFileSync(join(here, name, 'README.md'), 'utf8')).toContain(
        `search --config examples/${name}/config.json`,
      );
    });
  }
});
