import { EventEmitter } from 'node:events';
import type { Events } from '../../shared/ipc/contract.ts';

/** Typed publish/subscribe for the events in the shared contract. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open window and loopback socket subscribes; the default cap of 10 is a false alarm here.
    this.emitter.setMaxListeners(0);
  }

  /** Announces that something happened. */
  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: (event: keyof Events, payload: unknown) => void, events: readonly (keyof Events)[]): () => void {
    const offs = events.map((event) => this.on(event, (payload) => listener(event, payload)));
    return () => offs.forEach((off) => off());
  }
}
