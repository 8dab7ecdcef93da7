"""Read the text of `ctrace dump`: its header lines and its events.

    for ev in ctdump.events(path): ev.ts, ev.tid, ev.cpu, ev.kind, ev.rest
Times are absolute CLOCK_BOOTTIME ns (the header's base plus each line's
offset), the clock tracefs's "boot" trace_clock and Perfetto exports use.
"""
import collections
import re
import sys

Event = collections.namedtuple("Event", "ts tid cpu kind rest")
LINE = re.compile(r"\s*.*?\s(\d+) \[(\d+)\]\s+(-?\d+)\.(\d{9}): (\w+): ?(.*)$")


def events(path, headers=None):
    """The dump's events in order; its "# key: value" lines go into headers (a dict) if given."""
    boot = None
    for line in open(path, errors="replace"):
        if line.startswith("#"):
            m = re.match(r"# ([\w ]+): (.*)$", line.rstrip("\n"))
            if m and headers is not None:
                headers[m.group(1)] = m.group(2)
            m = re.search(r"CLOCK_BOOTTIME (\d+)", line)
            if m:
                boot = int(m.group(1))
            continue
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        if boot is None:
            sys.exit("no CLOCK_BOOTTIME in the header of " + path)
        tid, cpu, sec, ns, kind, rest = m.groups()
        yield Event(boot + int(sec) * 10**9 + int(ns), int(tid), int(cpu), kind, rest)


def workload(path, on_event=None):
    """The workload's tids (the command and every task it forked) and the span the dump covers.
    on_event, if given, sees every event on the way."""
    tids, span, headers = set(), [None, None], {}
    for ev in events(path, headers):
        if ev.kind == "sched_process_fork":
            tids.add(int(re.search(r"child=(\d+)", ev.rest).group(1)))
        if on_event:
            on_event(ev)
        span = [span[0] if span[0] is not None else ev.ts, ev.ts]
    m = re.search(r"\(pid (\d+)\)$", headers.get("command", ""))
    if m:
        tids.add(int(m.group(1)))
    return tids, span
