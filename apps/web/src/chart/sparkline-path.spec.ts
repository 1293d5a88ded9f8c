import { sparklinePath } from './sparkline-path';

describe('sparklinePath', () => {
  it('spans the width and puts the highest price at the top', () => {
    expect(sparklinePath([10, 20], 100, 24)).toBe('M0.0,22.0L100.0,2.0');
  });

  it('lifts the pen over a missing price instead of drawing through it', () => {
    expect(sparklinePath([1, null, 3], 100, 24)).toBe('M0.0,22.0M100.0,2.0');
  });

  it('draws a flat series across the middle and nothing without prices', () => {
    expect(sparklinePath([5, 5], 10, 20)).toBe('M0.0,10.0L10.0,10.0');
    expect(sparklinePath([null])).toBe('');
  });
});

describe('sparklinePath with one price', () => {
  it('draws a dot where the lone price is', () => {
    expect(sparklinePath([7], 10, 20)).toBe('M5.0,10.0l0,0');
  });
});
