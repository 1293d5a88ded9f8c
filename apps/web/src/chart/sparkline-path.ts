/** The SVG path of a sparkline: values scaled into a fixed box, pen lifted over gaps. */
export const SPARKLINE_WIDTH = 96;
export const SPARKLINE_HEIGHT = 24;

export function sparklinePath(
  values: readonly (number | null)[],
  width = SPARKLINE_WIDTH,
  height = SPARKLINE_HEIGHT,
): string {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let path = '';
  let pen = 'M';
  values.forEach((value, index) => {
    if (value === null) {
      pen = 'M';
      return;
    }
    const x = values.length > 1 ? index * step : width / 2;
    const y = max === min ? height / 2 : height - 2 - ((value - min) / span) * (height - 4);
    path += `${pen}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = 'L';
  });
  // A single known price is a dot: a zero-length segment that round caps make visible.
  if (known.length === 1) path += `l0,0`;
  return path;
}
