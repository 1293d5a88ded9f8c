import type { EventType } from '@shelfwatch/contracts';
import type { Registration } from './dispatch';
import type {
  BatchEventHandler,
  BatchSubscribeOptions,
  EventHandler,
  Messaging,
  SubscribeOptions,
} from './messaging';
import { resolveBatch, resolveSubscription } from './subscription-options';

/** The handlers of one messaging instance by subscription name: one handler per subscription. */
export class Registrations {
  readonly #byName = new Map<string, Registration>();

  get size(): number {
    return this.#byName.size;
  }

  get(subscription: string): Registration | undefined {
    return this.#byName.get(subscription);
  }

  values(): IterableIterator<Registration> {
    return this.#byName.values();
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  addSingle<T extends EventType>(type: T, handler: EventHandler<T>, options: SubscribeOptions) {
    this.#add({
      kind: 'single',
      options: resolveSubscription(type, options),
      handler: handler as unknown as EventHandler<EventType>,
    });
  }

  addBatch<T extends EventType>(
    type: T,
    handler: BatchEventHandler<T>,
    options: BatchSubscribeOptions,
  ) {
    this.#add({
      kind: 'batch',
      options: resolveSubscription(type, options),
      batch: resolveBatch(type, options.batch),
      handler: handler as unknown as BatchEventHandler<EventType>,
    });
  }

  /** A transport's `subscribe` and `subscribeBatch`: both register here, and only before start. */
  subscribeMethods(isNew: () => boolean): Pick<Messaging, 'subscribe' | 'subscribeBatch'> {
    return {
      subscribe: (type, handler, options) => {
        if (!isNew()) throw new Error('subscribe() must be called before start()');
        this.addSingle(type, handler, options);
      },
      subscribeBatch: (type, handler, options) => {
        if (!isNew()) throw new Error('subscribeBatch() must be called before start()');
        this.addBatch(type, handler, options);
      },
    };
  }

  #add(registration: Registration) {
    const name = registration.options.subscription;
    if (this.#byName.has(name)) throw new Error(`Subscription "${name}" already has a handler`);
    this.#byName.set(name, registration);
  }
}

/** Messages one handler call of a subscription takes at most. */
export function messagesPerCall(registration: Registration): number {
  return registration.kind === 'batch' ? registration.batch.maxMessages : 1;
}
