import { isEventChannel } from '../../shared/ipc/channels.ts';
import type { Events } from '../../shared/ipc/contract.ts';

// Handler parameters are `never` so the DOM WebSocket (whose handlers take Event subtypes) fits.
/** The part of the DOM WebSocket the event stream uses; tests pass a fake. */
export interface SocketLike {
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  close(): void;
}

/** State of the live event connection, shown in the shell. */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'retrying';

/** How the event stream opens sockets and waits between attempts. */
export interface LiveEventsOptions {
  readonly open: () => SocketLike;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  /** Backoff delays in ms; the last one repeats. */
  readonly delays?: readonly number[];
}

type Listener = (payload: never) => void;

const DEFAULT_DELAYS = [500, 1000, 2000, 5000, 10_000, 15_000];

/** Events from the loopback host over one WebSocket, opened on first subscription and reopened with backoff. */
export class LiveEvents {
  private readonly options: LiveEventsOptions;
  private readonly listeners = new Map<keyof Events, Set<Listener>>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private current: LiveStatus = 'idle';

  constructor(options: LiveEventsOptions) {
    this.options = options;
  }

  /** Subscribes to one contract event; returns the unsubscribe function. */
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    if (this.socket === null && this.timer === null) this.connect();
    return () => {
      set.delete(listener as Listener);
    };
  }

  /** The connection state now. */
  get status(): LiveStatus {
    return this.current;
  }

  /** Calls `listener` on every change of connection state; returns the unsubscribe function. */
  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Closes the socket and stops reconnecting. */
  close(): void {
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as number);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this.setStatus('idle');
  }

  private connect(): void {
    this.timer = null;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'retrying');
    let socket: SocketLike;
    try {
      socket = this.options.open();
    } catch {
      // A malformed URL or a blocked scheme throws synchronously; treat it like a failed attempt.
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
    };
    socket.onmessage = (ev: { data: unknown }) => this.deliver(ev.data);
    socket.onerror = () => undefined;
    socket.onclose = () => {
      this.socket = null;
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    const delays = this.options.delays ?? DEFAULT_DELAYS;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt += 1;
    this.setStatus('retrying');
    this.timer = (this.options.setTimer ?? setTimeout)(() => this.connect(), delay);
  }

  private deliver(data: unknown): void {
    let message: { event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(String(data)) as { event?: unknown; payload?: unknown };
    } catch {
      return; // Not ours: the host only sends JSON; ignore rather than break the stream.
    }
    if (typeof message.event !== 'string' || !isEventChannel(message.event)) return;
    for (const listener of [...(this.listeners.get(message.event) ?? [])]) {
      try {
        listener(message.payload as never);
      } catch (error) {
        // One faulty subscriber must not starve the others; report it like an uncaught error.
        reportLater(error);
      }
    }
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

function reportLater(error: unknown): void {
  setTimeout(() => {
    throw error;
  }, 0);
}
