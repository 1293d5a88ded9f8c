/**
 * Failed deliveries per message, counted by this process. On the emulator the server's
 * `deliveryAttempt` cannot be trusted (ADR 0023): it grows for messages it never handed to anyone
 * while a dead subscriber's stream is expiring, so the transport counts handler failures itself.
 */
export class AttemptCounter {
  private readonly failures = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** The attempt a delivery of `messageId` is: one more than the failures counted so far. */
  attemptOf(messageId: string): number {
    return (this.failures.get(messageId) ?? 0) + 1;
  }

  /** Counts a failed delivery; returns the failures counted for the message so far. */
  failed(messageId: string): number {
    const count = (this.failures.get(messageId) ?? 0) + 1;
    this.failures.delete(messageId);
    this.failures.set(messageId, count);
    // A message that failed here and then succeeded elsewhere never says so: forget the oldest.
    if (this.failures.size > this.capacity)
      this.failures.delete(this.failures.keys().next().value as string);
    return count;
  }

  settled(messageId: string): void {
    this.failures.delete(messageId);
  }
}
