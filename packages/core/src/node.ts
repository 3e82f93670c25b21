// Node-only helpers, kept off the main entry so the browser-safe packages never import node:fs.
export { writeFileAtomic } from './atomic-write.js';
export { makeDirectory, makeOutputDirectory } from './make-directory.js';
