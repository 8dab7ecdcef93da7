"""Check ctrace's exports of a real recording against the trace itself.

    check_export.py perfetto DUMP.txt TRACE.pftrace
    check_export.py csv CSVDIR REPORT.json
Prints a one-line summary; exits 1 with the reason on a mismatch.
"""
import collections
import csv
import json
import os
import re
import sys

import ctdump
import pftrace


def fail(msg):
    print(msg)
    sys.exit(1)


def switches_from_dump(path):
    out = collections.Counter()
    for ev in ctdump.events(path):
        m = re.search(r" ==> .*/(\d+)$", ev.rest) if ev.kind == "sched_switch" else None
        if m:
            out[(ev.ts, ev.cpu, ev.tid, int(m.group(1)))] += 1
    return out


def switches_from_perfetto(path):
    out = collections.Counter()
    evs = pftrace.events(path)
    for ev in evs:
        if ev.kind == "sched_switch":
            out[(ev.ts, ev.cpu, ev.fields["prev_pid"], ev.fields["next_pid"])] += 1
    return out, {ev.cpu for ev in evs}


def check_perfetto(dump, pftrace_path):
    want = switches_from_dump(dump)
    got, cpus = switches_from_perfetto(pftrace_path)
    if not want:
        fail("no sched_switch in the dump")
    # Perfetto cannot place a CPU's first switch when it is compact; ctrace writes those in full.
    if got != want:
        missing, extra = want - got, got - want
        fail(f"sched_switch mismatch: {sum(missing.values())} missing, {sum(extra.values())} extra "
             f"(e.g. {list(missing)[:2]} / {list(extra)[:2]})")
    print(f"{sum(got.values())} sched_switch, each exactly once, on CPUs {sorted(cpus)}")


def check_csv(d, report):
    rep = json.load(open(report))
    workload = {t["tid"] for t in rep["threads_detail"]}
    rows = {n: list(csv.DictReader(open(os.path.join(d, n), newline="")))
            for n in ("sched_slices.csv", "thread_states.csv", "syscalls.csv", "threads.csv", "cpus.csv")}
    running = sum(int(r["dur_ns"]) for r in rows["thread_states.csv"]
                  if r["state"] == "running" and int(r["tid"]) in workload)
    want = rep["states_s"]["running"] * 1e9
    if abs(running - want) > max(2000, 1e-5 * want):
        fail(f"thread_states running {running} ns, report says {want:.0f}")
    for reason in ("lock", "sleep"):
        got = sum(int(r["dur_ns"]) for r in rows["thread_states.csv"] if r["reason"] == reason)
        if abs(got - rep["states_s"][reason] * 1e9) > max(2000, 1e-5 * got):
            fail(f"{reason}: {got} ns in CSV, report says {rep['states_s'][reason]}")
    calls = len(rows["syscalls.csv"])
    if calls != sum(s["count"] for s in rep["syscalls"]):
        fail(f"{calls} syscall rows, report counts {sum(s['count'] for s in rep['syscalls'])}")
    if len(rows["cpus.csv"]) != rep["cpus"]:
        fail(f"{len(rows['cpus.csv'])} CPU rows for {rep['cpus']} CPUs")
    slices = sum(int(r["dur_ns"]) for r in rows["sched_slices.csv"] if int(r["tid"]) in workload)
    if abs(slices - want) > max(2000, 1e-5 * want):
        fail(f"sched_slices of the workload sum to {slices} ns, running is {want:.0f}")
    # A slice's cpu_ns is the kernel's account of it, the clock where there is none: what threads.csv sums.
    accounted = sum(int(r["cpu_ns"] or r["dur_ns"]) for r in rows["sched_slices.csv"] if int(r["tid"]) in workload)
    cpu = sum(int(r["cpu_ns"]) for r in rows["threads.csv"] if int(r["tid"]) in workload)
    if accounted != cpu:
        fail(f"sched_slices of the workload account for {accounted} ns of CPU, threads.csv for {cpu}")
    print(f"{sum(len(v) for v in rows.values())} rows; running {running / 1e9:.6f} s and "
          f"{calls} syscalls match the report")


if __name__ == "__main__":
    {"perfetto": check_perfetto, "csv": check_csv}[sys.argv[1]](sys.argv[2], sys.argv[3])
