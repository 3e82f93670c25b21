export type { Command } from './commands/command.js';
export { commands } from './commands/index.js';
export { main } from './main.js';
export { buildConfig, configFlagOptions, configFlags, configFromFlags, readConfigFile } from './search-flags.js';
