/**
 * The page's charts: Chart.js with only the bar chart's parts registered, and stacked bars drawn in the editor's
 * theme colours (text in the foreground colour, grid lines in the widget border's, none where a theme has none).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartOptions,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export { Chart };

/** Options of a stacked bar chart in the theme's colours; `wholeNumbers` for counts (no 0.5 calls on the axis). */
export function stackedBarOptions(wholeNumbers = false): ChartOptions<'bar'> {
  const style = getComputedStyle(document.body);
  const foreground = style.getPropertyValue('--vscode-foreground').trim();
  const grid = style.getPropertyValue('--vscode-widget-border').trim() || 'transparent';
  return {
    animation: false,
    maintainAspectRatio: false,
    color: foreground,
    scales: {
      x: { stacked: true, ticks: { color: foreground }, grid: { color: grid } },
      y: {
        stacked: true,
        ticks: wholeNumbers ? { color: foreground, precision: 0 } : { color: foreground },
        grid: { color: grid },
      },
    },
    plugins: { legend: { labels: { color: foreground } } },
  };
}
