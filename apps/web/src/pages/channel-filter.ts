/**
 * Which alerts a channel gets, as the api stores them on webhooks and email recipients: the alert
 * kinds (at least one) and an optional watch label, read back from a form's fields.
 */
import type { AlertKind } from '../api/types';
import { alertKindLabels } from '../format';

export const ALERT_KINDS = Object.keys(alertKindLabels) as AlertKind[];

export interface ChannelFilter {
  kinds: AlertKind[];
  label: string | null;
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
