/**
 * Typed sending of the protocol module's messages. The specs are plain `{ method }` objects (see protocol.ts),
 * so the types are recovered here once instead of cast at every call site.
 */
import type { Disposable, LanguageClient } from 'vscode-languageclient/node';
import type { NotificationSpec, RequestSpec } from '@claude-env/protocol';

export function sendRequest<Params, Result>(
  client: LanguageClient,
  spec: RequestSpec<Params, Result>,
  params: Params,
): Promise<Result> {
  return client.sendRequest(spec.method, params) as Promise<Result>;
}

export function onNotification<Params>(
  client: LanguageClient,
  spec: NotificationSpec<Params>,
  handler: (params: Params) => void,
): Disposable {
  return client.onNotification(spec.method, handler);
}

export function sendNotification<Params>(
  client: LanguageClient,
  spec: NotificationSpec<Params>,
  params: Params,
): Promise<void> {
  return client.sendNotification(spec.method, params);
}
