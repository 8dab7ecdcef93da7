"""I/O-bound Python threads: a ThreadPoolExecutor of clients, each making
round trips to the loopback delay server.  Blocking socket calls release
the GIL, so the waits overlap: threads help I/O-bound work.
    python3 py_io_threads.py -p PORT [-t THREADS] [-r ROUNDS]
"""
import argparse
import socket
from concurrent.futures import ThreadPoolExecutor


def client(port, rounds):
    with socket.create_connection(("127.0.0.1", port)) as s:
        for _ in range(rounds):
            s.sendall(b"ping\n")
            s.recv(64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--port", type=int, required=True)
    ap.add_argument("-t", "--threads", type=int, default=8)
    ap.add_argument("-r", "--rounds", type=int, default=10)
    a = ap.parse_args()
    with ThreadPoolExecutor(max_workers=a.threads) as pool:
        list(pool.map(lambda _: client(a.port, a.rounds), range(a.threads)))
    print(f"py_io_threads: {a.threads} threads x {a.rounds} round trips: concurrent waits")


if __name__ == "__main__":
    main()
