/**
 * Which alerts a channel gets, as the api stores them on webhooks and email recipients: the alert
 * kinds (at least one) and an optional watch label. Uncontrolled fields, read back from the form.
 */
import type { AlertKind } from '../api/types';
import { alertKindLabels } from '../format';

export const ALERT_KINDS = Object.keys(alertKindLabels) as AlertKind[];

export interface ChannelFilter {
  kinds: AlertKind[];
  label: string | null;
}

export function ChannelFilterFields({
  idPrefix,
  initial,
}: {
  /** Keeps each form's field ids unique on a page with several. */
  idPrefix: string;
  initial?: ChannelFilter;
}) {
  return (
    <fieldset className="channel-filter">
      <legend>Which alerts</legend>
      <div className="kinds">
        {ALERT_KINDS.map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              name={`kind-${kind}`}
              defaultChecked={initial ? initial.kinds.includes(kind) : true}
            />
            {alertKindLabels[kind]}
          </label>
        ))}
      </div>
      <label htmlFor={`${idPrefix}-label`}>
        Only watches labelled (optional)
        <input
          id={`${idPrefix}-label`}
          name="label"
          defaultValue={initial?.label ?? ''}
          placeholder="any label"
        />
      </label>
    </fieldset>
  );
}

export function channelFilterOf(form: FormData): ChannelFilter {
  const label = String(form.get('label') ?? '').trim();
  return {
    kinds: ALERT_KINDS.filter((kind) => form.get(`kind-${kind}`) === 'on'),
    label: label === '' ? null : label,
  };
}

export function describeFilter(filter: ChannelFilter): string {
  const kinds =
    filter.kinds.length === ALERT_KINDS.length
      ? 'Every alert kind'
      : filter.kinds.map((kind) => alertKindLabels[kind]).join(', ');
  return filter.label ? `${kinds}, label “${filter.label}”` : kinds;
}
