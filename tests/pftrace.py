"""Read a Perfetto trace as ctrace writes it, the way Perfetto's importer does.

Protobuf's wire format decoded by hand (field numbers: collector/perfetto.proto),
compact sched expanded as Perfetto expands it: a switch's prev is the last
next on its CPU, a waking's pid is the task on its CPU.

    events(path)  -> list of Event(ts, cpu, pid, kind, fields), in time order
    trees(path)   -> list of (ts, processes, threads) process-tree packets
"""
import collections

Event = collections.namedtuple("Event", "ts cpu pid kind fields")

KINDS = {4: "sched_switch", 20: "sched_waking", 114: "sched_wakeup_new", 235: "task_newtask",
         236: "task_rename", 237: "sched_process_exec", 238: "sched_process_exit",
         240: "sched_process_free", 329: "sys_enter", 330: "sys_exit"}
FIELDS = {
    "sched_switch": {1: "prev_comm", 2: "prev_pid", 3: "prev_prio", 4: "prev_state",
                     5: "next_comm", 6: "next_pid", 7: "next_prio"},
    "sched_waking": {1: "comm", 2: "pid", 3: "prio", 4: "success", 5: "target_cpu"},
    "sched_wakeup_new": {1: "comm", 2: "pid", 3: "prio", 4: "success", 5: "target_cpu"},
    "task_newtask": {1: "pid", 2: "comm", 3: "clone_flags", 4: "oom_score_adj"},
    "task_rename": {1: "pid", 2: "oldcomm", 3: "newcomm"},
    "sched_process_exec": {1: "filename", 2: "pid", 3: "old_pid"},
    "sched_process_exit": {1: "comm", 2: "pid", 3: "tgid", 4: "prio"},
    "sched_process_free": {1: "comm", 2: "pid", 3: "prio"},
    "sys_enter": {1: "id"},
    "sys_exit": {1: "id", 2: "ret"},
}
STRINGS = {"prev_comm", "next_comm", "comm", "oldcomm", "newcomm", "filename"}


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def fields(b):
    """(field, value) pairs of one message: ints for varints, bytes for the rest."""
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = int.from_bytes(b[i:i + 8], "little"), i + 8
        elif wt == 5:
            v, i = int.from_bytes(b[i:i + 4], "little"), i + 4
        else:
            raise ValueError(f"wire type {wt} at {i}")
        out.append((f, v))
    return out


def packed(b):
    i, out = 0, []
    while i < len(b):
        v, i = varint(b, i)
        out.append(v)
    return out


def packets(path):
    data = open(path, "rb").read()
    for f, v in fields(data):
        if f != 1:
            raise ValueError(f"Trace field {f}")
        yield fields(v)


def decode_event(kind, body):
    names = FIELDS[kind]
    out = {}
    for f, v in fields(body):
        name = names.get(f, f"field{f}")
        out[name] = v.decode("utf-8") if name in STRINGS else signed(v)
    return out


def events(path):
    """Every ftrace event, compact ones expanded, sorted by time (stable)."""
    raw = []           # (ts, order, cpu, pid, kind, fields) before compact inference
    order = 0
    for pkt in packets(path):
        for f, v in pkt:
            if f != 1:
                continue
            cpu, compact, evs = 0, None, []
            for bf, bv in fields(v):
                if bf == 1:
                    cpu = bv
                elif bf == 2:
                    ts = pid = 0
                    kind = body = None
                    for ef, ev in fields(bv):
                        if ef == 1:
                            ts = ev
                        elif ef == 2:
                            pid = ev
                        elif ef in KINDS:
                            kind, body = KINDS[ef], ev
                    if kind:
                        evs.append((ts, kind, pid, decode_event(kind, body)))
                elif bf == 4:
                    compact = bv
            for ts, kind, pid, fl in evs:
                raw.append((ts, order, cpu, pid, kind, fl))
                order += 1
            if compact is not None:
                for item in expand_compact(compact):
                    raw.append((item[0], order, cpu) + item[1:])
                    order += 1
    raw.sort(key=lambda r: (r[0], r[1]))
    on_cpu, names, out = {}, {}, []     # names: Perfetto's thread table, renames included
    for ts, _, cpu, pid, kind, fl in raw:
        if kind == "compact_switch":
            prev = on_cpu.get(cpu)
            if prev is None:
                continue    # Perfetto drops a CPU's first compact switch too
            fl = dict(fl, prev_pid=prev[0], prev_comm=names.get(prev[0] or -1 - cpu, ""), prev_prio=prev[1])
            kind, pid = "sched_switch", prev[0]
        elif kind == "compact_waking":
            if cpu not in on_cpu:
                continue
            kind, pid = "sched_waking", on_cpu[cpu][0]
        if kind == "sched_switch":
            on_cpu[cpu] = (fl["next_pid"], fl["next_prio"])
            names[fl["prev_pid"] or -1 - cpu] = fl["prev_comm"]  # each CPU's idle task is its own
            names[fl["next_pid"] or -1 - cpu] = fl["next_comm"]
        elif kind == "task_rename":
            names[fl["pid"]] = fl["newcomm"]
        elif kind == "task_newtask":
            names[fl["pid"]] = fl["comm"]
        out.append(Event(ts, cpu, pid, kind, fl))
    return out


def expand_compact(b):
    cols = collections.defaultdict(list)
    names = []
    for f, v in fields(b):
        if f == 5:
            names.append(v.decode("utf-8"))
        else:
            cols[f].extend(packed(v))
    ts = 0
    for i, d in enumerate(cols[1]):
        ts += d
        yield (ts, None, "compact_switch", {
            "prev_state": signed(cols[2][i]), "next_pid": signed(cols[3][i]),
            "next_prio": signed(cols[4][i]), "next_comm": names[cols[6][i]]})
    ts = 0
    for i, d in enumerate(cols[7]):
        ts += d
        yield (ts, None, "compact_waking", {
            "pid": signed(cols[8][i]), "target_cpu": signed(cols[9][i]),
            "prio": signed(cols[10][i]), "comm": names[cols[11][i]]})


def trees(path):
    out = []
    for pkt in packets(path):
        ts, tree = None, None
        for f, v in pkt:
            if f == 8:
                ts = v
            elif f == 2:
                tree = v
        if tree is None:
            continue
        procs, threads = [], []
        for f, v in fields(tree):
            d = collections.defaultdict(list)
            for g, w in fields(v):
                d[g].append(w)
            if f == 1:
                procs.append({"pid": signed(d[1][0]), "ppid": signed(d[2][0]) if d[2] else None,
                              "cmdline": [c.decode("utf-8") for c in d[3]],
                              "cmdline_is_comm": bool(d[9] and d[9][0])})
            elif f == 2:
                threads.append({"tid": signed(d[1][0]), "tgid": signed(d[3][0]) if d[3] else None,
                                "name": d[2][0].decode("utf-8") if d[2] else None})
        out.append((ts, procs, threads))
    return out
