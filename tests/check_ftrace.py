"""Compare a Perfetto export with the kernel's own ftrace of the same run, field by field.

    check_ftrace.py DUMP.txt EXPORT.pftrace TRACEFS.txt MIN_SHARE

DUMP.txt is `ctrace dump` of the recording (for the workload's tasks and its
span), EXPORT.pftrace its export, read as Perfetto reads it (pftrace.py);
TRACEFS.txt the text of a tracefs instance (trace_clock boot, record-tgid)
that captured sched_switch, sched_waking, sched_wakeup_new, task_newtask,
sched_process_fork, sched_process_exit and raw_syscalls beside it.

Every event about a workload task inside the recording's span, on either
side, is one to agree on: paired with the other side's event of the same kind
and key (the same switch on the same CPU, the same task woken, the same
call) in order and near in time (align), then compared field by field.  A new process counts
once more: the export's process tree must give it the kernel's parent.
Prints the agreement and what the rest are; exits 1 below MIN_SHARE, or
when any event both sides have differs in a field (both read the same
tracepoint: only events one side lacks can be the kernel's or the clock's).
"""
import collections
import re
import sys

import ctdump
import pftrace

MATCH_NS = 20000000	# two probes on one tracepoint, a stolen vCPU between them (see align)
CLONE_THREAD = 0x10000
LETTERS = ["S", "D", "T", "t", "X", "Z", "P", "I"]
LINE = re.compile(r"\s*(.*?)-(\d+)\s+\(\s*([-\d]+)\)\s+\[(\d+)\]\s+\S+\s+(\d+)\.(\d+): (\w+): (.*)$")


def state_text(v):
    """prev_state as the kernel's sched_switch prints it."""
    if v & 0x100:
        return "R+"
    bits = [LETTERS[i] for i in range(8) if v & (1 << i)]
    return "|".join(bits) if bits else "R"


def kv(text):
    return dict(re.findall(r"(\w+)=(\S+)", text))


def from_tracefs(path, tids, span):
    """(kind, key) -> [(ts, fields)], and each new process's parent tgid."""
    out, parents, entered = collections.defaultdict(list), {}, {}
    lines = []
    for line in open(path, errors="replace"):
        m = LINE.match(line)
        if m:
            frac = m.group(6)
            lines.append((int(m.group(5)) * 10**9 + int(frac) * 10**(9 - len(frac)), line))
    lines.sort(key=lambda x: x[0])	# two instances, one after the other
    for _, line in lines:
        m = LINE.match(line)
        if not m:
            continue
        pid, cpu, kind, rest = int(m.group(2)), int(m.group(4)), m.group(7), m.group(8)
        tgid = int(m.group(3)) if m.group(3).strip("-") else 0
        frac = m.group(6)
        ts = int(m.group(5)) * 10**9 + int(frac) * 10**(9 - len(frac))
        if not span[0] - 1000 < ts <= span[1]:	# tracefs rounds down to the microsecond
            continue
        if kind == "sched_switch":
            f = kv(rest.replace(" ==> ", " "))
            prev, nxt = int(f["prev_pid"]), int(f["next_pid"])
            if prev in tids or nxt in tids:
                out[("sched_switch", (cpu, prev, nxt))].append((ts, {
                    "prev_state": f["prev_state"], "prev_prio": int(f["prev_prio"]),
                    "next_prio": int(f["next_prio"]), "prev_comm": f["prev_comm"],
                    "next_comm": f["next_comm"]}))
        elif kind in ("sched_waking", "sched_wakeup_new"):
            f = kv(rest)
            if int(f["pid"]) in tids:
                out[(kind, int(f["pid"]))].append((ts, {
                    "cpu": cpu, "waker": pid, "prio": int(f["prio"]),
                    "target_cpu": int(f["target_cpu"])}))
        elif kind == "task_newtask":
            f = kv(rest)
            if int(f["pid"]) in tids:
                thread = bool(int(f["clone_flags"], 16) & CLONE_THREAD)
                out[(kind, int(f["pid"]))].append((ts, {"parent": pid, "thread": thread}))
                if not thread:
                    parents[int(f["pid"])] = tgid
        elif kind == "sched_process_exit":
            f = kv(rest)
            if int(f["pid"]) in tids:
                out[(kind, int(f["pid"]))].append((ts, {"comm": f["comm"], "prio": int(f["prio"])}))
        elif kind in ("sys_enter", "sys_exit") and pid in tids:
            nr = int(re.match(r"NR (-?\d+)", rest).group(1))
            fields = {"cpu": cpu}
            if kind == "sys_enter":
                entered[pid] = nr
            else:
                fields["ret"] = int(rest.split("= ")[1])
                if nr == -1:	# rt_sigreturn resets orig_ax, which sys_exit reads: its entry says
                    nr = entered.get(pid, nr)
            out[(kind, (pid, nr))].append((ts, fields))
    return out, parents


