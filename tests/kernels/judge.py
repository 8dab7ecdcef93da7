#!/usr/bin/env python3
"""Judge the kernel matrix's traces, one directory per kernel, the host's first.

Every kernel's traces pass the checks the integration tests make on the
host (verdicts, events, nothing dropped or late), and agree with the
host's: the same verdicts, the same exact event counts.

    judge.py CTRACE HOST_DIR GUEST_DIR...
"""
import json
import re
import subprocess
import sys

ROUNDS, CALLS, SPIN_WRITES, SPIN_WAKEUPS = 10000, 200000, 100000, 1000
CASES = ["sleep", "forkexec", "threads", "pingpong", "sysloop", "kspin"]


class Trace:
    def __init__(self, ctrace, path):
        self.path = path
        run = subprocess.run([ctrace, "dump", path], capture_output=True, text=True, errors="replace")
        self.dump, self.dump_err, self.dump_rc = run.stdout, run.stderr, run.returncode
        run = subprocess.run([ctrace, "report", "--json", path], capture_output=True, text=True)
        self.report = json.loads(run.stdout) if run.returncode == 0 else None

    def header(self, key):
        m = re.search(r"^# %s: (.*)$" % key, self.dump, re.M)
        return m.group(1) if m else ""

    def verdict(self):
        v = self.report["verdict"]
        return v["kind"] + "/" + v["shape"]

    def calls(self, name):
        return sum(s["count"] for s in self.report["syscalls"] if s["name"] == name)


def common(t, rc, fallback):
    """What every recording must be: whole, finalized, nothing dropped or late."""
    if rc != "0":
        return "record exited %s" % rc
    if t.dump_rc or "not finalized" in t.dump_err or t.report is None:
        return "trace unreadable: %s" % t.dump_err.strip()
    if t.report["dropped"]:
        return "%d events dropped" % t.report["dropped"]
    late = t.header("late").split(" ")[0]
    if late not in ("", "0"):
        return "%s events late" % late
    forced = "(forced)" in t.header("probes")
    if forced != fallback:
        return "probes: %s" % (t.header("probes") or "(none in the trace)")
    return None


def check_sleep(t, rt):
    if not re.search(r"sched_process_exec: filename=\S*sleep", t.dump):
        return "no exec of sleep"
    if not re.search(r"syscall: (clock_)?nanosleep = 0 \[", t.dump):
        return "no completed nanosleep"
    if not 0.29 <= t.report["wall_s"] < 3:
        return "wall %.3f s for a 0.3 s sleep" % t.report["wall_s"]
    return want_verdict(t, "io-bound/sequential")


def check_forkexec(t, rt):
    children = re.findall(r"sched_process_fork: child=(\d+)", t.dump)
    if len(children) < 5:
        return "only %d forks seen" % len(children)
    for c in children:
        if not re.search(r"^ *\S+ +%s \[\d+\] .*sched_process_exit" % c, t.dump, re.M):
            return "child %s has no exit event" % c
    for name in ("true", "ls"):
        if not re.search(r"task: tgid=\d+ comm=%s$" % name, t.dump, re.M):
            return "exec'd name %s not seen" % name
    return None


def check_threads(t, rt):
    for name in ("worker-0", "worker-1"):
        m = re.search(r" (\d+) \[\d+\] .*task: tgid=\d+ comm=%s$" % name, t.dump, re.M)
        if not m:
            return "thread %s never named" % name
        if not re.search(r"==> .*/%s$" % m.group(1), t.dump, re.M):
            return "thread %s never switched in" % name
    p, k = t.report["parallelism"]["mean"], t.report["rusage"]["parallelism"]
    if abs(p - k) > 0.1 * k:
        return "parallelism %.2f, rusage %.2f: more than 10%% apart" % (p, k)
    # Both threads wanted a CPU throughout, even where the kernel (a TCG guest's
    # PREEMPT_RT, now and then) left them queued on one while the other idled.
    w = t.report["parallelism"]["wanted_mean"]
    if max(p, w) < 1.7:
        return "parallelism %.2f, wanted %.2f: the probes did not see 2 busy threads" % (p, w)
    # main joins its workers: the probes see the wait on their exit words, and it is idle.
    if "(join: a thread's exit)" not in t.dump:
        return "main's pthread_join not seen as a wait on a thread's exit"
    c = t.report["concurrency"]["mean"]
    if not 1.8 <= c <= 2.2:
        return "concurrency %.2f, want 2 +- 0.2" % c
    return want_verdict(t, "cpu-bound/parallel")


