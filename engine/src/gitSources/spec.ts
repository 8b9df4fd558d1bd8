import { isAbsolute, posix, resolve } from 'node:path';
import { credentialReason } from '../secrets/literal';
import type { MapEntry, MapNode, Range } from '../types';

/** A git repository named by `source` in the project layer: where, which ref, which sub-folder. */
export interface GitSourceSpec {
  /** The project key that names it (`source`); the lock file records it under this name. */
  name: string;
  /** The repository as written. */
  url: string;
  /** What git is given: the URL, with a relative local path resolved against the project layer's folder. */
  remote: string;
  /** Branch, tag or commit as written. */
  ref: string;
  /** Sub-folder of the repository holding base.yaml and teams/ (`''` for the top), normalised, `/` separators. */
  path: string;
  /** Ranges for diagnostics: the whole `source` value, its key, and each field (the shorthand's string for all). */
  range: Range;
  keyRange: Range;
  urlRange: Range;
  refRange: Range;
}

/** A problem with a git source as written, at its range. */
export interface SpecProblem {
  range: Range;
  message: string;
}

/** `git+<url>#<ref>` or `git+<url>#<ref>:<sub-folder>` (git refs cannot hold `:`). */
const SHORTHAND = /^git\+(.+)#([^#:]+)(?::(.*))?$/s;

/** Whether a `source` value names a git repository (the map form with `git`, or the `git+` shorthand). */
export function isGitSource(entry: MapEntry): boolean {
  const value = entry.value;
  if (value.type === 'scalar') return typeof value.value === 'string' && value.value.startsWith('git+');
  return value.type === 'map' && value.entries.some((e) => e.key === 'git');
}

/**
 * Reads a git source from the project layer's `source` entry. `projectDir` is the folder of the project layer (a
 * relative local repository path is taken from there, like a folder source's `path`). Returns the spec or the
 * problems, each at its range; a shape the schema already reports (a number for `ref`) returns neither.
 */
export function readGitSpec(entry: MapEntry, projectDir: string): { spec?: GitSourceSpec; problems: SpecProblem[] } {
  const value = entry.value;
  let url: string | undefined;
  let ref: string | undefined;
  let path = '';
  let urlRange = value.range;
  let refRange = value.range;
  let pathRange = value.range;
  if (value.type === 'scalar' && typeof value.value === 'string') {
    const match = SHORTHAND.exec(value.value);
    if (!match) {
      const message =
        "Write a git source as 'git+<url>#<ref>' or 'git+<url>#<ref>:<sub-folder>' (e.g. git+https://example.com/org.git#v3).";
      return { problems: [{ range: value.range, message }] };
    }
    [, url, ref, path = ''] = match;
  } else if (value.type === 'map') {
    const field = (name: string) => stringField(value, name);
    const git = field('git');
    const written = field('ref');
    if (!git || !written) return { problems: [] }; // the schema reports a missing or non-string field
    const sub = field('path');
    url = git.value;
    urlRange = git.range;
    ref = written.value;
    refRange = written.range;
    if (sub) {
      path = sub.value;
      pathRange = sub.range;
    }
  } else {
    return { problems: [] };
  }
  const problems: SpecProblem[] = [];
  const urlProblem = remoteProblem(url);
  if (urlProblem) problems.push({ range: urlRange, message: urlProblem });
  const refIssue = refProblem(ref);
  if (refIssue) problems.push({ range: refRange, message: refIssue });
  const folder = normaliseSubFolder(path);
  if (folder === undefined) {
    problems.push({
      range: pathRange,
      message: `The sub-folder '${path}' must be a relative path inside the repository, without '..'.`,
    });
  }
  if (problems.length > 0 || folder === undefined) return { problems };
  const remote = isLocalPath(url) && !isAbsolute(url) ? resolve(projectDir, url) : url;
  return {
    spec: {
      name: entry.key,
      url,
      remote,
      ref,
      path: folder,
      range: value.range,
      keyRange: entry.keyRange,
      urlRange,
      refRange,
    },
    problems,
  };
}

function stringField(map: MapNode, name: string): { value: string; range: Range } | undefined {
  const entry = map.entries.find((e) => e.key === name);
  if (!entry || entry.value.type !== 'scalar' || typeof entry.value.value !== 'string') return undefined;
  return { value: entry.value.value, range: entry.value.range };
}

