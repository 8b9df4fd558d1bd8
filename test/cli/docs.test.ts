import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { COMMANDS } from '../../cli/src/commands';
import { GLOBAL_OPTIONS } from '../../cli/src/globalOptions';
import { ExitCode } from '../../cli/src/exitCodes';
import { REPO_ROOT } from '../helpers/paths';
import { readText } from '../helpers/workspace';

/** The part of docs/cli.md under `## <name>`, up to the next `## ` heading. */
function section(docs: string, name: string): string {
  const start = docs.indexOf(`\n## ${name}\n`);
  assert.ok(start >= 0, `docs/cli.md has no section for ${name}`);
  const end = docs.indexOf('\n## ', start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

describe('docs/cli.md', () => {
  const docs = readText(join(REPO_ROOT, 'docs', 'cli.md'));

  it('documents every command with each of its options', () => {
    for (const command of COMMANDS) {
      const text = section(docs, command.name);
      const all = [command, ...(command.subcommands ?? [])];
      for (const spec of all) {
        for (const option of Object.keys(spec.options))
          assert.match(text, new RegExp(`--${option}\\b`), `${spec.name} --${option}`);
      }
    }
  });

  it('documents the global options and every exit code', () => {
    for (const option of Object.keys(GLOBAL_OPTIONS)) assert.match(docs, new RegExp(`\`--${option}`), `--${option}`);
    const table = section(docs, 'Exit codes');
    for (const code of Object.values(ExitCode))
      assert.match(table, new RegExp(`^\\| ${code} \\|`, 'm'), `exit code ${code}`);
  });
});
