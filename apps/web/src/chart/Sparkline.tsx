/**
 * A 30-day price line small enough for a table cell: plain SVG, fixed size (no layout shift),
 * one path per row instead of a chart instance per row.
 */
import { SPARKLINE_HEIGHT, SPARKLINE_WIDTH, sparklinePath } from './sparkline-path';

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const path = sparklinePath(values);
  return (
    <svg
      className="sparkline"
      width={SPARKLINE_WIDTH}
      height={SPARKLINE_HEIGHT}
      viewBox={`0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}`}
      role="img"
      aria-label={label}
    >
      {path ? (
        <path
          d={path}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      ) : null}
    </svg>
  );
}
