"""Stretches during which 2 or more of the workload's threads ran at once,
from `ctrace export --format csv`:  python3 longest_overlap.py CSV_DIR

Prints, in ns: the longest such stretch the kernel's account does not
explain, the longest by the clock, and the total by the clock.

On a VM the guest's clock says a thread ran while the hypervisor had taken
its CPU away (steal): two threads can run at once by the clock for as long
as the steal lasts, though only one was executing.  Each CPU slice's
cpu_ns is the kernel's account of it; what a slice's clock has beyond its
account is time it did not execute.  A stretch is explained up to the
largest such shortfall among the slices running through it; a slice with no
account (cpu_ns empty) explains nothing.
"""
import csv
import os
import sys


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "thread_states.csv"), newline="") as f:
        workload = {row["tid"] for row in csv.DictReader(f)}
    edges = []
    with open(os.path.join(d, "sched_slices.csv"), newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            if row["tid"] not in workload:
                continue
            start, dur = int(row["start_ns"]), int(row["dur_ns"])
            short = max(0, dur - int(row["cpu_ns"])) if row["cpu_ns"] else 0
            edges.append((start, 1, n, short))
            edges.append((start + dur, -1, n, short))
    edges.sort(key=lambda e: (e[0], e[1]))    # ends before starts at one instant
    active, since, explained = {}, 0, 0
    longest = longest_clock = total = 0
    for t, d, n, short in edges:
        was = len(active)
        if d > 0:
            active[n] = short
        else:
            active.pop(n, None)
        if was < 2 <= len(active):
            since, explained = t, max(active.values())
        elif len(active) >= 2:
            explained = max(explained, short if d > 0 else 0)
        elif was >= 2:
            stretch = t - since
            longest_clock, total = max(longest_clock, stretch), total + stretch
            longest = max(longest, stretch - explained)
    print(longest, longest_clock, total)


if __name__ == "__main__":
    main()
