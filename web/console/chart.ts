/** A small consumption chart (inline SVG, no library) with its text alternative. */
import { formatNumber, formatPeriod, unitLabel } from '../shared/format.js';

export interface MonthUse {
  period: string;
  consumption: number | null | undefined;
  unit: string | null | undefined;
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 48;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * Bars for the last twelve billed months, oldest on the left. The SVG is an image named by the same
 * words a screen reader would need: every month's consumption.
 */
export function consumptionChart(bills: readonly MonthUse[]): SVGSVGElement | null {
  const months = bills.filter((b) => typeof b.consumption === 'number').slice(0, 12).reverse();
  if (months.length === 0) return null;
  const unit = unitLabel(months[0].unit);
  const max = Math.max(...months.map((m) => m.consumption!), 1);
  const label = `Споживання за ${months.length} міс., ${unit}: ${months.map((m) => `${formatPeriod(m.period)} — ${formatNumber(m.consumption!)}`).join('; ')}`;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': label, class: 'chart' });
  const title = svg('title', {});
  title.textContent = label;
  chart.append(title);
  const slot = WIDTH / 12;
  months.forEach((m, i) => {
    const height = Math.max(1, Math.round((m.consumption! / max) * (HEIGHT - 2)));
    chart.append(svg('rect', { x: Math.round(i * slot + 1), y: HEIGHT - height, width: Math.round(slot - 3), height }));
  });
  return chart;
}