def check_pingpong(t, rt):
    if (t.calls("read"), t.calls("write")) != (2 * ROUNDS, 2 * ROUNDS + 1):
        return "read %d, write %d; want %d, %d" % (t.calls("read"), t.calls("write"), 2 * ROUNDS, 2 * ROUNDS + 1)
    waits = {k: v for k, v in t.report["states_s"].items() if k not in ("running", "runnable")}
    if max(waits, key=waits.get) != "pipe":
        return "largest wait %s, not pipe" % max(waits, key=waits.get)
    return None if t.report["verdict"]["kind"] == "cpu-bound" else "verdict %s, want cpu-bound" % t.verdict()


def check_sysloop(t, rt):
    n = t.calls("getppid")
    return None if n == CALLS else "%d getppid calls recorded, %d made" % (n, CALLS)


def check_kspin(t, rt):
    """On PREEMPT_RT the eventfd's spinlock sleeps (TASK_RTLOCK_WAIT): a lock wait."""
    if t.calls("write") != SPIN_WRITES + SPIN_WAKEUPS + 1:
        return "%d writes recorded, %d made" % (t.calls("write"), SPIN_WRITES + SPIN_WAKEUPS + 1)
    lock = t.report["states_s"]["lock"]
    if rt and lock <= 0:
        return "PREEMPT_RT: the real-time writer never waited on the eventfd's lock (TASK_RTLOCK_WAIT)"
    if not rt and lock > 0:
        return "%.6f s of lock waits without PREEMPT_RT" % lock
    return None


def want_verdict(t, want):
    return None if t.verdict() == want else "verdict %s, want %s" % (t.verdict(), want)


# What must be the same on every kernel, per case.
def agreement(t):
    r = t.report
    return {
        "sleep": lambda: t.verdict(),
        "forkexec": lambda: (r["threads"], r["processes"]),
        "threads": lambda: t.verdict(),
        "pingpong": lambda: (t.calls("read"), t.calls("write"), r["verdict"]["kind"]),
        "sysloop": lambda: t.calls("getppid"),
        "kspin": lambda: t.calls("write"),
    }


def judge(ctrace, d, host):
    kernel = open(d + "/kernel").read().strip()
    rt = open(d + "/realtime").read().strip() == "1"
    failed, seen = 0, {}
    for case in CASES:
        for suffix in ("", "-fallbacks"):
            name = case + suffix
            rc = open("%s/%s.rc" % (d, name)).read().strip()
            t = Trace(ctrace, "%s/%s.ctr" % (d, name)) if rc == "0" else None
            why = common(t, rc, bool(suffix)) if t else "record exited %s: %s" % (
                rc, open("%s/%s.err" % (d, name)).read().strip())
            why = why or globals()["check_" + case](t, rt)
            if not why:
                seen[name] = agreement(t)[case]()
                if host is not None and seen[name] != host.get(name):
                    why = "%s here, %s on the host" % (seen[name], host.get(name))
                elif suffix and seen[name] != seen.get(case):
                    why = "%s with the fallbacks, %s without" % (seen[name], seen.get(case))
            label = "kernel %s%s: %s" % (kernel, " (PREEMPT_RT)" if rt else "", name)
            if why:
                failed += 1
                print("FAIL    %s: %s" % (label, why))
            else:
                print("ok      %s: %s" % (label, summary(t, case)))
    return failed, seen


def summary(t, case):
    r = t.report
    if case == "threads":
        return "%s, parallelism %.2f (rusage %.2f), concurrency %.2f" % (
            t.verdict(), r["parallelism"]["mean"], r["rusage"]["parallelism"], r["concurrency"]["mean"])
    if case == "pingpong":
        return "%d reads, %d writes, %s" % (t.calls("read"), t.calls("write"), t.verdict())
    if case == "sysloop":
        return "%d getppid calls, none dropped or late" % t.calls("getppid")
    if case == "kspin":
        return "%d writes, %.3f s waiting on locks" % (t.calls("write"), r["states_s"]["lock"])
    if case == "forkexec":
        return "%d threads in %d processes, each traced to its exit" % (r["threads"], r["processes"])
    return "%s, wall %.3f s" % (t.verdict(), r["wall_s"])


def main():
    ctrace, dirs = sys.argv[1], sys.argv[2:]
    failed, host = judge(ctrace, dirs[0], None)
    for d in dirs[1:]:
        f, _ = judge(ctrace, d, host)
        failed += f
    print("kernels: %d kernels, %d checks failed" % (len(dirs), failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
