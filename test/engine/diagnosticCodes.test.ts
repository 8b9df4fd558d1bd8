import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DiagnosticCode, parseLayer } from '@claude-env/engine';

const root = join(__dirname, '..', '..');
const registry = new Set<string>(Object.values(DiagnosticCode));

/** Codes named in the first column of docs/diagnostics.md's table. */
function documentedCodes(): Set<string> {
  const text = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');
  const codes = new Set<string>();
  for (const line of text.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const [, code] of first.matchAll(/`([a-z]+\.[A-Za-z]+)`/g)) codes.add(code as string);
  }
  return codes;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('diagnostic codes', () => {
  it('documents every code of the registry in docs/diagnostics.md', () => {
    const documented = documentedCodes();
    assert.deepEqual(
      [...registry].filter((code) => !documented.has(code)),
      [],
    );
  });

  it('documents no code that the registry does not have', () => {
    assert.deepEqual(
      [...documentedCodes()].filter((code) => !registry.has(code)),
      [],
    );
  });

  it('gives every code one name only', () => {
    assert.equal(registry.size, Object.keys(DiagnosticCode).length);
  });

  // Backquoted codes in comments are documentation; quoted ones are code that bypasses the registry.
  it('is the only place that spells a code: no source file writes one as a string literal', () => {
    const parts = ['engine', 'mcp', 'protocol', 'language-server', 'cli', 'extension'];
    const offenders: string[] = [];
    for (const part of parts) {
      for (const file of sourceFiles(join(root, part, 'src'))) {
        if (file.endsWith('diagnosticCodes.ts')) continue;
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, index) => {
          for (const [, code] of line.matchAll(/['"]([a-z]+\.[A-Za-z]+)['"]/g)) {
            if (registry.has(code as string)) offenders.push(`${relative(root, file)}:${index + 1}: ${code}`);
          }
        });
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('reports a number below its schema minimum under its own documented code', () => {
    const layer = parseLayer(
      '/w/.claude-env/project.yaml',
      'version: 1\nsettings:\n  cleanupPeriodDays: -1\n',
      'project',
      'project',
    );
    assert.deepEqual(
      layer.diagnostics.map((d) => d.code),
      [DiagnosticCode.schemaMinimum],
    );
  });
});
