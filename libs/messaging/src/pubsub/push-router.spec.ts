import { decodePushEnvelope } from './push-router';

describe('decodePushEnvelope', () => {
  it('decodes the wrapped push body Pub/Sub sends', () => {
    const decoded = decodePushEnvelope({
      message: {
        data: Buffer.from('{"a":1}').toString('base64'),
        attributes: { eventType: 'price.changed' },
        messageId: '42',
        publishTime: '2026-01-01T00:00:00Z',
      },
      subscription: 'projects/p/subscriptions/s',
      deliveryAttempt: 2,
    });
    expect(decoded).toEqual({
      data: Buffer.from('{"a":1}'),
      attributes: { eventType: 'price.changed' },
      messageId: '42',
      deliveryAttempt: 2,
    });
  });

  it('accepts the snake_case id and a message without data or attributes', () => {
    expect(decodePushEnvelope({ message: { message_id: '7' } })).toEqual({
      data: Buffer.alloc(0),
      attributes: {},
      messageId: '7',
    });
  });

  it.each([
    ['no body', undefined],
    ['no message', { subscription: 's' }],
    ['no message id', { message: { data: '' } }],
    ['data that is not base64', { message: { messageId: '1', data: '{not base64}' } }],
    ['a non-string attribute', { message: { messageId: '1', attributes: { n: 1 } } }],
  ])('rejects %s', (_case, body) => {
    expect(decodePushEnvelope(body)).toBeUndefined();
  });
});
