import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile } from '../safePaths';
import type { Diagnostic } from '../types';
import { DiagnosticCode, type DiagnosticCodeValue } from '../diagnosticCodes';

/**
 * Where `${secret:name}` values come from. The CLI and containers use the environment and a 0600 file; the
 * VS Code extension supplies one backed by SecretStorage with the same interface.
 */
export interface SecretProvider {
  /** Returns the secret, or undefined when this provider does not hold it. */
  get(name: string): Promise<string | undefined>;
  /** What this provider reads, for messages, e.g. `environment variables CLAUDE_ENV_SECRET_*`. */
  describe(): string;
  /** How a person provides one named secret through this provider, e.g. `export CLAUDE_ENV_SECRET_X=…`. */
  hint?(name: string): string;
  /** Problems with the provider itself (e.g. a secrets file readable by others). Never includes a value. */
  check?(): Promise<Diagnostic[]>;
}

/** The variable that carries secret `name` in the environment: `magic-api-key` → `CLAUDE_ENV_SECRET_MAGIC_API_KEY`. */
export function secretVariableName(name: string): string {
  return `CLAUDE_ENV_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Reads `CLAUDE_ENV_SECRET_<NAME>` from an environment (the process environment unless given). */
export class EnvironmentSecretProvider implements SecretProvider {
  constructor(private readonly environment: NodeJS.ProcessEnv = process.env) {}

  async get(name: string): Promise<string | undefined> {
    return this.environment[secretVariableName(name)];
  }

  describe(): string {
    return 'environment variables CLAUDE_ENV_SECRET_*';
  }

  hint(name: string): string {
    return `set the environment variable ${secretVariableName(name)}`;
  }
}

/** `$XDG_CONFIG_HOME/claude-env/secrets.env`, default `~/.config/claude-env/secrets.env`. */
export function defaultSecretsFile(
  environment: NodeJS.ProcessEnv = process.env,
  home: string = environment.HOME || homedir(),
): string {
  const configHome =
    environment.XDG_CONFIG_HOME && environment.XDG_CONFIG_HOME.trim()
      ? environment.XDG_CONFIG_HOME
      : join(home, '.config');
  return join(configHome, 'claude-env', 'secrets.env');
}

/** One parsed `name=value` line of a secrets file, or a line that could not be understood. */
interface SecretsFileContent {
  values: Map<string, string>;
  /** Zero-based line numbers of lines that are neither blank, a comment, nor `name=value`. */
  badLines: number[];
}

/** Parses `name=value` lines; `#` starts a comment line; one pair of matching quotes around a value is removed. */
export function parseSecretsFile(text: string): SecretsFileContent {
  const values = new Map<string, string>();
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const equals = trimmed.indexOf('=');
    const name = equals > 0 ? trimmed.slice(0, equals).trim() : '';
    if (!name) {
      badLines.push(index);
      return;
    }
    let value = trimmed.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
    }
    values.set(name, value);
  });
  return { values, badLines };
}

/**
 * Reads secrets from a `name=value` file. The file is read on every lookup so that an edit takes effect
 * without restarting anything; it is tiny. Looser permissions than 0600 are reported by `check()` but the
 * file is still read: refusing would only push people towards putting the key in a committed file.
 */
export class SecretsFileProvider implements SecretProvider {
  constructor(readonly path: string = defaultSecretsFile()) {}

  async get(name: string): Promise<string | undefined> {
    const text = await this.readText();
    return text === undefined ? undefined : parseSecretsFile(text).values.get(name);
  }

  describe(): string {
    return `secrets file ${this.path}`;
  }

  hint(name: string): string {
    return `add a line \`${name}=…\` to ${this.path} (chmod 600)`;
  }

  async check(): Promise<Diagnostic[]> {
    const diagnostics: Diagnostic[] = [];
    let mode: number;
    try {
      mode = (await fsp.stat(this.path)).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      return [
        this.diagnostic(
          0,
          DiagnosticCode.secretFileUnreadable,
          `Cannot read the secrets file ${this.path}: ${(error as Error).message}`,
        ),
      ];
    }
    // Windows has no POSIX permission bits worth checking; its ACLs are outside what stat reports.
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      diagnostics.push(
        this.diagnostic(
          0,
          DiagnosticCode.secretFilePermissions,
          `The secrets file ${this.path} can be read by other users (mode ` +
            `${(mode & 0o777).toString(8).padStart(4, '0')}). Run \`chmod 600 ${this.path}\`.`,
          'warning',
        ),
      );
    }
    // Unreadable content is already what `get` reports per secret; here it only means no syntax check.
    const text = await this.readText().catch(() => undefined);
    for (const line of text === undefined ? [] : parseSecretsFile(text).badLines) {
      diagnostics.push(
        this.diagnostic(
          line,
          DiagnosticCode.secretFileSyntax,
          `Line ${line + 1} of ${this.path} is not \`name=value\` (nor a \`#\` comment) and is ignored.`,
          'warning',
        ),
      );
    }
    return diagnostics;
  }

  private async readText(): Promise<string | undefined> {
    return readRegularFile(this.path);
  }

  private diagnostic(
    line: number,
    code: DiagnosticCodeValue,
    message: string,
    severity: Diagnostic['severity'] = 'error',
  ): Diagnostic {
    const position = { line, character: 0 };
    return { file: this.path, range: { start: position, end: position }, severity, code, message };
  }
}

/** Asks each provider in turn; the first that holds the secret wins. */
export class ChainSecretProvider implements SecretProvider {
  readonly providers: readonly SecretProvider[];

  constructor(providers: readonly SecretProvider[]) {
    this.providers = providers;
  }

  async get(name: string): Promise<string | undefined> {
    for (const provider of this.providers) {
      const value = await provider.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  describe(): string {
    return this.providers.map((provider) => provider.describe()).join(', then ');
  }

  hint(name: string): string {
    return this.providers
      .map((provider) => (provider.hint ? provider.hint(name) : `add it to ${provider.describe()}`))
      .join(', or ');
  }

  async check(): Promise<Diagnostic[]> {
    const all = await Promise.all(
      this.providers.map((provider) => (provider.check ? provider.check() : Promise.resolve([]))),
    );
    return all.flat();
  }
}

/** The CLI and container default: `CLAUDE_ENV_SECRET_*` variables first, then the secrets file. */
export function defaultSecretProvider(
  environment: NodeJS.ProcessEnv = process.env,
  home: string = environment.HOME || homedir(),
): ChainSecretProvider {
  return new ChainSecretProvider([
    new EnvironmentSecretProvider(environment),
    new SecretsFileProvider(defaultSecretsFile(environment, home)),
  ]);
}
