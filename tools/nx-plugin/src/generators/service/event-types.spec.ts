import { eventWiring } from './event-types';

describe('event types named on the service generator', () => {
  it('maps registered event types to their topics, once each', () => {
    expect(eventWiring('subscribes', 'price.changed, scrape.failed,price.changed')).toEqual([
      { type: 'price.changed', topic: 'price-changed', key: 'priceChanged' },
      { type: 'scrape.failed', topic: 'scrape-failed', key: 'scrapeFailed' },
    ]);
  });

  it('takes nothing as no events', () => {
    expect(eventWiring('publishes', undefined)).toEqual([]);
  });

  it('refuses an event type the registry does not have, naming it and the known ones', () => {
    expect(() => eventWiring('subscribes', 'price.changed,price.exploded')).toThrow(
      /--subscribes: "price\.exploded" is not an event type of the contracts topic registry .*Known: scrape\.requested, /,
    );
  });
});
