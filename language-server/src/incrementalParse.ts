/**
 * Re-parsing only what a keystroke changed. A layer file in block YAML is a tree of indented blocks; a large
 * block (`mcpServers` with hundreds of servers, a long `allow` list) is cut into chunks of consecutive entries
 * or items. Each chunk is parsed on its own with the engine's `parseLayer` behind synthetic `key:` lines that
 * recreate its path, so syntax and schema checks hold for it alone (the layer schema has no cross-key
 * constraints), cached by its text and moved to its current line. A keystroke then costs one chunk.
 *
 * Whenever the shortcut could disagree with a whole-file parse — JSON, anchors, aliases, tags, document
 * markers, a chunk with a syntax problem, a list chunk with any problem (its messages would count items from
 * the chunk), keys repeated across chunks, a file near the engine's size limits (which only a whole-file parse
 * checks, and which it stops at quickly) — the whole file is parsed instead.
 */
import type { Diagnostic, LayerKind, MapEntry, MapNode, ParsedLayer, Range, SourceNode } from '@claude-env/engine';
import { MAX_LAYER_BYTES, MAX_NODES, parseLayer } from '@claude-env/engine';

/** Blocks longer than this are split. */
const SPLIT_LINES = 300;
/** Chunks hold about this many lines. */
const CHUNK_LINES = 150;
/** Files shorter than this are parsed whole: chunking would cost more than it saves. */
const MIN_CHUNKED_LINES = 300;

