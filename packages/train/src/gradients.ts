// Registers tfjs's gradient functions. `@tensorflow/tfjs-core` alone registers none, and its ESM
// files use extension-less imports that Node cannot load, so the build bundles this one module
// (see tsup.config.ts). The gradient registry and the engine are global, so one registration
// serves every copy, provided the real tfjs-core creates the engine first: hence the first import.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
