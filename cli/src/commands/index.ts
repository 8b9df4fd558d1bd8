import type { CommandSpec } from '../command';
import { applyCommand } from './apply';
import { diffCommand } from './diff';
import { execCommand } from './exec';
import { explainCommand } from './explain';
import { importCommand } from './import';
import { initCommand } from './init';
import { mcpCommand } from './mcp-command';
import { showCommand } from './show';
import { usageCommand } from './usage';
import { fetchCommand, statusCommand, updateCommand } from './sources';
import { validateCommand } from './validate';

/** Every command of `claude-env`, in the order `--help` lists them. */
export const COMMANDS: CommandSpec[] = [
  validateCommand,
  showCommand,
  explainCommand,
  diffCommand,
  applyCommand,
  initCommand,
  importCommand,
  fetchCommand,
  updateCommand,
  statusCommand,
  mcpCommand,
  execCommand,
  usageCommand,
];
