"""I/O-bound asyncio: one thread, one event loop, many concurrent connections.

A loopback echo server answers each request after a delay; the client keeps
TASKS requests in flight at once, all multiplexed by epoll on one thread.
    python3 py_asyncio.py [-n TASKS] [-r ROUNDS] [-d DELAY_MS]
"""
import argparse
import asyncio


async def handle(reader, writer, delay):
    while data := await reader.readline():
        await asyncio.sleep(delay)
        writer.write(data)
        await writer.drain()
    writer.close()


async def client(port, rounds):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(rounds):
        writer.write(b"ping %d\n" % i)
        await writer.drain()
        await reader.readline()
    writer.close()
    await writer.wait_closed()


async def main(tasks, rounds, delay):
    server = await asyncio.start_server(lambda r, w: handle(r, w, delay), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await asyncio.gather(*(client(port, rounds) for _ in range(tasks)))
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--tasks", type=int, default=50)
    ap.add_argument("-r", "--rounds", type=int, default=10)
    ap.add_argument("-d", "--delay-ms", type=float, default=100)
    a = ap.parse_args()
    asyncio.run(main(a.tasks, a.rounds, a.delay_ms / 1000))
    print(f"py_asyncio: {a.tasks} tasks x {a.rounds} round trips on one thread: concurrent I/O, an event loop")
