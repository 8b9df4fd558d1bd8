/**
 * The shape every request's params must have, checked before a handler runs: a client that sends `null`, a
 * number for a URI or a position without a line gets an InvalidParams error (-32602) that says which field is
 * wrong, instead of an internal error or an empty answer that hides the mistake. Notifications cannot be
 * answered, so malformed ones are logged and dropped.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

/** What a value must be: a JSON type, or a map of required fields (other fields are allowed). */
export type ParamsShape = 'string' | 'position-number' | 'array' | 'any-object' | { [field: string]: ParamsShape };

const TEXT_DOCUMENT = { uri: 'string' } as const;
const POSITION = { line: 'position-number', character: 'position-number' } as const;
const RANGE = { start: POSITION, end: POSITION } as const;

/** Shapes of the params of each request the server answers, by LSP method. */
export const PARAMS_SHAPES = {
  textDocument: { textDocument: TEXT_DOCUMENT },
  textDocumentPosition: { textDocument: TEXT_DOCUMENT, position: POSITION },
  codeAction: { textDocument: TEXT_DOCUMENT, range: RANGE, context: { diagnostics: 'array' } },
  workspace: { uri: 'string' },
  explain: { uri: 'string', path: 'string' },
  /** Requests without params accept none, `null` or an object. */
  none: 'any-object',
  didOpen: { textDocument: { uri: 'string', languageId: 'string', version: 'position-number', text: 'string' } },
  didChange: { textDocument: { uri: 'string', version: 'position-number' }, contentChanges: 'array' },
  didChangeWatchedFiles: { changes: 'array' },
  secretNames: { names: 'array' },
} as const satisfies Record<string, ParamsShape>;

/** What is wrong with `value` for `shape`, naming the field (`position.line`), or undefined when it fits. */
export function paramsProblem(value: unknown, shape: ParamsShape, path = 'params'): string | undefined {
  if (shape === 'any-object') {
    return value === undefined || value === null || isPlainObject(value) ? undefined : `${path} must be an object`;
  }
  if (shape === 'string') return typeof value === 'string' ? undefined : `${path} must be a string`;
  if (shape === 'array') return Array.isArray(value) ? undefined : `${path} must be an array`;
  if (shape === 'position-number') {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0
      ? undefined
      : `${path} must be a non-negative integer`;
  }
  if (!isPlainObject(value)) return `${path} must be an object`;
  for (const [field, fieldShape] of Object.entries(shape)) {
    const present = Object.prototype.hasOwnProperty.call(value, field) && value[field] !== undefined;
    if (!present) return `${path}.${field} is missing`;
    const problem = paramsProblem(value[field], fieldShape, `${path}.${field}`);
    if (problem) return problem;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A request handler that answers InvalidParams when its params do not have `shape`. */
export function checkedRequest<P, R>(
  method: string,
  shape: ParamsShape,
  handler: (params: P) => R | Promise<R>,
): (params: unknown) => R | Promise<R> | ResponseError<void> {
  return (params: unknown) => {
    const problem = paramsProblem(params, shape);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, `Invalid params for ${method}: ${problem}.`);
    return handler(params as P);
  };
}

/** A notification handler that logs and drops a notification whose params do not have `shape`. */
export function checkedNotification<P>(
  method: string,
  shape: ParamsShape,
  log: (message: string) => void,
  handler: (params: P) => void,
): (params: unknown) => void {
  return (params: unknown) => {
    const problem = paramsProblem(params, shape);
    if (problem) log(`Ignored ${method}: ${problem}.`);
    else handler(params as P);
  };
}
