/**
 * `${secret:name}` on the desktop: VS Code's SecretStorage (the OS keychain), then the same environment
 * variables and secrets file the CLI reads, so a secret set for the terminal works in the editor too.
 */
import * as vscode from 'vscode';
import { ChainSecretProvider, defaultSecretProvider, findReferences, type SecretProvider } from '@claude-env/engine';
import type { ServerDefinition } from '@claude-env/engine';

/** SecretStorage keys are shared by the whole extension; the prefix keeps secrets apart from other state. */
const KEY_PREFIX = 'claudeEnv.secret.';

/** Reads `${secret:name}` from VS Code's SecretStorage. */
export class SecretStorageProvider implements SecretProvider {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(name: string): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(KEY_PREFIX + name));
  }

  store(name: string, value: string): Promise<void> {
    return Promise.resolve(this.storage.store(KEY_PREFIX + name, value));
  }

  delete(name: string): Promise<void> {
    return Promise.resolve(this.storage.delete(KEY_PREFIX + name));
  }

  /** Fires with the secret's name when it is stored or deleted (also from another window). */
  onDidChange(listener: (name: string) => void): vscode.Disposable {
    return this.storage.onDidChange((event) => {
      if (event.key.startsWith(KEY_PREFIX)) listener(event.key.slice(KEY_PREFIX.length));
    });
  }

  describe(): string {
    return 'VS Code secret storage';
  }

  hint(name: string): string {
    return `run "Claude Env: Set Secret" and store \`${name}\``;
  }
}

/** SecretStorage first, then `CLAUDE_ENV_SECRET_*` variables and the secrets file, as the CLI does. */
export function editorSecretProvider(storage: SecretStorageProvider): ChainSecretProvider {
  return new ChainSecretProvider([storage, ...defaultSecretProvider(process.env).providers]);
}

/** Names of the secrets the servers reference, for the Set Secret picker. */
export function referencedSecretNames(definitions: readonly ServerDefinition[]): string[] {
  const names = new Set<string>();
  for (const definition of definitions) {
    const texts = [
      definition.command ?? '',
      definition.url ?? '',
      definition.cwd ?? '',
      ...(definition.args ?? []),
      ...Object.values(definition.env ?? {}),
      ...Object.values(definition.headers ?? {}),
    ];
    for (const text of texts) {
      for (const reference of findReferences(text)) if (reference.kind === 'secret') names.add(reference.name);
    }
  }
  return [...names].sort();
}

/** Arguments a caller (a test, another extension) may pass instead of answering the prompts. */
export interface SetSecretArgs {
  name?: string;
  value?: string;
}

const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * "Claude Env: Set Secret": picks a secret name (those the servers reference are offered first), asks for the
 * value in a password box and stores it. Returns the name stored, or undefined when cancelled.
 */
export async function setSecret(
  storage: SecretStorageProvider,
  referenced: string[],
  args: SetSecretArgs = {},
): Promise<string | undefined> {
  let name = args.name;
  if (!name) {
    const other = 'Another name…';
    const picked = referenced.length
      ? await vscode.window.showQuickPick([...referenced, other], {
          placeHolder: 'Secret referenced as ${secret:name}',
        })
      : other;
    if (!picked) return undefined;
    name =
      picked === other
        ? await vscode.window.showInputBox({
            prompt: 'Secret name, as written in ${secret:name}',
            validateInput: (text) => (SECRET_NAME.test(text) ? undefined : 'Letters, digits, dot, dash and underscore'),
          })
        : picked;
  }
  if (!name) return undefined;
  if (!SECRET_NAME.test(name))
    throw new Error(`"${name}" is not a secret name: use letters, digits, dot, dash and underscore`);
  const value =
    args.value ??
    (await vscode.window.showInputBox({
      prompt: `Value of \${secret:${name}} (kept in VS Code's secret storage, never written to a file)`,
      password: true,
      ignoreFocusOut: true,
    }));
  if (value === undefined) return undefined;
  await storage.store(name, value);
  return name;
}
