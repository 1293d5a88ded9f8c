/** The fields of a channel's filter: uncontrolled, read back with `channelFilterOf`. */
import { alertKindLabels } from '../format';
import { ALERT_KINDS, type ChannelFilter } from './channel-filter';

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
