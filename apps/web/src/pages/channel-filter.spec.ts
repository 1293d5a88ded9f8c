import { ALERT_KINDS, channelFilterOf, describeFilter } from './channel-filter';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('channelFilterOf', () => {
  it('reads the ticked kinds in their order and a trimmed label', () => {
    expect(
      channelFilterOf(
        form({ 'kind-back_in_stock': 'on', 'kind-price_drop': 'on', label: ' kitchen ' }),
      ),
    ).toEqual({ kinds: ['price_drop', 'back_in_stock'], label: 'kitchen' });
  });

  it('gives no label for an empty field and no kinds when none is ticked', () => {
    expect(channelFilterOf(form({ label: '   ' }))).toEqual({ kinds: [], label: null });
  });
});

describe('describeFilter', () => {
  it('names every kind as one phrase and a label in quotes', () => {
    expect(describeFilter({ kinds: [...ALERT_KINDS], label: null })).toBe('Every alert kind');
    expect(describeFilter({ kinds: ['price_drop', 'price_rise'], label: 'kitchen' })).toBe(
      'Price drop, Price rise, label “kitchen”',
    );
  });
});
