import { homedir } from 'node:os';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { readRegularFile, UnsafePathError } from '../safePaths';
import { hasOwn, setOwn } from '../ownKeys';
import type { ResolvedServer, ServerDefinition } from '../types';
import type { SecretProvider } from './providers';
import { scanReferences, splitReferences, type MalformedReference, type ValueReference } from './references';
import { findLiteralSecrets } from './literal';
import { claudeVariableOf } from './variables';

/** What resolution needs from the outside world. Nothing here is global so tests and the server can vary it. */
export interface ResolveContext {
  /** Absolute workspace folder: `${file:…}` paths and `cwd` are relative to it. */
  workspace: string;
  /** Source of `${secret:…}` values. */
  secrets: SecretProvider;
  /** Source of `${env:…}` values; the process environment when omitted. */
  environment?: NodeJS.ProcessEnv;
  /** Home folder for `~/`; `HOME` of `environment`, else the current user's, when omitted. */
  home?: string;
}

/** A reference that could not be turned into a value, with a message that says how to fix it. */
export interface ReferenceProblem {
  kind: 'unresolved' | 'malformed';
  /** The reference as written, e.g. `${secret:magic-api-key}`. */
  raw: string;
  /** The parsed reference (unresolved only). */
  reference?: ValueReference;
  /** Names the reference and says how to provide or correct it. */
  message: string;
}

/** One string with its references replaced by their values. */
export interface StringResolution {
  /** Undefined when a required reference could not be resolved or a reference is malformed. */
  value?: string;
  problems: ReferenceProblem[];
  /** Values that came from secrets, files or the environment (never defaults written in the file). */
  secretValues: string[];
  /** Each reference that resolved, with its value. */
  resolved: Array<{ reference: ValueReference; value: string }>;
}

/** The outcome of `resolveServer`. */
export interface ServerResolution {
  /** Present only when every reference of the server resolved. */
  server?: ResolvedServer;
  /** Problems by field, e.g. `env.API_KEY: ${secret:magic-api-key} is not set …`. */
  errors: string[];
  /** Each problem with the field path inside the server entry (e.g. `['env', 'API_KEY']`). */
  problems: Array<ReferenceProblem & { field: Array<string | number> }>;
  /**
   * Every value resolved so far, so that logs can be redacted even when resolution failed half-way, and every
   * credential written in clear in the server's fields.
   */
  secretValues: string[];
}

/** Resolves every reference in `text`. Never throws: problems are returned. */
export async function resolveString(text: string, ctx: ResolveContext): Promise<StringResolution> {
  const problems: ReferenceProblem[] = scanReferences(text).malformed.map(malformedProblem);
  const secretValues: string[] = [];
  const resolved: StringResolution['resolved'] = [];
  let value = '';
  for (const part of splitReferences(text)) {
    if (part.kind === 'text') {
      value += part.text;
      continue;
    }
    const outcome = await resolveReference(part.reference, ctx);
    if (outcome.value === undefined) {
      problems.push({
        kind: 'unresolved',
        raw: part.reference.raw,
        reference: part.reference,
        message: outcome.message,
      });
      continue;
    }
    if (outcome.secret) secretValues.push(outcome.value);
    resolved.push({ reference: part.reference, value: outcome.value });
    value += outcome.value;
  }
  return problems.length > 0 ? { problems, secretValues, resolved } : { value, problems, secretValues, resolved };
}

/**
 * Resolves one reference. `secret` tells whether the value came from outside the configuration (and so must
 * be redacted); a default written in the file is not a secret.
 */
export async function resolveReference(
  reference: ValueReference,
  ctx: ResolveContext,
): Promise<{ value: string; secret: boolean; message?: undefined } | { value?: undefined; message: string }> {
  switch (reference.kind) {
    case 'env': {
      const value = (ctx.environment ?? process.env)[reference.name];
      // `:-` follows the shell: the default also replaces an empty value.
      if (reference.defaultValue !== undefined && (value === undefined || value === '')) {
        return { value: reference.defaultValue, secret: false };
      }
      if (value !== undefined) return { value, secret: true };
      return {
        message:
          `\`${reference.raw}\` is not set: export ${reference.name} before starting, or give a default ` +
          `with \`\${env:${reference.name}:-default}\`.`,
      };
    }
    case 'secret': {
      let value: string | undefined;
      try {
        value = await ctx.secrets.get(reference.name);
      } catch (error) {
        return {
          message: `\`${reference.raw}\` could not be read from ${ctx.secrets.describe()}: ${(error as Error).message}`,
        };
      }
      if (value !== undefined) return { value, secret: true };
      const how = ctx.secrets.hint ? ctx.secrets.hint(reference.name) : `add it to ${ctx.secrets.describe()}`;
      return { message: `\`${reference.raw}\` is not set: ${how}.` };
    }
    case 'file': {
      const path = filePathOf(reference.path, ctx);
      try {
        // Regular files only, size-limited: a `${file:/dev/stdin}` or a FIFO must not block, `/dev/zero` not fill memory.
        const text = readRegularFile(path);
        if (text === undefined) throw Object.assign(new Error('does not exist'), { code: 'ENOENT' });
        // Editors and `echo` end files with a newline that is never part of the token.
        return { value: text.replace(/\r?\n$/, ''), secret: true };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'does not exist'
            : error instanceof UnsafePathError
              ? error.reason
              : `cannot be read (${code ?? (error as Error).message})`;
        return {
          message: `\`${reference.raw}\`: the file ${path} ${why}. Create it, or change the path (relative paths start at the workspace).`,
        };
      }
    }
  }
}