/** Anchors (`&a`), aliases (`*a`), tags (`!t`) as tokens, document markers and directives. */
const UNSAFE = /(^|[\s[{,])[&*!][^\s,\]}]|^(---|\.\.\.|%)/m;
/** `key:` alone on its line (the key plain and simple): opens a block that may be split. */
const BLOCK_KEY = /^( *)([A-Za-z0-9_$][\w.$-]*):\s*\r?$/;
const ENTRY_KEY = /^[A-Za-z0-9_$"'][^#]*:(\s|$)/;

/** The keys above a chunk and the lines they are on. */
interface Parent {
  key: string;
  line: number;
}

/** Lines [start, end) of the file holding consecutive entries (or list items) of the block at `parents`. */
export interface Chunk {
  start: number;
  end: number;
  parents: Parent[];
  /** The block is a list: the chunk holds items, not entries. */
  items: boolean;
  text: string;
}

interface ParsedChunk {
  /** The line the chunk's ranges are counted from. */
  offset: number;
  root: MapNode | undefined;
  diagnostics: Diagnostic[];
}

/** Parses one file's successive versions, reusing the chunks an edit did not touch. */
export class IncrementalLayerParser {
  /** Parsed chunks of the previous version by path and text, with the offset their ranges were moved to. */
  private cache = new Map<string, ParsedChunk>();
  /** What the last parse did: chunks in the file and chunks parsed (0 chunks: the file was parsed whole). */
  lastStats = { chunks: 0, parsed: 0 };

  /** Same contract as the engine's `parseLayer`. */
  parse(file: string, text: string, kind: LayerKind, label: string): ParsedLayer {
    const chunks = /\.json$/i.test(file) || mayBreakLimits(text) ? undefined : splitChunks(text);
    if (!chunks) return this.parseWhole(file, text, kind, label);
    this.lastStats = { chunks: chunks.length, parsed: 0 };
    const next = new Map<string, ParsedChunk>();
    const root: MapNode = {
      type: 'map',
      entries: [],
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
    const diagnostics: Diagnostic[] = [];
    for (const chunk of chunks) {
      const offset = chunk.start - chunk.parents.length;
      const key = `${chunk.parents.map((parent) => parent.key).join('\u0001')}\u0000${chunk.text}`;
      const known = next.get(key) ?? this.cache.get(key);
      // Lines inserted above a chunk only move it: its parse is reused, shifted to where it now starts.
      const parsed = known ? moveChunk(known, offset) : this.parseChunk(file, chunk, offset, kind, label);
      if (!known) this.lastStats.parsed++;
      next.set(key, parsed);
      const refused =
        !parsed.root ||
        parsed.diagnostics.some((d) => d.code.startsWith('syntax.') || (chunk.items && d.severity !== 'hint'));
      if (refused || !graft(root, chunk, parsed.root as MapNode)) return this.parseWhole(file, text, kind, label);
      for (const diagnostic of parsed.diagnostics) diagnostics.push(diagnostic);
    }
    if (hasDuplicateKeys(root) || countNodes(root) > MAX_NODES) return this.parseWhole(file, text, kind, label);
    this.cache = next;
    const first = root.entries[0];
    const last = root.entries[root.entries.length - 1];
    if (first && last) root.range = { start: first.keyRange.start, end: last.value.range.end };
    return { kind, label, file, format: 'yaml', text, root, diagnostics };
  }

  private parseWhole(file: string, text: string, kind: LayerKind, label: string): ParsedLayer {
    this.cache.clear();
    this.lastStats = { chunks: 0, parsed: 0 };
    return parseLayer(file, text, kind, label);
  }

  private parseChunk(file: string, chunk: Chunk, offset: number, kind: LayerKind, label: string): ParsedChunk {
    const header = chunk.parents.map((parent, depth) => `${'  '.repeat(depth)}${parent.key}:\n`).join('');
    const layer = parseLayer(file, header + chunk.text, kind, label);
    return {
      offset,
      root: layer.root ? (shiftNode(layer.root, offset) as MapNode) : undefined,
      diagnostics: layer.diagnostics.map((diagnostic) => ({
        ...diagnostic,
        range: shiftRange(diagnostic.range, offset),
      })),
    };
  }
}

/**
 * Adds a chunk's entries (or items) to the tree being assembled, creating the parent entries it shares with
 * the previous chunk only once. Returns false when the chunk's shape is not the expected one.
 */
function graft(root: MapNode, chunk: Chunk, parsed: MapNode): boolean {
  let target: MapNode = root;
  let source: SourceNode = parsed;
  const ancestors: SourceNode[] = [];
  for (const parent of chunk.parents) {
    if (source.type !== 'map' || source.entries.length !== 1 || source.entries[0].key !== parent.key) return false;
    const inner: SourceNode = source.entries[0].value;
    let entry: MapEntry | undefined = target.entries[target.entries.length - 1];
    if (!entry || entry.key !== parent.key || entry.keyRange.start.line !== parent.line) {
      const empty: SourceNode =
        inner.type === 'array'
          ? { type: 'array', items: [], range: inner.range }
          : { type: 'map', entries: [], range: inner.range };
      entry = {
        key: parent.key,
        keyRange: {
          start: { line: parent.line, character: 2 * ancestors.length },
          end: { line: parent.line, character: 2 * ancestors.length + parent.key.length },
        },
        value: empty,
      };
      target.entries.push(entry);
    }
    ancestors.push(entry.value);
    source = inner;
    if (entry.value.type !== source.type) return false;
    if (entry.value.type === 'map') target = entry.value;
  }
  const holder = ancestors[ancestors.length - 1] ?? root;
  if (chunk.items) {
    if (holder.type !== 'array' || source.type !== 'array') return false;
    for (const item of source.items) holder.items.push(item);
  } else {
    if (holder.type !== 'map' || source.type !== 'map') return false;
    for (const entry of source.entries) holder.entries.push(entry);
  }
  for (const ancestor of ancestors) ancestor.range = { start: ancestor.range.start, end: source.range.end };
  return true;
}

/**
 * Whether a file may break the engine's size or node limits. Chunks are checked one by one, so only the
 * whole-file parse sees those limits; it stops at the token that breaks one, where parsing 2,000 chunks of a
 * 300,000-key file would take a minute. More lines than nodes allowed is a cheap, safe sign.
 */
function mayBreakLimits(text: string): boolean {
  if (text.length > MAX_LAYER_BYTES) return true;
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++lines > MAX_NODES) return true;
  return false;
}

/** Keys and values in a tree, counted without recursion and no further than just past the limit. */
function countNodes(root: SourceNode): number {
  let count = 0;
  const pending: SourceNode[] = [root];
  while (pending.length > 0 && count <= MAX_NODES) {
    const node = pending.pop()!;
    count++;
    if (node.type === 'map') {
      for (const entry of node.entries) {
        count++;
        pending.push(entry.value);
      }
    } else if (node.type === 'array') for (const item of node.items) pending.push(item);
  }
  return count;
}

/** Splits block YAML into chunks, or returns undefined when the file must be parsed whole. */
export function splitChunks(text: string): Chunk[] | undefined {
  if (text.charCodeAt(0) === 0xfeff || UNSAFE.test(text)) return undefined;
  const lines = text.split('\n');
  if (lines.length < MIN_CHUNKED_LINES) return undefined;
  const chunks: Chunk[] = [];
  if (!splitBlock(lines, 0, lines.length, 0, [], chunks)) return undefined;
  return chunks;
}

/**
 * Chunks the block of lines [from, end) whose entries sit at `indent`. Large entries that open a block are
 * split in turn; small neighbours are grouped. Returns false when the block is not plain enough to split.
 */
function splitBlock(
  lines: readonly string[],
  from: number,
  end: number,
  indent: number,
  parents: Parent[],
  out: Chunk[],
): boolean {
  const starts: number[] = [];
  let items = false;
  for (let i = from; i < end; i++) {
    const line = lines[i];
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed === '\r' || trimmed.startsWith('#')) continue;
    const lineIndent = line.length - trimmed.length;
    if (lineIndent < indent) return false;
    if (lineIndent > indent) {
      if (starts.length === 0) return false;
      continue;
    }
    const isItem = trimmed.startsWith('- ') || trimmed === '-' || trimmed === '-\r';
    if (starts.length === 0) items = isItem;
    if (isItem !== items || (!isItem && !ENTRY_KEY.test(trimmed))) return false;
    starts.push(i);
  }
  if (starts.length === 0) return false;
  const slice = (a: number, b: number) => lines.slice(a, b).join('\n') + (b < lines.length ? '\n' : '');
  const emit = (a: number, b: number) => out.push({ start: a, end: b, parents, items, text: slice(a, b) });
  // Leading comments or blank lines of the block travel with its first chunk.
  let groupStart = parents.length === 0 ? from : starts[0];
  for (let s = 0; s < starts.length; s++) {
    const start = starts[s];
    const stop = s + 1 < starts.length ? starts[s + 1] : end;
    const opener = items ? undefined : BLOCK_KEY.exec(lines[start]);
    if (stop - start > SPLIT_LINES && opener) {
      if (start > groupStart) emit(groupStart, start);
      const childParents = [...parents, { key: opener[2], line: start }];
      const childStart = nextContentLine(lines, start + 1, stop);
      if (childStart < 0 || !splitBlock(lines, childStart, stop, indentOf(lines[childStart]), childParents, out))
        return false;
      if (indentOf(lines[childStart]) !== indent + 2) return false;
      groupStart = stop;
      continue;
    }
    if (stop - groupStart > CHUNK_LINES && start > groupStart) {
      emit(groupStart, start);
      groupStart = start;
    }
  }
  if (end > groupStart) emit(groupStart, end);
  return true;
}

