/** Claude Code's usage from its transcripts: reading, pricing, budgets (docs/usage.md). */
export { transcriptRoots, listTranscripts, projectSlug, type TranscriptFile } from './locations';
export {
  TranscriptIndex,
  MAX_LINE_BYTES,
  type FileCursor,
  type MalformedLine,
  type RefreshStats,
} from './transcriptIndex';
export { readStatePath, loadTranscriptIndex, saveTranscriptIndex } from './readStateCache';
export {
  BUNDLED_PRICES,
  PRICES_CHECKED,
  PRICES_SOURCE,
  bundledPriceTable,
  modelFamily,
  priceFor,
  type ModelPrice,
  type DatedPrice,
  type PriceTable,
} from './prices';
export {
  usageRows,
  totalOf,
  dayOf,
  emptyTotals,
  type CostedTotals,
  type UsageRow,
  type Grouping,
  type ReportOptions,
} from './report';
export { budgetStatus, type BudgetStatus, type BudgetOptions } from './budget';
export { SLICE_MS, type TokenCounts } from './buckets';
export { parseTranscriptLine } from './lineParser';
export { priceTableFor } from './layerPrices';
export {
  usageSummary,
  type UsageSummary,
  type ScopeSummary,
  type DaySummary,
  type SessionSummary,
  type SummaryFigures,
  type SummaryOptions,
} from './summary';
export {
  rateLimitsOf,
  rateLimitsPath,
  saveRateLimits,
  loadRateLimits,
  type RateLimits,
  type RateLimitWindow,
} from './rateLimits';
