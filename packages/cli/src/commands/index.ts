import type { Command } from './command.js';
import { compareCommand } from './compare.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { listCommand } from './list.js';
import { reportCommand } from './report.js';
import { searchCommand } from './search.js';

/** Every `slt` command by name. */
export const commands: Readonly<Record<string, Command>> = {
  search: searchCommand,
  list: listCommand,
  eval: evalCommand,
  export: exportCommand,
  compare: compareCommand,
  report: reportCommand,
};
