"""CPU-bound pure-Python work in a process pool: one interpreter (and GIL) each.

Parallel: parallelism near min(workers, CPUs).
    python3 py_cpu_procs.py [-p PROCESSES] [-w MILLIONS]
"""
import argparse
from concurrent.futures import ProcessPoolExecutor

from py_cpu_threads import burn  # the same work as the GIL demo, in processes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--processes", type=int, default=2)
    ap.add_argument("-w", "--work", type=float, default=10, help="millions of iterations per process")
    a = ap.parse_args()
    n = int(a.work * 1e6)
    with ProcessPoolExecutor(max_workers=a.processes) as pool:
        list(pool.map(burn, [n] * a.processes))
    print(f"py_cpu_procs: {a.processes} processes x {a.work:g}M iterations: parallel")


if __name__ == "__main__":
    main()
