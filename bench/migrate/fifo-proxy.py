#!/usr/bin/env python3
"""A second, independent latency proxy for the migration bench (not built on test/fakes/tcp-proxy.ts).

usage: fifo-proxy.py TARGET_PORT DELAY_MS [WINDOW_BYTES]   (WINDOW_BYTES 0: serial, below)
Prints {"port": N} once listening on 127.0.0.1; runs until killed.

Each direction of each connection is one FIFO: a chunk is stamped when it arrives and written
DELAY_MS after that, in order, by one writer that waits for the socket to drain (so the
receiver's pace pushes back). At most WINDOW_BYTES (default 4 MiB, Linux's usual autotuned
receive window) wait in a direction; past that the proxy stops reading, as a full TCP window
would stop the sender. Pure latency otherwise: no bandwidth cap, no re-chunking.

WINDOW_BYTES 0 is the naive proxy instead: read a chunk, sleep DELAY_MS, write it, read the next.
Still order-preserving with 10 ms each way, but each connection then carries at most one read
(64 KiB) per DELAY_MS in each direction: a per-connection bandwidth cap.
"""
import asyncio
import json
import socket
import sys
import time


async def serial(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    try:
        while chunk := await reader.read(65536):
            await asyncio.sleep(delay)
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float, window: int) -> None:
    if window == 0:
        return await serial(reader, writer, delay)
    queue: asyncio.Queue = asyncio.Queue()
    room = asyncio.Condition()
    queued = 0

    async def read() -> None:
        nonlocal queued
        while True:
            chunk = await reader.read(65536)
            await queue.put((time.monotonic() + delay, chunk))
            if not chunk:
                return
            async with room:
                queued += len(chunk)
                await room.wait_for(lambda: queued < window)

    async def write() -> None:
        nonlocal queued
        while True:
            due, chunk = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                writer.write_eof() if writer.can_write_eof() else writer.close()
                return
            writer.write(chunk)
            await writer.drain()
            async with room:
                queued -= len(chunk)
                room.notify_all()

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main() -> None:
    target_port, delay_ms = int(sys.argv[1]), float(sys.argv[2])
    window = int(sys.argv[3]) if len(sys.argv) > 3 else 4 << 20
    delay = delay_ms / 1000

    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection('127.0.0.1', target_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pump(client_r, up_w, delay, window), pump(up_r, client_w, delay, window))

    server = await asyncio.start_server(serve, '127.0.0.1', 0, family=socket.AF_INET)
    print(json.dumps({'port': server.sockets[0].getsockname()[1]}), flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
