"""Check ctrace's wakers against the kernel's own sched_waking, from tracefs.

    check_wakers.py DUMP.txt TRACEFS.txt MIN_SHARE
DUMP.txt is `ctrace dump` of a recording; TRACEFS.txt is the text of a
tracefs instance that captured sched_waking beside it (trace_clock boot).
For every wakeup of a workload task the trace holds, the kernel's event at
the same instant for the same task must name the same waker: the same task
when the waker ran in task context, an interrupt (ctrace's class) when it
ran in hard or soft interrupt context.  Prints a one-line summary; exits 1
when fewer than MIN_SHARE of the wakeups agree, or when either side misses
more than 1% of the wakeups the other has while the recording ran.
"""
import bisect
import collections
import re
import sys

import ctdump

MATCH_NS = 200000	# the two probes on one tracepoint read the clock this close
IRQ_FLAGS = set("hHsZz")	# tracefs: hardirq, hardirq in softirq, softirq, NMI


def from_dump(path):
    """The trace's wakeups by woken tid, the workload's tids, and the span it covers."""
    wakes = collections.defaultdict(list)

    def waking(ev):
        if ev.kind == "sched_waking":
            w = re.search(r"waker=(\S+)", ev.rest).group(1)
            wakes[ev.tid].append((ev.ts, int(w) if w.isdigit() else "irq:" + w))
    tids, span = ctdump.workload(path, waking)
    return wakes, tids, span


def from_tracefs(path, tids, span):
    wakes = collections.defaultdict(list)
    pat = re.compile(r"\s*.*-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+(\S+)\s+(\d+)\.(\d+): sched_waking: .*pid=(\d+) ")
    for line in open(path, errors="replace"):
        m = pat.match(line)
        if not m or int(m.group(6)) not in tids:
            continue
        frac = m.group(5)
        ts = int(m.group(4)) * 10**9 + int(frac) * 10**(9 - len(frac))
        if not span[0] - MATCH_NS <= ts <= span[1] + MATCH_NS:	# tracefs prints whole us
            continue
        irq = len(m.group(3)) > 2 and m.group(3)[2] in IRQ_FLAGS
        wakes[int(m.group(6))].append((ts, "irq" if irq else int(m.group(1))))
    for w in wakes.values():
        w.sort()
    return wakes


def same(ours, theirs):
    if isinstance(ours, str):
        return theirs == "irq"
    return theirs == ours


def main():
    ours, tids, span = from_dump(sys.argv[1])
    theirs = from_tracefs(sys.argv[2], tids, span)
    need = float(sys.argv[3])
    total = agree = unmatched = 0
    wrong = collections.Counter()
    for tid, evs in ours.items():
        ref = theirs.get(tid, [])
        times = [t for t, _ in ref]
        for ts, waker in evs:
            total += 1
            i = bisect.bisect_left(times, ts - MATCH_NS)
            near = [ref[j] for j in range(i, len(ref)) if ref[j][0] <= ts + MATCH_NS]
            if not near:
                unmatched += 1
                continue
            if any(same(waker, w) for _, w in near):
                agree += 1
            else:
                wrong["ours %s, kernel %s" % (waker if isinstance(waker, str) else "task",
                                              near[0][1] if near[0][1] == "irq" else "task")] += 1
    theirs_total = sum(len(v) for v in theirs.values())
    # The kernel's wakeups with none of ours near: named when the totals disagree.
    only_kernel = []
    for tid, ref in theirs.items():
        mine = sorted(t for t, _ in ours.get(tid, []))
        for ts, waker in ref:
            i = bisect.bisect_left(mine, ts - MATCH_NS)
            if i == len(mine) or mine[i] > ts + MATCH_NS:
                only_kernel.append("tid %d at %d by %s" % (tid, ts, waker))
    if not total:
        sys.exit("no wakeups of workload tasks in the trace")
    share = agree / total
    detail = ", ".join("%d %s" % (n, k) for k, n in wrong.most_common(3))
    print("%d of %d wakeups name the kernel's waker (%.2f%%); %d unmatched; tracefs saw %d%s"
          % (agree, total, 100 * share, unmatched, theirs_total, "; disagree: " + detail if detail else ""))
    if share < need or unmatched > 0.01 * total or abs(theirs_total - total) > 0.01 * total:
        if only_kernel:
            print("only the kernel's: " + "; ".join(only_kernel[:5]))
        sys.exit(1)


main()
