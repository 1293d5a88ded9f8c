import { newId } from './ids';
import { decodePageToken, encodePageToken } from './pagination';

describe('page tokens', () => {
  it('round-trips a cursor through an opaque URL-safe token', () => {
    const id = newId();
    const token = encodePageToken({ id });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(id);
    expect(decodePageToken(token)).toEqual({ id });
  });

  it('round-trips the sort and last value of a sorted page', () => {
    const id = newId();
    expect(decodePageToken(encodePageToken({ id, sort: 'price:asc', value: '19.99' }))).toEqual({
      id,
      sort: 'price:asc',
      value: '19.99',
    });
    expect(decodePageToken(encodePageToken({ id, sort: 'name:desc', value: null }))).toEqual({
      id,
      sort: 'name:desc',
      value: null,
    });
  });

  it.each([
    ['empty', ''],
    ['not base64url', '!!!'],
    ['padded', `${encodePageToken({ id: newId() })}=`],
    ['standard base64 with + and /', '+/+/'],
    ['base64url of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON without an id', Buffer.from('{"x":1}').toString('base64url')],
    ['JSON with a non-UUID id', Buffer.from('{"id":"1"}').toString('base64url')],
    [
      'JSON with extra fields',
      Buffer.from(JSON.stringify({ id: newId(), admin: true })).toString('base64url'),
    ],
    ['JSON array', Buffer.from('[1]').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('returns null for a token that is %s', (_label, token) => {
    expect(decodePageToken(token)).toBeNull();
  });

  it('returns null for a truncated token', () => {
    const token = encodePageToken({ id: newId() });
    expect(decodePageToken(token.slice(0, -3))).toBeNull();
  });
});
