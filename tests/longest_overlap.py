"""The longest stretch during which 2 or more threads ran at once, from
`ctrace export --format csv`'s thread_states.csv, and the total of such
stretches, in ns:  python3 longest_overlap.py thread_states.csv
"""
import csv
import sys


def main():
    edges = []
    with open(sys.argv[1], newline="") as f:
        for row in csv.DictReader(f):
            if row["state"] == "running":
                start = int(row["start_ns"])
                edges.append((start, 1))
                edges.append((start + int(row["dur_ns"]), -1))
    edges.sort(key=lambda e: (e[0], e[1]))    # ends before starts at one instant
    running, since, longest, total = 0, 0, 0, 0
    for t, d in edges:
        was, running = running, running + d
        if was < 2 <= running:
            since = t
        elif running < 2 <= was:
            longest, total = max(longest, t - since), total + t - since
    print(longest, total)


if __name__ == "__main__":
    main()
