// A socket's bytes read into one buffer it reuses (Node's `onread`), instead of a new Buffer and a trip
// through the stream machinery for every TLS record: a migration reads ≈18,000 records per 33 MB
// corpus, and that per-record cost was the largest part of the CLI's socket work (bench/migrate/RESULTS.md).
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** One consumer of a socket's bytes: it must not keep `chunk` after returning (the buffer is reused). */
export type BorrowedSink = (chunk: Buffer) => void;

// Larger than a TLS record's 16 KB of plaintext, so Node hands over one record per call.
const READ_BYTES = 64 * 1024;
const feeds = new WeakMap<Socket | TLSSocket, SocketFeed>();

/** The `onread` of one socket: delivers to the current sink, holding copies while paused or unclaimed. */
export class SocketFeed {
  private socket: Socket | TLSSocket | null = null;
  private sink: BorrowedSink | null = null;
  private held: Buffer[] = [];
  private flushQueued = false;
  /** Pass as the socket's `onread` option. */
  readonly onread = {
    buffer: Buffer.allocUnsafeSlow(READ_BYTES),
    callback: (n: number, buffer: Uint8Array): boolean => {
      this.deliver((buffer as Buffer).subarray(0, n));
      return true;
    },
  };

  /** Ties the feed to the socket it was created for (listen/unlisten find it through the socket). */
  attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    feeds.set(socket, this);
    // A paused stream's 'end' waits until its buffer is read, but nothing holds 'end', 'error' or
    // 'close' back for the bytes held here (the rest of a TLS read after pause(), then the peer's
    // close_notify): they go to the sink first, paused or not, or the last answers would be lost.
    for (const event of ['end', 'error', 'close']) socket.prependListener(event, this.drain);
  }

  /** Hands the bytes to `sink` from now on; null holds them (copied) for the next sink. */
  setSink(sink: BorrowedSink | null): void {
    this.sink = sink;
    if (sink !== null && this.held.length > 0) this.flushSoon();
  }

  /** Delivers, on a later tick as a stream's resume does, what arrived while paused. */
  flushSoon(): void {
    if (this.flushQueued || this.held.length === 0) return;
    this.flushQueued = true;
    process.nextTick(() => {
      this.flushQueued = false;
      while (this.held.length > 0 && this.sink !== null && this.socket?.isPaused() !== true && this.socket?.destroyed !== true) this.sink(this.held.shift()!);
    });
  }

  private readonly drain = (): void => {
    while (this.held.length > 0 && this.sink !== null) this.sink(this.held.shift()!);
  };

  // Node may still deliver the rest of one read after pause() (its readStop takes effect on the next
  // read): those bytes wait, in order, as a paused stream's buffer would.
  private deliver(chunk: Buffer): void {
    if (this.sink === null || this.held.length > 0 || this.socket?.isPaused() === true) {
      this.held.push(Buffer.from(chunk));
      // Reading again means the socket was resumed, with or without resumedBytes: what waits goes out.
      this.flushSoon();
    } else this.sink(chunk);
  }
}

/** Starts handing the socket's bytes to `sink`: through its feed when it has one, else its 'data' events. */
export function listenBytes(socket: Socket | TLSSocket, sink: BorrowedSink): void {
  const feed = feeds.get(socket);
  if (feed) feed.setSink(sink);
  else socket.on('data', sink);
}

/** Stops what listenBytes started; bytes arriving before the next listenBytes are kept for it. */
export function unlistenBytes(socket: Socket | TLSSocket, sink: BorrowedSink): void {
  const feed = feeds.get(socket);
  if (feed) feed.setSink(null);
  else socket.off('data', sink);
}

/** Reading again after socket.resume(): what a feed held while paused goes out on the next tick. */
export function resumedBytes(socket: Socket | TLSSocket): void {
  feeds.get(socket)?.flushSoon();
}
