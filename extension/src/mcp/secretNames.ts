/**
 * The language server checks `${secret:…}` references against the environment and the secrets file only; it
 * cannot read VS Code's SecretStorage. So the extension tells it which referenced secrets the storage holds —
 * names, never values — and a secret set with "Claude Env: Set Secret" stops showing as unresolved.
 */
import * as vscode from 'vscode';
import { SecretNamesNotification } from '@claude-env/protocol';
import type { Ctx } from '../ctx';
import { sendNotification } from '../requests';
import type { EditorFleet } from './fleet';
import { referencedSecretNames, type SecretStorageProvider } from './secretStorage';

export function shareHeldSecretNames(ctx: Ctx, fleet: EditorFleet, secrets: SecretStorageProvider): vscode.Disposable {
  let lastSent: string | undefined;
  let pending = Promise.resolve();
  const share = () => {
    pending = pending
      .then(async () => {
        const client = ctx.client;
        if (!client || !ctx.isReady()) return;
        const referenced = referencedSecretNames(fleet.list().map((entry) => entry.definition));
        const held: string[] = [];
        for (const name of referenced) if ((await secrets.get(name)) !== undefined) held.push(name);
        // Only a changed set is sent: the server answers with a stack change, which must not send again.
        const key = held.join('\n');
        if (key === lastSent) return;
        lastSent = key;
        await sendNotification(client, SecretNamesNotification, { names: held });
      })
      .catch(() => undefined);
  };
  fleet.on('changed', share);
  const subscriptions = [
    secrets.onDidChange(share),
    ctx.onDidChangeStack((params) => {
      // `undefined`: the client started or stopped; a new server knows nothing yet.
      if (!params) lastSent = undefined;
      share();
    }),
  ];
  share();
  return {
    dispose: () => {
      fleet.off('changed', share);
      subscriptions.forEach((s) => s.dispose());
    },
  };
}
