import { signLinkToken, unsubscribeUrl, verifyLinkToken } from './link-tokens';

describe('signed link tokens', () => {
  const secret = 'a-test-secret-of-enough-length';

  it('give back the recipient they were signed for', () => {
    const token = signLinkToken(secret, 'unsubscribe', '0190d5a0-0000-7000-8000-000000000001');
    expect(verifyLinkToken(secret, 'unsubscribe', token)).toBe(
      '0190d5a0-0000-7000-8000-000000000001',
    );
  });

  it('refuse a token signed with another secret, a changed subject or garbage', () => {
    const token = signLinkToken(secret, 'unsubscribe', 'recipient-a');
    expect(verifyLinkToken('another-secret', 'unsubscribe', token)).toBeNull();
    const [version, , mac] = token.split('.');
    const forged = `${version}.${Buffer.from('recipient-b').toString('base64url')}.${mac}`;
    expect(verifyLinkToken(secret, 'unsubscribe', forged)).toBeNull();
    expect(verifyLinkToken(secret, 'unsubscribe', 'not-a-token')).toBeNull();
    expect(verifyLinkToken(secret, 'unsubscribe', '')).toBeNull();
  });

  it('put the token on the public unsubscribe route', () => {
    const url = new URL(unsubscribeUrl('http://127.0.0.1:8080', secret, 'recipient-a'));
    expect(url.pathname).toBe('/email/unsubscribe');
    expect(verifyLinkToken(secret, 'unsubscribe', url.searchParams.get('token')!)).toBe(
      'recipient-a',
    );
  });
});
