/**
 * How the servers section writes its figures: counts, times of day, uptime and latency (as `claude-env mcp
 * health` writes them), and notes with code in them.
 */
import { element } from './dom';
import type { HealthWindow } from './messages';

export function sentence(...parts: (string | { code: string })[]): HTMLElement {
  const paragraph = element('p', undefined, 'note');
  for (const part of parts) paragraph.append(typeof part === 'string' ? part : element('code', part.code));
  return paragraph;
}

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function sliceLabel(window: HealthWindow, start: string): string {
  const at = new Date(start);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return window === 'day' ? time : `${at.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
}

export function timeText(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

/** As `claude-env mcp health`: a server that was down at all never rounds up to 100 %. */
export function uptimeText(uptime: number | undefined): string {
  if (uptime === undefined) return '–';
  const percent = uptime * 100;
  return `${percent < 100 ? Math.min(99.9, Math.round(percent * 10) / 10).toFixed(1) : '100'} %`;
}

export function latencyText(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The time a report was read, to the second: "updated 12:30:05". */
export function updatedText(iso: string): string {
  return `updated ${new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}
