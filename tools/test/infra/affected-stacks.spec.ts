import { PLATFORM_STACK, inApplyOrder } from '../../infra/affected-stacks';

describe('apply order', () => {
  it('applies the platform stack before the app stacks', () => {
    expect(inApplyOrder(['infra-scraper', PLATFORM_STACK, 'infra-api', 'infra-api'])).toEqual([
      PLATFORM_STACK,
      'infra-api',
      'infra-scraper',
    ]);
  });
});