function nextContentLine(lines: readonly string[], from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const trimmed = lines[i].trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return i;
  }
  return -1;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Keys repeated across chunks (a chunk reports its own duplicates). */
function hasDuplicateKeys(map: MapNode): boolean {
  const seen = new Set<string>();
  for (const entry of map.entries) {
    if (seen.has(entry.key)) return true;
    seen.add(entry.key);
    if (entry.value.type === 'map' && hasDuplicateKeys(entry.value)) return true;
  }
  return false;
}

/** A cached chunk moved to start at `offset`. */
function moveChunk(chunk: ParsedChunk, offset: number): ParsedChunk {
  const lines = offset - chunk.offset;
  if (lines === 0) return chunk;
  return {
    offset,
    root: chunk.root ? (shiftNode(chunk.root, lines) as MapNode) : undefined,
    diagnostics: chunk.diagnostics.map((diagnostic) => ({ ...diagnostic, range: shiftRange(diagnostic.range, lines) })),
  };
}

function shiftRange(range: Range, lines: number): Range {
  if (lines === 0) return range;
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

/** A copy of `node` moved down by `lines` (the same object when nothing moves). */
function shiftNode(node: SourceNode, lines: number): SourceNode {
  if (lines === 0) return node;
  const range = shiftRange(node.range, lines);
  if (node.type === 'scalar') return { type: 'scalar', value: node.value, range };
  if (node.type === 'array') return { type: 'array', items: node.items.map((item) => shiftNode(item, lines)), range };
  return {
    type: 'map',
    range,
    entries: node.entries.map((entry) => ({
      key: entry.key,
      keyRange: shiftRange(entry.keyRange, lines),
      value: shiftNode(entry.value, lines),
    })),
  };
}
