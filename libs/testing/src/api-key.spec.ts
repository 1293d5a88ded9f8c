import { randomApiKey } from './api-key';

describe('randomApiKey', () => {
  it('makes a new key of the api key format each call', () => {
    const keys = new Set(Array.from({ length: 50 }, () => randomApiKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^sw_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
  });
});