/** Absolute path of a `${file:…}` reference: `~/` is the home folder, relative paths start at the workspace. */
export function filePathOf(path: string, ctx: Pick<ResolveContext, 'workspace' | 'home' | 'environment'>): string {
  const trimmed = path.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return resolvePath(homeOf(ctx), trimmed.slice(2));
  return isAbsolute(trimmed) ? trimmed : resolvePath(ctx.workspace, trimmed);
}

/**
 * Resolves a server's command, args, env, headers, url and cwd in memory. `cwd` becomes absolute (the
 * workspace by default). Each secret or file the server uses is also set in `env` under the variable that
 * `.mcp.json` names for it (`${secret:magic-api-key}` → `MAGIC_API_KEY`) unless the server sets that name
 * itself. The result is for spawning only: never write it to disk or a log.
 */
export async function resolveServer(def: ServerDefinition, ctx: ResolveContext): Promise<ServerResolution> {
  const problems: ServerResolution['problems'] = [];
  const secretValues: string[] = [];
  // `${secret:x}` / `${file:p}` also go into the variable `.mcp.json` names (`X`, `FILE_P`), so that a server
  // started by claude-env sees the same environment as one Claude Code starts from the written file.
  const exported = new Map<string, string>();
  const resolveField = async (text: string, field: Array<string | number>): Promise<string> => {
    const outcome = await resolveString(text, ctx);
    // A credential written in clear (a `secret.literal` warning) is as secret as a resolved one when the server
    // echoes it back: redact it too. Judged on the text as written, by the key that holds it.
    const keyName = typeof field[1] === 'string' ? field[1] : String(field[0]);
    for (const literal of findLiteralSecrets(text, keyName)) secretValues.push(text.slice(literal.start, literal.end));
    for (const { reference, value } of outcome.resolved) {
      if (reference.kind !== 'env' && !exported.has(claudeVariableOf(reference)))
        exported.set(claudeVariableOf(reference), value);
    }
    secretValues.push(...outcome.secretValues);
    for (const problem of outcome.problems) problems.push({ ...problem, field });
    return outcome.value ?? '';
  };
  const resolveMap = async (
    map: Record<string, string> | undefined,
    field: string,
  ): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const [key, text] of Object.entries(map ?? {}))
      setOwn(out, key, await resolveField(String(text), [field, key]));
    return out;
  };

  const command = def.command === undefined ? undefined : await resolveField(def.command, ['command']);
  const args: string[] = [];
  for (const [index, arg] of (def.args ?? []).entries()) args.push(await resolveField(String(arg), ['args', index]));
  const env = await resolveMap(def.env, 'env');
  const headers = await resolveMap(def.headers, 'headers');
  const url = def.url === undefined ? undefined : await resolveField(def.url, ['url']);
  const cwdText = def.cwd === undefined ? undefined : await resolveField(def.cwd, ['cwd']);
  const cwd = cwdText ? filePathOf(cwdText, ctx) : resolvePath(ctx.workspace);

  for (const [name, value] of exported) if (!hasOwn(env, name)) setOwn(env, name, value);

  const errors = problems.map((problem) => `${def.name}: ${problem.field.join('.')}: ${problem.message}`);
  const unique = [...new Set(secretValues)];
  if (problems.length > 0) return { errors, problems, secretValues: unique };
  const server: ResolvedServer = {
    name: def.name,
    type: def.type,
    args,
    env,
    cwd,
    headers,
    supervision: def.supervision,
    secretValues: unique,
  };
  if (command !== undefined) server.command = command;
  if (url !== undefined) server.url = url;
  return { server, errors, problems, secretValues: unique };
}

function malformedProblem(malformed: MalformedReference): ReferenceProblem {
  return { kind: 'malformed', raw: malformed.raw, message: `\`${malformed.raw}\` ${malformed.reason}.` };
}

function homeOf(ctx: Pick<ResolveContext, 'home' | 'environment'>): string {
  return ctx.home ?? ((ctx.environment ?? process.env).HOME || homedir());
}
