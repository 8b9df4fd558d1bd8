/**
 * Every diagnostic code claude-env reports, in one place. The CLI prints them (`file:line:col: severity code:
 * message`), the language server publishes them, scripts and quick fixes match on them: a code never changes
 * meaning once published. docs/diagnostics.md documents each one; test/engine/diagnosticCodes.test.ts keeps the two
 * in step, and no source file writes a code as a string literal.
 */
export const DiagnosticCode = {
  /** YAML or JSON that does not parse (at the offending token). */
  syntaxInvalid: 'syntax.invalid',
  /** A key written twice in one map (at the second one; the first wins). */
  syntaxDuplicateKey: 'syntax.duplicateKey',
  /** A YAML key that is not a plain string. */
  syntaxComplexKey: 'syntax.complexKey',
  /** YAML aliases that expand past the node limit (an alias bomb); expansion stops. */
  syntaxAliasLimit: 'syntax.aliasLimit',
  /** A layer file over the size limit. */
  syntaxTooLarge: 'syntax.tooLarge',
  /** Maps and lists nested deeper than the documented limit (a stack overflow otherwise). */
  syntaxTooDeep: 'syntax.tooDeep',
  /** More keys, items and values in one file than the documented limit. */
  syntaxTooManyNodes: 'syntax.tooManyNodes',
  /** A number JSON cannot hold (`.inf`, `.nan`, out of range, or an integer past 2^53 - 1). */
  syntaxNumber: 'syntax.number',
  /** A file that is not text. */
  syntaxBinary: 'syntax.binary',

  /** A key the format does not know, with a "did you mean". */
  schemaUnknownKey: 'schema.unknownKey',
  /** An unknown Claude Code setting or server field: kept as written. */
  schemaUnknownSetting: 'schema.unknownSetting',
  /** A required property is missing (on the parent key). */
  schemaMissingProperty: 'schema.missingProperty',
  /** A value of the wrong type. */
  schemaType: 'schema.type',
  /** A value not among the allowed ones. */
  schemaEnum: 'schema.enum',
  /** A value that must be one constant. */
  schemaConst: 'schema.const',
  /** A value in the wrong format. */
  schemaFormat: 'schema.format',
  /** A number below its minimum (a timeout of 0, say). */
  schemaMinimum: 'schema.minimum',
  /** A string shorter than allowed (an empty `command`, say). */
  schemaMinLength: 'schema.minLength',
  /** Any other schema violation. */
  schemaInvalid: 'schema.invalid',
  /** A server name with characters a layer does not allow. */
  schemaInvalidName: 'schema.invalidName',

  /** A malformed `$delete` or `$replace`. */
  directiveInvalid: 'directive.invalid',
  /** A `$` key that is not a directive. */
  directiveUnknown: 'directive.unknown',
  /** `$delete` where no lower layer sets the key. */
  directiveNothingToDelete: 'directive.nothingToDelete',

  /** Two files of the same layer set one key differently and no higher layer decides. */
  mergeConflict: 'merge.conflict',
  /** A list item (a permission rule, say) already in the merged list: listed once (info, at the duplicate). */
  mergeDuplicate: 'merge.duplicate',
  /** A value changes type across layers (at the higher line). */
  mergeTypeChange: 'merge.typeChange',

  /** A later layer changes a key locked by base or team (the locked value stays). */
  policyLockedKey: 'policy.lockedKey',
  /** A `$replace`/`$delete` removes a lower layer's deny rule (the rule stays). */
  policyDenyRemoved: 'policy.denyRemoved',
  /** A server not on the policy's allow-list. */
  policyServerNotAllowed: 'policy.serverNotAllowed',
  /** A server on the policy's deny-list. */
  policyServerDenied: 'policy.serverDenied',
  /** A project, user or local line that Claude Code ignores under the org's managed settings (`allowManaged…Only`). */
  policyManagedOverrides: 'policy.managedOverrides',
  /** `policy` in a project, user or local layer: ignored. */
  policyNotHonoured: 'policy.notHonoured',

  /** A budget above the one a base or team layer sets: the lower budget stays. */
  budgetRaised: 'budget.raised',
  /** `budgets` in a user or local layer (or a variable): ignored, budgets are the project's and the org's. */
  budgetNotHonoured: 'budget.notHonoured',
  /** `pricing` outside base and team: ignored, prices are the organisation's to state. */
  pricingNotHonoured: 'pricing.notHonoured',

  /** No project layer (`.claude-env/project.yaml`). */
  stackNoProject: 'stack.noProject',
  /** The org source folder does not exist. */
  stackSourceMissing: 'stack.sourceMissing',
  /** The org source has no `base.yaml`. */
  stackBaseMissing: 'stack.baseMissing',
  /** A listed team has no layer file in the source. */
  stackTeamMissing: 'stack.teamMissing',
  /** Teams are listed but no source says where to find them. */
  stackNoSource: 'stack.noSource',
  /** A selected team name that is not a plain name. */
  stackTeamInvalid: 'stack.teamInvalid',
  /** The source points back at the project itself. */
  stackSourceCycle: 'stack.sourceCycle',
  /** A git source whose URL, ref or sub-folder cannot be used as written. */
  stackGitSourceInvalid: 'stack.gitSourceInvalid',
  /** A git source that `.claude-env/lock.yaml` does not pin (or pinned for another URL, ref or sub-folder). */
  stackGitNotLocked: 'stack.gitNotLocked',
  /** The locked commit of a git source is not in the cache: `claude-env fetch` brings it. */
  stackGitNotFetched: 'stack.gitNotFetched',
  /** The cached files of a git source differ from the lock's content hash (the cache was changed). */
  stackGitContentMismatch: 'stack.gitContentMismatch',
  /** `.claude-env/lock.yaml` cannot be read or is not a lock file. */
  stackLockInvalid: 'stack.lockInvalid',
  /** `source`/`teams` outside the project layer: ignored. */
  stackSourceIgnored: 'stack.sourceIgnored',
  /** A layer file exists but cannot be read. */
  stackUnreadable: 'stack.unreadable',

  /** `fetch`/`update`/`status`: the repository could not be reached or read (network, credentials, no such repository). */
  sourceFetchFailed: 'source.fetchFailed',
  /** `fetch`/`update`/`status`: the ref is no branch, tag or commit of the repository. */
  sourceRefNotFound: 'source.refNotFound',
  /** The locked (or named) commit is not reachable from its ref: history rewritten, or an impostor commit. */
  sourceCommitUnreachable: 'source.commitUnreachable',
  /** The repository's files at the locked commit do not match the lock's content hash (the lock was edited). */
  sourceContentMismatch: 'source.contentMismatch',
  /** The commit has no such sub-folder. */
  sourceFolderMissing: 'source.folderMissing',
  /** The source folder holds more files or bytes than claude-env checks out. */
  sourceTooLarge: 'source.tooLarge',
  /** A layer file of the repository that claude-env does not read: a symbolic link leading out of it, a huge file. */
  sourceUnsafeFile: 'source.unsafeFile',
  /** `--frozen`: the lock is missing or does not pin the source as the project layer writes it. */
  sourceLockStale: 'source.lockStale',

  /** A secret reference without default that nothing provides. */
  secretUnresolved: 'secret.unresolved',
  /** A `${…}` that is not a valid reference. */
  secretMalformed: 'secret.malformed',
  /** A literal that looks like an API key where a `${secret:…}` belongs. */
  secretLiteral: 'secret.literal',
  /** The secrets file is readable by others. */
  secretFilePermissions: 'secret.filePermissions',
  /** The secrets file exists but cannot be read. */
  secretFileUnreadable: 'secret.fileUnreadable',
  /** The secrets file is malformed. */
  secretFileSyntax: 'secret.fileSyntax',

  /** A server name Claude Code rewrites in its tool names (`mcp__<name>__<tool>`), or a client cannot hold. */
  clientServerName: 'client.serverName',
  /** `cwd` on a stdio server written to `.mcp.json`: Claude Code ignores it (VS Code and the gateway honour it). */
  clientCwdIgnored: 'client.cwdIgnored',
  /** A transport or field one client that reads the written file does not know (`ws` in VS Code, say). */
  clientTransport: 'client.transport',

  /** A setting Claude Code honours only in managed settings; claude-env writes it where it has no effect. */
  scopeManagedOnly: 'scope.managedOnly',
  /** A setting Claude Code ignores in a committed `.claude/settings.json` (a file cannot approve its own servers). */
  scopeNotInSharedSettings: 'scope.notInSharedSettings',
  /** A key that Claude Code reads only from `~/.claude.json`, not from a settings file. */
  scopeClaudeJsonOnly: 'scope.claudeJsonOnly',

  /** A stdio server's command is not on PATH (language server only: it looks at the machine). */
  serverCommandNotFound: 'server.commandNotFound',
  /** A stdio server's `cwd` folder does not exist (language server only). */
  serverCwdMissing: 'server.cwdMissing',

  /** `import`: a Claude Code or VS Code JSON file that does not parse. */
  importSyntax: 'import.syntax',
  /** `import`: a value the file's own program would refuse too (a wrong type, an unknown transport). */
  importInvalid: 'import.invalid',
  /** `import`: a file, section or server that is not the object its format expects. */
  importShape: 'import.shape',
  /** `import`: two imported files set one key differently; the later file's value is used. */
  importConflict: 'import.conflict',
  /** `import`: a key that is not part of the file's format; not imported. */
  importUnknownKey: 'import.unknownKey',
  /** `import`: a `$` right before a variable, which a layer reads as an escaped `${`; kept as text. */
  importDollarBeforeVariable: 'import.dollarBeforeVariable',
  /** `import`: a `${` Claude Desktop passes as text, which Claude Code and VS Code would expand. */
  importLiteralVariable: 'import.literalVariable',
  /** `import`: a variable only VS Code expands (`${workspaceFolder}`, …); kept as text. */
  importVscodeVariable: 'import.vscodeVariable',
} as const;

/** One of the codes of {@link DiagnosticCode}. */
export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];
