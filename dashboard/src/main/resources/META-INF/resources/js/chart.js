// Charts on uPlot (vendor/uplot, MIT). A chart is drawn on a canvas: every chart here also has its figures in
// a table next to it, which is what screen readers read.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './ui.js';

const INK = '#1d4f91';
/** Tick steps for counts: 1, 2, 5, 10, 20, 50, … (never a fraction of a session). */
const WHOLE = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

/**
 * A chart of one series over labelled categories (dates, hours). Returns {element, destroy}.
 * opts: {title, labels: [text], values: [number|null], format(v) -> text, bars: boolean, integer: counts only}
 */
export function seriesChart({ title, labels, values, format, bars = false, integer = false }) {
  const element = h('div', { class: 'chart', role: 'img', 'aria-label': `${title} (chart; the same figures are in the table below)` });
  const xs = labels.map((_, i) => i);
  const fmt = (v) => (v === null || v === undefined ? '\u2014' : format(v));
  const opts = {
    width: 600,
    height: 240,
    scales: { x: { time: false, range: [-0.5, Math.max(labels.length - 0.5, 0.5)] } },
    legend: { show: false },
    cursor: { y: false },
    axes: [
      {
        incrs: [1, 2, 3, 4, 6, 7, 12, 14, 24, 30, 60, 90],
        values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : '')),
        grid: { show: false },
      },
      { values: (u, splits) => splits.map((v) => fmt(v)), size: 80, incrs: integer ? WHOLE : undefined },
    ],
    series: [
      {},
      {
        label: title,
        stroke: INK,
        width: 2,
        fill: bars ? 'rgba(29, 79, 145, 0.75)' : 'rgba(29, 79, 145, 0.08)',
        points: { show: !bars && labels.length <= 62 },
        paths: bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined,
        spanGaps: false,
      },
    ],
  };
  let plot = null;
  let observer = null;
  const draw = () => {
    const width = Math.max(240, Math.floor(element.clientWidth));
    if (!plot) {
      plot = new uPlot({ ...opts, width }, [xs, values.map((v) => (v === null || v === undefined ? null : Number(v)))], element);
    } else if (plot.width !== width) {
      plot.setSize({ width, height: opts.height });
    }
  };
  // Drawn once the element is in the page and has a width.
  requestAnimationFrame(() => {
    if (!element.isConnected) {
      return;
    }
    draw();
    observer = new ResizeObserver(() => draw());
    observer.observe(element);
  });
  return {
    element,
    destroy() {
      observer?.disconnect();
      plot?.destroy();
    },
  };
}
