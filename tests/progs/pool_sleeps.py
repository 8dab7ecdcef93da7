"""A thread pool making fake remote calls: each call sleeps, as a request would wait.
    python3 pool_sleeps.py [-w WORKERS] [-c CALLS] [-s SECONDS]
"""
import argparse
import time
from concurrent.futures import ThreadPoolExecutor

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("-w", "--workers", type=int, default=8)
ap.add_argument("-c", "--calls", type=int, default=32)
ap.add_argument("-s", "--seconds", type=float, default=0.25)
a = ap.parse_args()
with ThreadPoolExecutor(a.workers) as pool:
    list(pool.map(lambda _: time.sleep(a.seconds), range(a.calls)))
