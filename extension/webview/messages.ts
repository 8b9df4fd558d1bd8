/**
 * The messages between the extension and the dashboard webview, both ways. Plain data only: the webview gets
 * figures, never paths it could open or commands it could run.
 */

/** Tokens and known cost of one model (or of all) in one period. */
export interface Figures {
  tokens: number;
  costUSD: number;
  /** Tokens of models without a known price: their cost is unknown, not zero. */
  unknownPriceTokens: number;
}

/** One day of the chart: figures per model. */
export interface DayFigures {
  day: string;
  models: Record<string, Figures>;
}

export interface SessionFigures extends Figures {
  session: string;
  project: string;
  models: string[];
  /** Time of the last activity, `HH:MM` local. */
  lastActivity: string;
}

export interface BudgetFigures {
  month: string;
  budgetUSD: number;
  spentUSD: number;
  forecastUSD: number;
  fraction: number;
  monthEnd: string;
  unknownPriceTokens: number;
}

/** What one scope (this project, or all projects) shows. */
export interface ScopeFigures {
  days: DayFigures[];
  month: Figures & { month: string };
  sessionsToday: SessionFigures[];
}

/** extension → webview: everything the dashboard shows. */
export interface DashboardData {
  type: 'data';
  generatedAt: string;
  projectName: string;
  /** Undefined when the transcripts hold nothing for this folder. */
  project: ScopeFigures | undefined;
  all: ScopeFigures;
  budget: BudgetFigures | undefined;
  unknownPriceModels: string[];
  pricesChecked: string;
  malformedLines: number;
  transcriptFolders: number;
}

/** webview → extension: read the transcripts again now. */
export interface RefreshRequest {
  type: 'refresh';
}
