"""I/O-bound asyncio: one thread, one event loop, many concurrent connections.

Each task keeps a connection to the loopback delay server and makes round
trips on it; all TASKS are in flight at once, multiplexed by epoll on one
thread.
    python3 py_asyncio.py -p PORT [-n TASKS] [-r ROUNDS]
"""
import argparse
import asyncio


async def client(port, rounds):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(rounds):
        writer.write(b"ping %d\n" % i)
        await writer.drain()
        await reader.readline()
    writer.close()
    await writer.wait_closed()


async def main(port, tasks, rounds):
    await asyncio.gather(*(client(port, rounds) for _ in range(tasks)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--port", type=int, required=True)
    ap.add_argument("-n", "--tasks", type=int, default=50)
    ap.add_argument("-r", "--rounds", type=int, default=10)
    a = ap.parse_args()
    asyncio.run(main(a.port, a.tasks, a.rounds))
    print(f"py_asyncio: {a.tasks} tasks x {a.rounds} round trips on one thread: concurrent I/O, an event loop")
