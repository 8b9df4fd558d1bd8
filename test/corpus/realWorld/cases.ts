/**
 * Files as teams have them in public repositories: each case reproduces traits seen there, written for this suite
 * (no file is copied). `traits` names what a case exercises; realWorld.test.ts counts the distinct ones.
 */
export interface RealWorldCase {
  name: string;
  /** Workspace-relative path → text, exactly as the program that reads it would find it. */
  files: Record<string, string>;
  /** Files to name to `claude-env import` (default: the project defaults found). */
  importArgs?: string[];
  traits: string[];
  /** The import must fail with an error located in this file (Claude Code would refuse it too). */
  rejectedIn?: string;
  /** Codes `import` or `validate` must report (warnings and infos: what a person should know). */
  expectCodes?: string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const CASES: RealWorldCase[] = [
  {
    name: 'a monorepo .mcp.json whose servers run from sub-folders',
    files: {
      '.mcp.json': json({
        mcpServers: {
          'docs-index': { command: 'node', args: ['dist/index.js'], cwd: 'packages/docs-mcp' },
          'Dev Box MCP': { type: 'stdio', command: 'uv', args: ['run', 'devbox-mcp'], cwd: 'tools/devbox', env: {} },
        },
      }),
    },
    traits: ['cwd in .mcp.json', 'server name with spaces', 'stdio without type'],
    expectCodes: ['client.cwdIgnored', 'client.serverName'],
  },
  {
    name: 'a VS Code mcp.json with cwd, registry-style names, comments and trailing commas',
    files: {
      '.vscode/mcp.json': [
        '{',
        '  // Servers for Copilot agent mode',
        '  "$schema": "vscode://schemas/mcp",',
        '  "inputs": [',
        '    { "type": "promptString", "id": "gh-pat", "description": "GitHub token", "password": true },',
        '  ],',
        '  "servers": {',
        '    "io.github.ChromeDevTools/chrome-devtools-mcp": {',
        '      "type": "stdio", "command": "npx", "args": ["chrome-devtools-mcp@latest", "--isolated"],',
        '    },',
        '    "microsoft/playwright-mcp": { "command": "npx", "args": ["@playwright/mcp@latest"], "cwd": "e2e" },',
        '    "github": {',
        '      "type": "http", "url": "https://api.githubcopilot.com/mcp/",',
        '      "headers": { "Authorization": "Bearer ${input:gh-pat}" },',
        '    },',
        '  },',
        '}',
        '',
      ].join('\n'),
    },
    traits: [
      'cwd in .vscode/mcp.json',
      'server name with slash',
      'server name with dots',
      'JSONC comments',
      'trailing commas',
      'VS Code password input',
      '$schema in mcp.json',
      'http server with bearer header',
    ],
    expectCodes: ['client.serverName', 'client.cwdIgnored', 'secret.unresolved'],
  },
  {
    name: 'settings.json with hooks of every kind and fields newer than the schema',
    files: {
      '.claude/settings.json': json({
        $schema: 'https://json.schemastore.org/claude-code-settings.json',
        $comment: 'Shared settings; personal ones go in settings.local.json',
        hooks: {
          PostToolUse: [
            {
              matcher: 'Edit|Write',
              hooks: [
                { type: 'command', command: 'npx prettier --write "$CLAUDE_FILE_PATHS"', statusMessage: 'Formatting…' },
                { type: 'command', command: 'scripts/lint-changed.sh', async: true, timeout: 120 },
              ],
            },
          ],
          PreToolUse: [
            {
              matcher: 'Bash',
              hooks: [
                { type: 'command', command: 'python3', args: ['.claude/hooks/guard.py'], shell: 'bash' },
                { type: 'agent', prompt: 'Check that $ARGUMENTS does not touch production', timeout: 60 },
              ],
            },
          ],
          Stop: [{ hooks: [{ type: 'http', url: 'http://localhost:8787/claude/stop', headers: { 'X-Team': 'web' } }] }],
          SessionStart: [{ hooks: [{ type: 'mcp_tool', server: 'memory', tool: 'read_graph', input: {} }] }],
          PostToolUseFailure: [{ matcher: '*', hooks: [{ type: 'command', command: 'notify-send "tool failed"' }] }],
          preToolUse: [{ hooks: [{ type: 'command', command: 'echo lowercase event' }] }],
        },
      }),
    },
    traits: [
      '$schema in settings.json',
      '$comment in settings',
      'hook statusMessage',
      'hook async',
      'hook args',
      'hook shell',
      'hook type agent',
      'hook type http',
      'hook type mcp_tool',
      'newer hook event',
      'differently spelled hook event',
      '$ in settings values',
    ],
    expectCodes: ['schema.unknownSetting'],
  },
  {
    name: 'settings.json of a plugin-using team with sandbox, status line and attribution',
    files: {
      '.claude/settings.json': json({
        permissions: {
          allow: ['Bash(npm run test:*)', 'Bash(npm run lint)', 'Bash(npm run test:*)', 'WebFetch(domain:docs.github.com)'],
          deny: ['Read(./.env)', 'Read(./.env.*)'],
          defaultMode: 'acceptEdits',
        },
        statusLine: { type: 'command', command: '~/.claude/statusline.sh', padding: 0 },
        outputStyle: 'Explanatory',
        enabledPlugins: { 'formatter@team-tools': true, 'legacy@team-tools': false },
        extraKnownMarketplaces: { 'team-tools': { source: { source: 'github', repo: 'example-org/claude-plugins' } } },
        sandbox: { enabled: true, excludedCommands: ['docker'], network: { allowedDomains: ['registry.npmjs.org'] } },
        attribution: { commit: '', pr: '' },
        spinnerVerbs: { mode: 'append', verbs: ['Compiling'] },
        env: { NODE_OPTIONS: '--max-old-space-size=4096', DISABLE_TELEMETRY: '1' },
      }),
    },
    traits: [
      'duplicate permission rule',
      'statusLine',
      'outputStyle',
      'enabledPlugins',
      'extraKnownMarketplaces',
      'sandbox',
      'attribution',
      'unknown top-level setting',
      'settings env',
    ],
    expectCodes: ['merge.duplicate', 'schema.unknownSetting'],
  },
  {
    name: 'a committed settings.json that approves its own servers',
    files: {
      '.claude/settings.json': json({ enableAllProjectMcpServers: true, enabledMcpjsonServers: ['context7'] }),
      '.mcp.json': json({ mcpServers: { context7: { type: 'http', url: 'https://mcp.context7.com/mcp' } } }),
    },
    traits: ['project approves own servers', 'http server'],
    expectCodes: ['scope.notInSharedSettings'],
  },
  {
    name: 'remote servers in the forms Claude Code accepts today',
    files: {
      '.mcp.json': json({
        mcpServers: {
          linear: { type: 'streamable-http', url: 'https://mcp.linear.app/mcp' },
          sentry: { type: 'sse', url: 'https://mcp.sentry.dev/sse' },
          internal: {
            type: 'http',
            url: 'https://mcp.internal.example/mcp',
            headersHelper: 'scripts/mcp-headers.sh',
            oauth: { clientId: 'claude-code', callbackPort: 8123 },
            timeout: 600000,
            alwaysLoad: true,
          },
          realtime: { type: 'ws', url: 'wss://mcp.example.dev/ws' },
          api: { type: 'http', url: '${API_BASE_URL:-https://api.example.dev}/mcp', headers: { 'X-Api-Key': '${API_KEY}' } },
        },
      }),
    },
    traits: [
      'type streamable-http',
      'sse server',
      'headersHelper',
      'oauth',
      'server timeout',
      'alwaysLoad',
      'ws server',
      'variable with default',
    ],
    expectCodes: ['client.transport'],
  },
  {
    name: 'servers with notes and fields of other tools',
    files: {
      '.mcp.json': json({
        $schema: 'https://example.dev/mcp.schema.json',
        mcpServers: {
          memory: {
            $comment: 'knowledge graph kept in the repository',
            _comment: 'delete memory.json to start over',
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-memory'],
            env: { MEMORY_FILE_PATH: '${PWD}/memory.json' },
            disabled: false,
            autoApprove: ['read_graph'],
          },
        },
      }),
    },
    traits: [
      '$comment in a server',
      '_comment in a server',
      'fields of other tools in a server',
      '$schema in .mcp.json',
      'variable in env',
    ],
    expectCodes: ['schema.unknownSetting'],
  },
  {
    name: "Claude Desktop's claude_desktop_config.json",
    files: {
      'claude_desktop_config.json': json({
        globalShortcut: 'Alt+Space',
        mcpServers: {
          filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/shared'] },
          notes: { command: 'bash', args: ['-c', 'cd "${HOME}/notes" && node index.js'] },
        },
        preferences: { quickEntryShortcut: 'off' },
      }),
    },
    importArgs: ['claude_desktop_config.json'],
    traits: ['Claude Desktop config', 'Claude Desktop own keys', 'literal ${ in Claude Desktop'],
    expectCodes: ['import.unknownKey', 'import.literalVariable'],
  },
  {
    name: "Cursor's .cursor/mcp.json",
    files: {
      '.cursor/mcp.json': json({
        mcpServers: {
          postgres: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', '${env:DATABASE_URL}'] },
          tasks: { command: 'node', args: ['${workspaceFolder}/tools/tasks.js'], envFile: '.env.local' },
          figma: { url: 'https://mcp.figma.example/mcp' },
        },
      }),
    },
    importArgs: ['.cursor/mcp.json'],
    traits: ['Cursor config', 'Cursor env variable', 'envFile', 'url without type'],
    expectCodes: ['import.vscodeVariable'],
  },
  {
    name: 'a personal settings.local.json',
    files: {
      '.claude/settings.local.json': json({
        permissions: { allow: ['Bash(git log:*)', 'mcp__Dev_Box_MCP__run'], defaultMode: 'plan' },
        enabledMcpjsonServers: ['Dev Box MCP'],
        model: 'opus',
      }),
    },
    importArgs: ['.claude/settings.local.json'],
    traits: ['settings.local.json', 'local approval of servers'],
  },
  {
    name: 'keys that have no effect in a project settings file',
    files: {
      '.claude/settings.json': json({
        allowManagedHooksOnly: true,
        mcpServers: { search: { command: 'npx', args: ['-y', 'search-mcp'] } },
        permissions: { allow: ['Read(docs/**)'] },
      }),
    },
    traits: ['managed-only key in project settings', 'mcpServers inside settings.json'],
    expectCodes: ['scope.managedOnly', 'scope.claudeJsonOnly'],
  },
  {
    name: 'a Windows team: CRLF line ends, tabs, backslash paths and cmd /c',
    files: {
      '.mcp.json':
        '{\r\n\t"mcpServers": {\r\n\t\t"fs": {\r\n\t\t\t"command": "cmd",\r\n' +
        '\t\t\t"args": ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem", "C:\\\\Users\\\\dev\\\\src"]\r\n' +
        '\t\t},\r\n\t\t"日本語メモ": { "command": "node", "args": ["notes\\\\server.js"] }\r\n\t}\r\n}\r\n',
    },
    traits: ['CRLF line ends', 'tab indentation', 'backslash paths', 'cmd /c launcher', 'non-ASCII server name'],
    expectCodes: ['client.serverName'],
  },
  {
    name: 'container and Python launchers with secrets passed through',
    files: {
      '.mcp.json': json({
        mcpServers: {
          github: {
            command: 'docker',
            args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
          },
          fetch: { command: 'uvx', args: ['mcp-server-fetch', '--ignore-robots-txt'] },
          project: { command: '${CLAUDE_PROJECT_DIR}/scripts/mcp.sh', args: ['--root', '${CLAUDE_PROJECT_DIR}'] },
          pinned: { command: 'npx', args: ['-y', '@upstash/context7-mcp@1.0.14'], env: { DEFAULT_MINIMUM_TOKENS: '6000' } },
        },
      }),
    },
    traits: ['docker launcher', 'env passthrough flag', 'uvx launcher', 'CLAUDE_PROJECT_DIR variable', 'pinned package version'],
  },
  {
    name: 'settings.json with the permission and login keys of a careful team',
    files: {
      '.claude/settings.json': json({
        model: 'opus',
        apiKeyHelper: '~/.claude/anthropic-key.sh',
        forceLoginMethod: 'console',
        cleanupPeriodDays: 14,
        includeCoAuthoredBy: false,
        permissions: {
          allow: ['mcp__github__get_issue', 'mcp__context7'],
          ask: ['Bash(git push:*)'],
          deny: ['Bash(curl:*)', 'WebFetch'],
          additionalDirectories: ['../shared-docs'],
          disableBypassPermissionsMode: 'disable',
          defaultMode: 'dontAsk',
        },
        hooks: {
          Notification: [{ matcher: '', hooks: [{ type: 'command', command: 'say "Claude needs you"' }] }],
          PreToolUse: [{ matcher: 'mcp__github__.*', hooks: [{ type: 'prompt', prompt: 'Is $ARGUMENTS read-only?' }] }],
        },
        env: { ANTHROPIC_MODEL: 'claude-opus-4-1', CLAUDE_CODE_ENABLE_TELEMETRY: '1' },
      }),
    },
    traits: [
      'apiKeyHelper',
      'forceLoginMethod',
      'includeCoAuthoredBy',
      'ask rules',
      'additionalDirectories',
      'disableBypassPermissionsMode',
      'defaultMode dontAsk',
      'Notification hook with empty matcher',
      'prompt hook',
      'MCP tool permission rules',
    ],
  },
  {
    name: "a VS Code mcp.json with VS Code's own fields",
    files: {
      '.vscode/mcp.json': json({
        inputs: [{ type: 'promptString', id: 'db-path', description: 'Path to the SQLite file' }],
        servers: {
          sqlite: {
            type: 'stdio',
            command: 'uvx',
            args: ['mcp-server-sqlite', '--db-path', '${input:db-path}'],
            envFile: '${workspaceFolder}/.env',
            dev: { watch: 'src/**/*.py' },
          },
          events: { type: 'sse', url: 'http://localhost:8931/sse' },
        },
      }),
    },
    traits: ['VS Code plain input', 'envFile with workspaceFolder', 'VS Code dev block', 'local sse server'],
    expectCodes: ['import.vscodeVariable', 'schema.unknownSetting'],
  },
  {
    name: 'a settings.json Claude Code refuses (a number written as text)',
    files: { '.claude/settings.json': json({ model: 'sonnet', cleanupPeriodDays: '30' }) },
    traits: ['invalid value type'],
    rejectedIn: '.claude/settings.json',
  },
  {
    name: 'an .mcp.json with a transport Claude Code does not know',
    files: { '.mcp.json': json({ mcpServers: { odd: { type: 'pipe', command: 'odd-server' } } }) },
    traits: ['unknown transport'],
    rejectedIn: '.mcp.json',
  },
];
