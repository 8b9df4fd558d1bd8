import { generateTranscripts } from './test/helpers/transcripts';
import { TranscriptIndex, usageRows, bundledPriceTable, transcriptRoots } from '@claude-env/engine';
import { mkdtempSync } from 'node:fs';
async function main() {
  const dir = mkdtempSync('/tmp/usage-fix-');
  let t = Date.now();
  const gen = generateTranscripts(dir, { projects: Number(process.argv[2] ?? 10), lines: Number(process.argv[3] ?? 20000) });
  console.log('gen', Date.now() - t, 'ms', gen.lines, gen.files.length, dir);
  t = Date.now();
  const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: dir }));
  const stats = await index.refresh();
  console.log('read', Date.now() - t, 'ms', stats, index.malformedCount, gen.malformed, index.buckets.size, index.seen.size);
  const rows = usageRows(index.buckets, { groupBy: 'day', prices: bundledPriceTable(), utc: true });
  let bad = 0;
  for (const row of rows) { const e = gen.days.get(row.key)!; if (e.input !== row.input || e.output !== row.output || e.cacheRead !== row.cacheRead || e.cacheCreation !== row.cacheCreation) bad++; }
  console.log('rows', rows.length, 'mismatch', bad, rows[0]);
}
main();
