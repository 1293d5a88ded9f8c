import { serviceDescription } from './description';

describe('a service description on the generator', () => {
  it('keeps apostrophes and other text as written', () => {
    expect(serviceDescription("  delivers each account's alerts <fast> & signed ")).toEqual({
      line: "delivers each account's alerts <fast> & signed",
      dockerLabel: "delivers each account's alerts <fast> & signed",
    });
  });

  it('escapes what a double-quoted Dockerfile label value would read otherwise', () => {
    expect(serviceDescription('prices in "$" and C:\\path').dockerLabel).toBe(
      'prices in \\"\\$\\" and C:\\\\path',
    );
  });

  it('refuses an empty description or one of several lines, saying so', () => {
    expect(() => serviceDescription('  ')).toThrow(/--description must be one non-empty line/);
    expect(() => serviceDescription('first\nsecond')).toThrow(
      /--description must be one non-empty line, got "first\\nsecond"/,
    );
  });
});
