import { priceHistoryCsv } from './price-history-csv';

describe('priceHistoryCsv', () => {
  it('writes a header and one CRLF row per point with exact decimal strings', () => {
    const csv = priceHistoryCsv({
      productId: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8d',
      nextPageToken: null,
      items: [
        {
          id: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8e',
          observedAt: '2025-01-31T12:00:00.000Z',
          price: { amount: '1234.50', currency: 'EUR' },
          listPrice: { amount: '1299.00', currency: 'EUR' },
          availability: 'InStock',
          notModified: false,
          runId: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8f',
        },
        {
          id: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c90',
          observedAt: '2025-01-31T13:00:00.000Z',
          price: null,
          listPrice: null,
          availability: 'OutOfStock',
          notModified: true,
          runId: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c91',
        },
      ],
    });
    expect(csv).toBe(
      'observed_at,amount,currency,list_price,availability,not_modified,run_id\r\n' +
        '2025-01-31T12:00:00.000Z,1234.50,EUR,1299.00,InStock,false,01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8f\r\n' +
        '2025-01-31T13:00:00.000Z,,,,OutOfStock,true,01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c91\r\n',
    );
  });
});