def from_export(path, tids, span):
    out = collections.defaultdict(list)
    for ev in pftrace.events(path):
        if not span[0] <= ev.ts <= span[1]:
            continue
        f = ev.fields
        if ev.kind == "sched_switch" and (f["prev_pid"] in tids or f["next_pid"] in tids):
            out[(ev.kind, (ev.cpu, f["prev_pid"], f["next_pid"]))].append((ev.ts, {
                "prev_state": state_text(f["prev_state"]), "prev_prio": f["prev_prio"],
                "next_prio": f["next_prio"], "prev_comm": f["prev_comm"], "next_comm": f["next_comm"]}))
        elif ev.kind in ("sched_waking", "sched_wakeup_new") and f["pid"] in tids:
            out[(ev.kind, f["pid"])].append((ev.ts, {
                "cpu": ev.cpu, "waker": ev.pid, "prio": f["prio"], "target_cpu": f["target_cpu"]}))
        elif ev.kind == "task_newtask" and f["pid"] in tids:
            out[(ev.kind, f["pid"])].append((ev.ts, {
                "parent": ev.pid, "thread": bool(f["clone_flags"] & CLONE_THREAD)}))
        elif ev.kind == "sched_process_exit" and f["pid"] in tids:
            out[(ev.kind, f["pid"])].append((ev.ts, {"comm": f["comm"], "prio": f["prio"]}))
        elif ev.kind in ("sys_enter", "sys_exit") and ev.pid in tids:
            fields = {"cpu": ev.cpu}
            if ev.kind == "sys_exit":
                fields["ret"] = f["ret"]
            out[(ev.kind, (ev.pid, f["id"]))].append((ev.ts, fields))
    return out


def blind_cpus(theirs):
    """CPUs whose idle task ftrace never shows switching out: on some kernels
    and VMs, tracepoint events from the idle task on a CPU are not recorded
    (perf sees the same), though the task it switched to runs there next."""
    seen = {key[1][0] for key, evs in theirs.items() if key[0] == "sched_switch" and key[1][1] == 0 and evs}
    cpus = {key[1][0] for key in theirs if key[0] == "sched_switch"}
    return cpus - seen


def align(a, b):
    """Pairs (i, j) of a's and b's events, in order: as many pairs as there
    can be, each within MATCH_NS, and of those the pairing nearest in time.

    Both sides list one key's events (a CPU's switches from one task to
    another, a task's calls of one number, its wakings) in the order they
    happened, and nearly all of them on both sides.  The two probes of one
    tracepoint take their timestamps one after the other, mostly a few us
    apart, but a hypervisor that stops the vCPU between them puts
    milliseconds there: so the window is wide, and the pairing is an
    alignment (a banded edit distance, the band as wide as the sides'
    difference in length and a margin), not a greedy walk, which one late
    timestamp among events microseconds apart would shift by one for the
    rest of the run, pairing each event with its neighbour."""
    n, m = len(a), len(b)
    band = abs(n - m) + 16
    width = 2 * band + 1
    BIG = 1 << 62
    NONE = -1 << 100
    # score[i][k] is for the prefixes a[:i], b[:j], j = i + k - band:
    # pairs * BIG minus the sum of their time differences.
    score = [[NONE] * width for _ in range(n + 1)]
    step = [[0] * width for _ in range(n + 1)]	# 1 skips a[i-1], 2 skips b[j-1], 3 pairs them
    for i in range(n + 1):
        row, moves = score[i], step[i]
        up, up_moves = (score[i - 1], step[i - 1]) if i else (None, None)
        for k in range(width):
            j = i + k - band
            if j < 0 or j > m:
                continue
            if i == 0 and j == 0:
                row[k] = 0
                continue
            best, how = NONE, 0
            if i and k + 1 < width and up[k + 1] > best:	# (i-1, j)
                best, how = up[k + 1], 1
            if j and k and row[k - 1] > best:		# (i, j-1)
                best, how = row[k - 1], 2
            if i and j:
                d = abs(a[i - 1][0] - b[j - 1][0])
                if d <= MATCH_NS and up[k] != NONE and up[k] + BIG - d > best:	# (i-1, j-1)
                    best, how = up[k] + BIG - d, 3
            row[k], moves[k] = best, how
    pairs, i, j = [], n, m
    while i or j:
        how = step[i][j - i + band]
        if how == 3:
            pairs.append((i - 1, j - 1))
        if how in (1, 3):
            i -= 1
        if how in (2, 3):
            j -= 1
    return pairs[::-1]


