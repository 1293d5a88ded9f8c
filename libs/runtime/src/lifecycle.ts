import type { Express } from 'express';

/** Whether a service is still taking work; shared by `/ready` and the shutdown sequence. */
export class Lifecycle {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  beginDrain(): void {
    this.#draining = true;
  }
}

const LIFECYCLE_KEY = 'shelfwatch.lifecycle';

/** The lifecycle of an app built by `createHttpApp` (created on first use for any other app). */
export function lifecycleOf(app: Express): Lifecycle {
  const existing: unknown = app.locals[LIFECYCLE_KEY];
  if (existing instanceof Lifecycle) return existing;
  const lifecycle = new Lifecycle();
  app.locals[LIFECYCLE_KEY] = lifecycle;
  return lifecycle;
}