const SCHEMES = /^(https?|ssh|git|file):\/\//i;
/**
 * `user@host:path` or `host:path` (a `Host` alias of `~/.ssh/config`), as ssh and git write it. Not `scheme://`,
 * and not `transport::address` (a remote helper, like `ext::`, which runs a command); a one-letter host would be a
 * Windows drive.
 */
const SCP_LIKE = /^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9][A-Za-z0-9.-]+:(?!:|\/\/)/;

/** Whether git reaches this repository URL over SSH (`ssh://` or the scp-like form). */
export function isSshUrl(url: string): boolean {
  return /^ssh:\/\//i.test(url) || (!SCHEMES.test(url) && SCP_LIKE.test(url));
}

function isLocalPath(url: string): boolean {
  return url.startsWith('/') || url.startsWith('./') || url.startsWith('../');
}

/**
 * Why git must not be given this URL, or undefined. Only ordinary transports are accepted: `ext::` and `fd::` run
 * or reach arbitrary programs, and an argument or host starting with `-` could be read by git or ssh as an option.
 */
export function remoteProblem(url: string): string | undefined {
  if (/[\u0000-\u0020\u007f]/.test(url)) return 'The repository URL holds a space or a control character.';
  if (url.startsWith('-')) return 'The repository URL must not start with -.';
  if (isLocalPath(url)) return undefined;
  if (SCP_LIKE.test(url)) return undefined;
  if (SCHEMES.test(url)) {
    const credential = credentialProblem(url);
    if (credential) return credential;
    const authority = url.replace(SCHEMES, '').replace(/^[^/@]*@/, '');
    if (authority.startsWith('-')) return 'The repository host must not start with -.';
    return undefined;
  }
  return `'${displayUrl(url)}' is not a repository URL claude-env fetches: use https://, ssh://, git://, file://, user@host:path or a local path.`;
}

/** Why a ref as written cannot be a branch, tag or commit name, or undefined (git's check-ref-format rules). */
export function refProblem(ref: string): string | undefined {
  const bad =
    ref === '' ||
    ref.startsWith('-') ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock') ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.includes('@{') ||
    ref === '@' ||
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(ref);
  return bad ? `'${ref}' is not a branch, tag or commit name.` : undefined;
}

/** `claude-env/` → `claude-env`; `''`/`.` → `''`; a path leaving the repository (or absolute) → undefined. */
export function normaliseSubFolder(path: string): string | undefined {
  if (path.includes('\\') || path.includes('\u0000') || posix.isAbsolute(path)) return undefined;
  const normal = posix.normalize(path === '' ? '.' : path).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  if (normal.split('/').some((part) => part.toLowerCase() === '.git')) return undefined;
  return normal === '.' ? '' : normal;
}

/** `scheme://` and the user information before `@` of a URL (`user`, `user:password`, a token). */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)@/i;

/**
 * Why the URL's user information must not be used: a password, or a user name that is a token (`https://ghp_…@host`,
 * which some hosts accept). A layer is committed and its URL is written to the lock, so credentials in it would
 * travel; git gets them from a credential helper instead. A plain user name (`https://alice@host/…`) is kept: it
 * tells the credential helper which account to answer for.
 */
export function credentialProblem(url: string): string | undefined {
  const info = USER_INFO.exec(url)?.[2];
  if (info === undefined) return undefined;
  const what = info.includes(':')
    ? 'a password (user:password@)'
    : credentialReason(info, true)
      ? 'a token as user name'
      : '';
  if (!what) return undefined;
  return (
    `The repository URL holds ${what}: a layer is committed and its URL goes into the lock, so claude-env takes no ` +
    'credentials from it. Remove them from the URL and give them to git with a credential helper (git config ' +
    "--global credential.helper …, or 'git credential approve')."
  );
}

/**
 * The URL with any credentials in it masked (`https://user:***@host/…`, `https://***@host/…` for a token as user
 * name): for messages, never for git.
 */
export function displayUrl(url: string): string {
  return url.replace(USER_INFO, (whole, scheme: string, info: string) => {
    if (info.includes(':')) return `${scheme}${info.slice(0, info.indexOf(':'))}:***@`;
    return credentialReason(info, true) ? `${scheme}***@` : whole;
  });
}
