"""CPU-bound pure-Python work in threads: the GIL lets one run at a time.

Concurrent (2 threads in flight) but not parallel (parallelism near 1).
    python3 py_cpu_threads.py [-t THREADS] [-w MILLIONS]
"""
import argparse
import threading


def burn(n):
    x = 0
    for i in range(n):
        x += i * i
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--threads", type=int, default=2)
    ap.add_argument("-w", "--work", type=float, default=4, help="millions of iterations per thread")
    a = ap.parse_args()
    n = int(a.work * 1e6)
    threads = [threading.Thread(target=burn, args=(n,), name=f"py-worker-{i}") for i in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"py_cpu_threads: {a.threads} threads x {a.work:g}M iterations: concurrent, serialized by the GIL")


if __name__ == "__main__":
    main()
