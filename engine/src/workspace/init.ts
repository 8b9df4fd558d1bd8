import { join } from 'node:path';
import { ensureGitignore, ensureOutputsIgnored, existingProjectLayer, writeTextFile } from './files';
import { importConfiguration, type ImportReport } from './import';

/**
 * The project layer `initWorkspace` writes: the reference fleet every team starts from, and the lines that
 * connect the repository to the organisation's layers, commented out until the user knows where those live.
 */
export const PROJECT_TEMPLATE = `# The project layer: committed with the repository. Higher layers (your user layer, .claude-env/local.yaml,
# CLAUDE_ENV_* variables) override it; the organisation's base and team layers sit below it.
# Run \`claude-env show --explain\` to see which file every value comes from.
version: 1

# Where the organisation's base and team layers come from: a folder holding base.yaml and teams/<name>.yaml
# (relative to this file). Git repositories pinned to a commit are planned.
# source:
#   path: ../../org-claude-env
# teams: [web]

settings:
  permissions:
    deny:
      - Read(./.env)
      - Read(./.env.*)

mcpServers:
  context7:
    command: npx
    args: ["-y", "@upstash/context7-mcp"]
  sequential-thinking:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-sequential-thinking"]
  playwright:
    command: npx
    args: ["-y", "@playwright/mcp", "--headless", "--isolated"]
  magic:
    command: npx
    args: ["-y", "@21st-dev/magic"]
    env:
      # A reference, never the key itself: set it with CLAUDE_ENV_SECRET_MAGIC_API_KEY or in VS Code.
      API_KEY: \${secret:magic-api-key}
`;

/** How to start a workspace. */
export interface InitOptions {
  workspace: string;
  /** Import `.claude/settings.json`, `.mcp.json` and `.vscode/mcp.json` instead of writing the template. */
  fromExisting?: boolean;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * How an init ended:
 * - `created`: the template was written;
 * - `imported`: the project layer was imported from the existing files (`import` says what);
 * - `alreadyExists`: a project layer exists (`projectLayer`); nothing written;
 * - `importFailed`: `fromExisting` and the import did not write a layer (`import.outcome` says why).
 */
export type InitOutcome = 'created' | 'imported' | 'alreadyExists' | 'importFailed';

/** What an init found and wrote. Paths are absolute. */
export interface InitReport {
  outcome: InitOutcome;
  workspace: string;
  /** The project layer written, or the one that already exists. */
  projectLayer: string;
  /** Every file written, the project layer first. */
  filesWritten: string[];
  /** `.claude-env/.gitignore` was created or completed. */
  gitignoreUpdated: boolean;
  /** The repository's `.gitignore` now lists the files `apply` generates (it did not before). */
  outputsIgnored: boolean;
  /** For `fromExisting`: the import's own report. */
  import?: ImportReport;
}

/**
 * Creates `.claude-env/project.yaml` (the template, or imported from the existing files) and the `.gitignore`
 * lines that keep personal and generated files out of git. Never overwrites an existing project layer.
 * Throws `WorkspaceError` only when a file cannot be read or written.
 */
export async function initWorkspace(options: InitOptions): Promise<InitReport> {
  const { workspace } = options;
  const target = join(workspace, '.claude-env', 'project.yaml');
  const report: InitReport = {
    outcome: 'created',
    workspace,
    projectLayer: target,
    filesWritten: [],
    gitignoreUpdated: false,
    outputsIgnored: false,
  };
  const existing = existingProjectLayer(workspace);
  if (existing) return { ...report, outcome: 'alreadyExists', projectLayer: existing };
  if (options.fromExisting) {
    const imported = await importConfiguration({ workspace, to: 'project', mustCreate: true, env: options.env });
    if (imported.outcome !== 'imported') return { ...report, outcome: 'importFailed', import: imported };
    report.filesWritten.push(...imported.filesWritten);
    report.gitignoreUpdated = imported.filesWritten.includes(join(workspace, '.claude-env', '.gitignore'));
    report.outputsIgnored = await ensureOutputsIgnored(workspace);
    if (report.outputsIgnored) report.filesWritten.push(join(workspace, '.gitignore'));
    return { ...report, outcome: 'imported', projectLayer: imported.target ?? target, import: imported };
  }
  await writeTextFile(target, '.claude-env/project.yaml', PROJECT_TEMPLATE, workspace);
  report.filesWritten.push(target);
  report.gitignoreUpdated = await ensureGitignore(workspace);
  if (report.gitignoreUpdated) report.filesWritten.push(join(workspace, '.claude-env', '.gitignore'));
  report.outputsIgnored = await ensureOutputsIgnored(workspace);
  if (report.outputsIgnored) report.filesWritten.push(join(workspace, '.gitignore'));
  return report;
}
