import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerCatalog } from './types';

type ListKind = keyof ServerCatalog;

/** Pages followed per list; a server that keeps returning cursors must not loop forever. */
const MAX_PAGES = 50;

export function emptyCatalog(): ServerCatalog {
  return { tools: [], resources: [], prompts: [] };
}

/** `catalog` with every text the server sent passed through `redact`. */
export function redactCatalog(catalog: ServerCatalog, redact: (text: string) => string): ServerCatalog {
  const optional = (text: string | undefined) => (text === undefined ? {} : { description: redact(text) });
  return {
    tools: catalog.tools.map((tool) => ({ name: redact(tool.name), ...optional(tool.description) })),
    resources: catalog.resources.map((resource) => ({ uri: redact(resource.uri), name: redact(resource.name) })),
    prompts: catalog.prompts.map((prompt) => ({ name: redact(prompt.name), ...optional(prompt.description) })),
  };
}

/** Keeps a server's tools, resources and prompts current, and forwards its logging notifications. */
export interface CatalogWatch {
  /** Lists everything the server's capabilities announce. */
  refreshAll(): Promise<void>;
}

/**
 * Registers the notification handlers on `client` (before connect, so that nothing sent right after the
 * handshake is missed) and returns the refresher.
 */
export function createCatalogWatch(
  client: Client,
  onList: (kind: ListKind, catalog: ServerCatalog) => void,
  onServerLog: (level: string, text: string) => void,
  onProblem: (message: string) => void,
): CatalogWatch {
  const catalog = emptyCatalog();

  const refresh = async (kind: ListKind): Promise<void> => {
    try {
      if (kind === 'tools')
        catalog.tools = await collect(
          (cursor) => client.listTools({ cursor }),
          (page) => page.tools.map(({ name, description }) => ({ name, description })),
        );
      if (kind === 'resources')
        catalog.resources = await collect(
          (cursor) => client.listResources({ cursor }),
          (page) => page.resources.map(({ uri, name }) => ({ uri, name })),
        );
      if (kind === 'prompts')
        catalog.prompts = await collect(
          (cursor) => client.listPrompts({ cursor }),
          (page) => page.prompts.map(({ name, description }) => ({ name, description })),
        );
    } catch (error) {
      // A server that cannot list is still a server; the failure is logged, not fatal.
      onProblem(`listing ${kind} failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    onList(kind, { ...catalog });
  };

  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void refresh('tools'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void refresh('resources'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => void refresh('prompts'));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, logger, data } = notification.params;
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    onServerLog(level, logger ? `${logger}: ${text}` : text);
  });

  return {
    async refreshAll() {
      const capabilities = client.getServerCapabilities() ?? {};
      const kinds = (['tools', 'resources', 'prompts'] as const).filter((kind) => capabilities[kind]);
      await Promise.all(kinds.map(refresh));
    },
  };
}

async function collect<Page extends { nextCursor?: string }, Item>(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[],
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    items.push(...itemsOf(result));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}
