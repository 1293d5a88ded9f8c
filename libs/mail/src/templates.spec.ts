import type { AlertRaised } from '@shelfwatch/contracts';
import { alertMail, digestMail, verificationMail } from './templates';

const drop: AlertRaised = {
  alertId: '0190d5a0-0000-7000-8000-000000000001',
  accountId: '0190d5a0-0000-7000-8000-000000000002',
  watchId: '0190d5a0-0000-7000-8000-000000000003',
  productId: '0190d5a0-0000-7000-8000-000000000004',
  targetId: '0190d5a0-0000-7000-8000-000000000005',
  kind: 'price_drop',
  url: 'https://shop.example.com/p/1?a=1&b=2',
  productName: 'Espresso <Deluxe>',
  watchLabels: ['kitchen'],
  previous: { amount: '399', currency: 'EUR' },
  current: { amount: '349.5', currency: 'EUR' },
  previousAvailability: 'InStock',
  availability: 'InStock',
  changePercent: '-12.41',
  targetPrice: null,
  observedAt: '2026-12-01T12:00:00.000Z',
};

describe('mail templates', () => {
  it('say what changed, at which price, in the subject and both bodies', () => {
    const mail = alertMail(drop, 'http://127.0.0.1:8080/email/unsubscribe?token=t');
    expect(mail.subject).toBe('Price drop: Espresso <Deluxe> at 349.50 EUR (-12.41%)');
    expect(mail.text).toContain('Price: 399.00 EUR → 349.50 EUR');
    expect(mail.text).toContain('Unsubscribe: http://127.0.0.1:8080/email/unsubscribe?token=t');
    expect(mail.html).toContain('<h1>Price drop: Espresso &lt;Deluxe&gt;</h1>');
    expect(mail.html).toContain('href="https://shop.example.com/p/1?a=1&amp;b=2"');
    expect(mail.html).not.toContain('<Deluxe>');
  });

  it('name a restock by its availability change', () => {
    const restock: AlertRaised = {
      ...drop,
      kind: 'back_in_stock',
      previous: null,
      changePercent: null,
      previousAvailability: 'OutOfStock',
    };
    const mail = alertMail(restock, 'http://x.test/u');
    expect(mail.subject).toBe('Back in stock: Espresso <Deluxe> at 349.50 EUR');
    expect(mail.text).toContain('Availability: out of stock → in stock');
  });

  it('count the alerts of a digest and list each', () => {
    const mail = digestMail([drop, { ...drop, productName: 'Grinder' }], 'http://x.test/u');
    expect(mail.subject).toBe('2 changes on your watches');
    expect(mail.text).toContain('Price drop: Espresso <Deluxe>');
    expect(mail.text).toContain('Price drop: Grinder');
    expect(mail.html.match(/<h2>/g)).toHaveLength(2);
    expect(() => digestMail([], 'http://x.test/u')).toThrow('at least one alert');
  });

  it('link the verification page and say when the link expires', () => {
    const mail = verificationMail({
      verifyUrl: 'http://127.0.0.1:8080/email/verify?token=abc',
      expiresAt: new Date('2026-12-03T12:00:00Z'),
    });
    expect(mail.text).toContain('http://127.0.0.1:8080/email/verify?token=abc');
    expect(mail.text).toContain('2026-12-03T12:00:00.000Z');
    expect(mail.html).toContain('href="http://127.0.0.1:8080/email/verify?token=abc"');
  });
});
