import type { CommandSpec } from '../command';
import { explainCommand } from './explain';
import { importCommand } from './import';
import { initCommand } from './init';
import { showCommand } from './show';
import { validateCommand } from './validate';

/** Every command of `claude-env`, in the order `--help` lists them. */
export const COMMANDS: CommandSpec[] = [validateCommand, showCommand, explainCommand, initCommand, importCommand];
