import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Synthetic Claude Code transcripts, generated at test time (never committed): `<config>/projects/<slug>/<session>.jsonl`
 * with user and assistant lines shaped like Claude Code's, streamed repeats of a message (same id and request),
 * sidechain files under `<session>/subagents/`, lines with Claude Code's own `costUSD`, models without a price,
 * malformed lines and files whose last line is still being written. The generator keeps its own totals per UTC
 * day, so a test has an oracle besides the peer.
 */
export interface TranscriptOptions {
  projects: number;
  /** Lines in all, about. */
  lines: number;
  seed?: number;
  /** Lines per session file, about. */
  sessionLines?: number;
  /** The first day (UTC) and how many days the lines spread over. */
  firstDay?: string;
  days?: number;
  /** Shares of assistant lines: repeats of the previous message, with `costUSD`, of a model without a price. */
  repeatShare?: number;
  reportedCostShare?: number;
  unknownModelShare?: number;
  /** One line in this many is malformed. */
  malformedEvery?: number;
  /** Share of session files that end with a half-written line. */
  partialShare?: number;
}

export interface DayTotals {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export interface GeneratedTranscripts {
  configDir: string;
  files: string[];
  lines: number;
  malformed: number;
  partialFiles: number;
  /** Expected tokens per UTC day after de-duplication. */
  days: Map<string, DayTotals>;
  models: Set<string>;
}

export const PRICED_MODELS = ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5', 'claude-sonnet-4-5-20250929'];
export const UNPRICED_MODEL = 'claude-nova-7';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'the build fails on the second run because the cache key ignores the lockfile hash'.split(' ');

export function generateTranscripts(configDir: string, options: TranscriptOptions): GeneratedTranscripts {
  const rand = random(options.seed ?? 1);
  const int = (max: number) => Math.floor(rand() * max);
  const sessionLines = options.sessionLines ?? 500;
  const first = Date.parse(`${options.firstDay ?? '2026-11-01'}T00:00:00Z`);
  const spread = (options.days ?? 30) * 86_400_000;
  const repeatShare = options.repeatShare ?? 0.15;
  const reportedShare = options.reportedCostShare ?? 0.05;
  const unknownShare = options.unknownModelShare ?? 0.03;
  const malformedEvery = options.malformedEvery ?? 2000;
  const partialShare = options.partialShare ?? 0.1;
  const result: GeneratedTranscripts = {
    configDir,
    files: [],
    lines: 0,
    malformed: 0,
    partialFiles: 0,
    days: new Map(),
    models: new Set(),
  };
  const perProject = Math.ceil(options.lines / options.projects);
  let messageNumber = 0;
  for (let p = 0; p < options.projects; p++) {
    const cwd = `/home/dev/work/project-${p}`;
    const folder = join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(folder, { recursive: true });
    let written = 0;
    for (let s = 0; written < perProject; s++) {
      const sessionId = `${p.toString(16).padStart(8, '0')}-0000-4000-8000-${s.toString(16).padStart(12, '0')}`;
      const subagent = rand() < 0.1;
      const count = Math.min(perProject - written, Math.max(2, Math.round(sessionLines * (0.5 + rand()))));
      let time = first + int(spread - 6 * 3_600_000);
      const path = subagent
        ? join(folder, sessionId, 'subagents', `agent-${s}.jsonl`)
        : join(folder, `${sessionId}.jsonl`);
      if (subagent) mkdirSync(join(folder, sessionId, 'subagents'), { recursive: true });
      const fd = openSync(path, 'w');
      let batch = '';
      let previous: { id: string; request: string; usage: string; model: string } | undefined;
      for (let i = 0; i < count; i++) {
        time += 1000 + int(40_000);
        const stamp = new Date(time).toISOString();
        const common = `"isSidechain":${subagent},"userType":"external","cwd":"${cwd}","sessionId":"${sessionId}","version":"2.3.1"`;
        const uuid = `${p}-${s}-${i}-${int(1e9)}`;
        if ((result.lines + 1) % malformedEvery === 0) {
          batch += `{"parentUuid":"${uuid}",${common},"message":{"id":"msg_bad","usage":{"input_tokens":12,"outp\n`;
          result.malformed++;
        } else if (rand() < 0.4) {
          const text = Array.from({ length: 6 + int(10) }, () => WORDS[int(WORDS.length)]).join(' ');
          batch +=
            `{"parentUuid":"${uuid}",${common},"type":"user","message":{"role":"user","content":"${text}"},` +
            `"uuid":"${uuid}","timestamp":"${stamp}"}\n`;
        } else {
          const repeat = previous !== undefined && rand() < repeatShare;
          const model = repeat
            ? previous!.model
            : rand() < unknownShare
              ? UNPRICED_MODEL
              : PRICED_MODELS[int(PRICED_MODELS.length)];
          const id = repeat ? previous!.id : `msg_${(messageNumber++).toString(36).padStart(10, '0')}`;
          const request = repeat ? previous!.request : `req_${int(1e12).toString(36)}${messageNumber}`;
          let usage = previous?.usage ?? '';
          if (!repeat) {
            const input = 1 + int(50);
            const output = int(3000);
            const oneHour = rand() < 0.5 ? int(8000) : 0;
            const fiveMinutes = int(4000);
            const cacheRead = int(120_000);
            usage =
              `{"input_tokens":${input},"cache_creation_input_tokens":${oneHour + fiveMinutes},` +
              `"cache_read_input_tokens":${cacheRead},"cache_creation":{"ephemeral_5m_input_tokens":${fiveMinutes},` +
              `"ephemeral_1h_input_tokens":${oneHour}},"output_tokens":${output},"service_tier":"standard"}`;
            const day = stamp.slice(0, 10);
            const totals = result.days.get(day) ?? { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
            totals.input += input;
            totals.output += output;
            totals.cacheCreation += oneHour + fiveMinutes;
            totals.cacheRead += cacheRead;
            result.days.set(day, totals);
            result.models.add(model);
          }
          const cost = !repeat && rand() < reportedShare ? `,"costUSD":${(int(100_000) / 1e6).toFixed(6)}` : '';
          batch +=
            `{"parentUuid":"${uuid}",${common},"message":{"id":"${id}","type":"message","role":"assistant",` +
            `"model":"${model}","content":[{"type":"text","text":"Done."}],"stop_reason":"end_turn",` +
            `"usage":${usage}},"requestId":"${request}","type":"assistant","uuid":"${uuid}","timestamp":"${stamp}"${cost}}\n`;
          previous = { id, request, usage, model };
        }
        result.lines++;
        if (batch.length > 256 * 1024) {
          writeSync(fd, batch);
          batch = '';
        }
      }
      if (rand() < partialShare) {
        batch += `{"parentUuid":"partial",${'"isSidechain":false'},"message":{"id":"msg_partial","usage":{"input_tok`;
        result.partialFiles++;
      }
      writeSync(fd, batch);
      closeSync(fd);
      result.files.push(path);
      written += count;
    }
  }
  return result;
}

/** One assistant line as Claude Code writes it, for hand-made transcripts. */
export function assistantLine(fields: {
  id?: string;
  requestId?: string;
  model?: string;
  timestamp: string;
  input?: number;
  output?: number;
  cacheCreation?: number;
  cacheRead?: number;
  oneHour?: number;
  costUSD?: number;
  sessionId?: string;
  cwd?: string;
}): string {
  const usage: Record<string, unknown> = {
    input_tokens: fields.input ?? 0,
    cache_creation_input_tokens: fields.cacheCreation ?? 0,
    cache_read_input_tokens: fields.cacheRead ?? 0,
    output_tokens: fields.output ?? 0,
  };
  if (fields.oneHour !== undefined)
    usage.cache_creation = {
      ephemeral_5m_input_tokens: (fields.cacheCreation ?? 0) - fields.oneHour,
      ephemeral_1h_input_tokens: fields.oneHour,
    };
  const line: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: false,
    cwd: fields.cwd ?? '/home/dev/app',
    sessionId: fields.sessionId ?? 'session-1',
    message: {
      ...(fields.id !== undefined ? { id: fields.id } : {}),
      type: 'message',
      role: 'assistant',
      model: fields.model ?? 'claude-sonnet-5-5',
      content: [{ type: 'text', text: 'ok' }],
      usage,
    },
    ...(fields.requestId !== undefined ? { requestId: fields.requestId } : {}),
    type: 'assistant',
    timestamp: fields.timestamp,
    ...(fields.costUSD !== undefined ? { costUSD: fields.costUSD } : {}),
  };
  return `${JSON.stringify(line)}\n`;
}
