import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from './signature';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

describe('signWebhook', () => {
  const payload = JSON.stringify({ type: 'webhook.ping', data: { n: 1 } });

  it('signs so that the standardwebhooks library verifies it', () => {
    const secret = newSecret();
    const headers = signWebhook([secret], 'msg_1', new Date(), payload);

    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
  });

  it('during a rotation sends both signatures, each verifying with its own secret', () => {
    const [current, previous] = [newSecret(), newSecret()];
    const headers = signWebhook([current, previous], 'msg_2', new Date(), payload);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(payload, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(payload, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(payload, { ...headers })).toThrow();
  });

  it('fails verification when the body was changed', () => {
    const secret = newSecret();
    const headers = signWebhook([secret], 'msg_3', new Date(), payload);

    expect(() => new Webhook(secret).verify(`${payload} `, { ...headers })).toThrow();
  });
});
