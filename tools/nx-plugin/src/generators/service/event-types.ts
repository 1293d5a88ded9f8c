/**
 * The generator's --publishes and --subscribes, checked against the contracts topic registry so a
 * new service can only name events that exist (and so topics the platform creates).
 */
import { eventTypes, isEventType, topicFor, type EventType } from '@shelfwatch/contracts';

export interface EventWiring {
  type: EventType;
  topic: string;
  /** Identifier for the generated code, e.g. `priceChanged`. */
  key: string;
}

function camelCase(text: string): string {
  return text.replace(/[-.]([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Parses `a.b,c.d` (or repeated options) into registry entries; unknown types are an error. */
export function eventWiring(option: string, value: string | string[] | undefined): EventWiring[] {
  const names = (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unknown = names.filter((name) => !isEventType(name));
  if (unknown.length > 0)
    throw new Error(
      `--${option}: ${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length > 1 ? 'are not event types' : 'is not an event type'} of the contracts topic registry (libs/contracts/src/topics.ts). Known: ${eventTypes.join(', ')}`,
    );
  return [...new Set(names as EventType[])].map((type) => ({
    type,
    topic: topicFor(type),
    key: camelCase(type),
  }));
}
