/**
 * The price history chart (uPlot: canvas, stays fast with tens of thousands of points). Price as
 * steps (a price holds until the next observation), list price dashed, periods out of stock
 * shaded; drag to zoom, double-click to zoom out, presets set the window. The chart's box has a
 * fixed height from the first render, so nothing moves when data arrives.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { presetWindow, type PriceSeries, type RangePreset } from './price-series';

export const CHART_HEIGHT = 300;

/** Marks on the performance timeline, read by tools/bench/web-chart.ts. */
export const CHART_FIRST_DRAW_MARK = 'shelfwatch:chart-first-draw';

function shadeStockGaps(gaps: PriceSeries['stockGaps']): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (chart) => {
        const { ctx, bbox } = chart;
        ctx.save();
        ctx.fillStyle = 'rgba(180, 35, 24, 0.12)';
        for (const [from, to] of gaps) {
          const left = chart.valToPos(from, 'x', true);
          const right = chart.valToPos(to, 'x', true);
          const x = Math.max(bbox.left, left);
          const width = Math.min(bbox.left + bbox.width, Math.max(right, left + 2)) - x;
          if (width > 0) ctx.fillRect(x, bbox.top, width, bbox.height);
        }
        ctx.restore();
      },
    },
  };
}

export function PriceChart({
  series,
  preset,
  label,
}: {
  series: PriceSeries;
  preset: RangePreset;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let firstDraw = true;
    const money = (value: number | null) =>
      value === null ? '—' : `${value.toFixed(2)}${series.currency ? ` ${series.currency}` : ''}`;
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height: CHART_HEIGHT,
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false } },
      legend: { show: true },
      axes: [{}, { values: (_chart, ticks) => ticks.map((tick) => tick.toFixed(2)), size: 64 }],
      series: [
        {},
        {
          label: 'Price',
          stroke: '#1d4ed8',
          width: 2,
          paths: uPlot.paths.stepped!({ align: 1 }),
          points: { show: series.x.length < 60 },
          value: (_chart, value) => money(value),
        },
        {
          label: 'List price',
          stroke: '#6b7280',
          dash: [6, 4],
          width: 1.5,
          paths: uPlot.paths.stepped!({ align: 1 }),
          points: { show: false },
          value: (_chart, value) => money(value),
        },
      ],
      plugins: [shadeStockGaps(series.stockGaps)],
      hooks: {
        draw: [
          () => {
            if (!firstDraw) return;
            firstDraw = false;
            performance.mark(CHART_FIRST_DRAW_MARK, { detail: { points: series.x.length } });
            element.dataset['drawn'] = String(series.x.length);
          },
        ],
      },
    };
    const instance = new uPlot(options, [series.x, series.price, series.listPrice], element);
    chart.current = instance;
    const resize = new ResizeObserver(() => {
      instance.setSize({ width: Math.max(280, element.clientWidth), height: CHART_HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.destroy();
      chart.current = null;
      delete element.dataset['drawn'];
    };
  }, [series]);

  useEffect(() => {
    const window = presetWindow(series.x, preset);
    if (chart.current && window) chart.current.setScale('x', window);
  }, [series, preset]);

  return (
    <div
      ref={box}
      className="price-chart"
      role="figure"
      aria-label={label}
      data-testid="price-chart"
      style={{ minHeight: CHART_HEIGHT + 40 }}
    />
  );
}