def compare(ours, theirs):
    """Per kind: agreeing, differing (by field), only ours, only the kernel's."""
    stats = collections.defaultdict(collections.Counter)
    for key in set(ours) | set(theirs):
        kind = key[0]
        a = sorted(ours.get(key, []), key=lambda x: x[0])
        b = sorted(theirs.get(key, []), key=lambda x: x[0])
        pairs = align(a, b)
        for i, j in pairs:
            diff = [k for k in a[i][1] if a[i][1][k] != b[j][1].get(k)]
            stats[kind]["agree" if not diff else "differ: " + ",".join(diff)] += 1
            if diff and len(EXAMPLES) < 6:
                EXAMPLES.append(f"{kind} {key[1]} at {a[i][0]}: ctrace {a[i][1]} kernel {b[j][1]}")
        stats[kind]["only ctrace"] += len(a) - len(pairs)
        stats[kind]["only kernel"] += len(b) - len(pairs)
    return stats


EXAMPLES = []


def check_tree(path, parents, stats):
    """Each process the kernel saw forked: a tree entry with its parent."""
    ppid = {}
    for _, procs, _threads in pftrace.trees(path):
        for p in procs:
            ppid[p["pid"]] = p["ppid"]
    for pid, parent in parents.items():
        got = ppid.get(pid)
        stats["process tree"]["agree" if got == parent else "differ: ppid" if got else "only kernel"] += 1
        if got != parent and len(EXAMPLES) < 6:
            EXAMPLES.append(f"process {pid}: ppid {got} in the export, {parent} in the kernel")


def main():
    tids, span = ctdump.workload(sys.argv[1])
    theirs, parents = from_tracefs(sys.argv[3], tids, span)
    ours = from_export(sys.argv[2], tids, span)
    need = float(sys.argv[4])
    blind = blind_cpus(theirs)
    unseen = 0
    for key in list(ours):
        if key[0] == "sched_switch" and key[1][1] == 0 and key[1][0] in blind and key not in theirs:
            unseen += len(ours.pop(key))
    stats = compare(ours, theirs)
    check_tree(sys.argv[2], parents, stats)
    total = sum(sum(c.values()) for c in stats.values())
    agree = sum(c["agree"] for c in stats.values())
    share = agree / total if total else 0
    rest = collections.Counter()
    for kind, c in stats.items():
        for what, n in c.items():
            if what != "agree":
                rest[f"{kind} {what}"] += n
    kinds = ", ".join(f"{k} {c['agree']}/{sum(c.values())}" for k, c in sorted(stats.items()))
    why = "; ".join(f"{n} {w}" for w, n in rest.most_common(8) if n) or "none"
    aside = (f"; not compared: {unseen} switches from the idle task of CPU {sorted(blind)}, "
             f"which the kernel's ftrace does not record here") if unseen else ""
    print(f"{agree} of {total} events agree with the kernel's ftrace ({100 * share:.2f}%): {kinds}; "
          f"the rest: {why}{aside}" + ("".join("\n  e.g. " + e for e in EXAMPLES[:3]) if share < need else ""))
    # Both read the same tracepoint's arguments: a matched event with a different field is wrong,
    # however rare its kind.
    wrong = sorted(k for k, c in stats.items() if any(w.startswith("differ") and n for w, n in c.items()))
    if wrong:
        print(f"fields differ in {', '.join(wrong)}" + "".join("\n  e.g. " + e for e in EXAMPLES[:3]))
    sys.exit(0 if total and share >= need and not wrong else 1)


if __name__ == "__main__":
    main()
