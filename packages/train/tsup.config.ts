import { packageBuild } from '../../tsup.shared.js';

export default packageBuild(['src/index.ts', 'src/gradients.ts'], {
  // Bundle tfjs-core's gradient registrations (extension-less ESM that Node cannot import).
  noExternal: [/register_all_gradients/],
});
