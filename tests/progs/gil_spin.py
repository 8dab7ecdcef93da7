"""Pure-Python CPU loops in threads until a deadline: the GIL lets one run at a time.

Unlike a fixed amount of work per thread, which the GIL's unfairness lets
one thread finish well before the other, every thread stays in progress
until the deadline: concurrency THREADS, parallelism 1.
    python3 gil_spin.py [THREADS] [SECONDS]
"""
import sys
import threading
import time


def spin(until):
    x = 0
    while time.monotonic() < until:
        for i in range(10000):
            x += i * i
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    until = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 1.5)
    threads = [threading.Thread(target=spin, args=(until,)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
