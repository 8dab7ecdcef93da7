#!/bin/sh
# ctrace's overhead next to perf's, measured side by side in one run.
#   make bench            (root; BENCH_RUNS=N repeats each case, median kept)
# Prints the slowdown each tracer adds to a switch storm and a syscall loop,
# the bytes each stores per event, and drops.  BENCH_BEFORE=path/to/ctrace
# (an earlier build) records the same cases in the same rounds, to show
# what a change costs side by side.
set -eu
cd "$(dirname "$0")/../.."
CTRACE=./ctrace
BEFORE=${BENCH_BEFORE:-}
RUNS=${BENCH_RUNS:-3}
PIPE_LOOPS=${BENCH_PIPE_LOOPS:-200000}
SYS_LOOPS=${BENCH_SYS_LOOPS:-5000000}
TMP=$(mktemp -d /tmp/ctrace-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

[ "$(id -u)" = 0 ] || { echo "bench: needs root (sudo make bench)" >&2; exit 1; }
command -v perf >/dev/null || { echo "bench: perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
# perf's tracepoints need tracefs.
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

PIPE="taskset -c 0 perf bench sched pipe -l $PIPE_LOOPS"
SYS="perf bench syscall basic -l $SYS_LOOPS"
# Programs that return at once on ctrace's tracepoints: what any eBPF tracer pays.
FLOOR="build/tests/floor build/tests/floor.bpf.o"

# "Total time: 1.234 [sec]" from perf bench's output on stdin
total() { sed -n 's/.*Total time: *\([0-9.]*\).*/\1/p' | tail -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# once NAME CMD...: one run's seconds appended to $TMP/NAME.t
once() {
	name=$1; shift
	"$@" 2>"$TMP/$name.err" | total >>"$TMP/$name.t"
}

# The host's speed drifts over minutes on a VM, so each round runs every
# case back to back and slowdowns are ratios within a round (median kept).
echo "bench: $RUNS rounds of every case, median; $(nproc) CPUs, kernel $(uname -r)"
for i in $(seq "$RUNS"); do
	once pipe_base $PIPE
	once pipe_ctrace $CTRACE record -q -o "$TMP/pipe.ctr" -- $PIPE
	once pipe_ctrace_nosys $CTRACE record -q --no-syscalls -o "$TMP/pipe-nosys.ctr" -- $PIPE
	once pipe_perf perf sched record -q -o "$TMP/pipe.data" -- $PIPE
	once pipe_floor $FLOOR $PIPE
	once sys_base $SYS
	once sys_ctrace $CTRACE record -q -o "$TMP/sys.ctr" -- $SYS
	once sys_perf perf record -q -e 'raw_syscalls:*' -o "$TMP/sys.data" -- $SYS
	once sys_floor $FLOOR $SYS
	if [ -n "$BEFORE" ]; then
		once pipe_before $BEFORE record -q -o "$TMP/pipe-before.ctr" -- $PIPE
		once pipe_before_nosys $BEFORE record -q --no-syscalls -o "$TMP/pipe-before-nosys.ctr" -- $PIPE
		once sys_before $BEFORE record -q -o "$TMP/sys-before.ctr" -- $SYS
	fi
done

# events and drops from a trace's dump header
ct_events() { $CTRACE dump "$1" | sed -n 's/^# summary: \([0-9]*\) events.*/\1/p'; }
ct_drops() { $CTRACE dump "$1" | sed -n 's/^# summary: .* \([0-9]*\) dropped.*/\1/p'; }
perf_events() { perf script -i "$1" 2>/dev/null | wc -l; }
perf_lost() { perf report -i "$1" --stats 2>/dev/null | awk '/LOST/ { n += $NF } END { print n + 0 }'; }
size() { stat -c %s "$1"; }
# slow CASE BASE: median over rounds of CASE's time over BASE's in the same round
slow() { paste "$TMP/$1.t" "$TMP/$2.t" | awk '{ print $1 / $2 }' | median | xargs printf '%.2fx'; }
med() { median <"$TMP/$1.t"; }
per() { awk "BEGIN { printf \"%.1f\", $1 / $2 }"; }

pb=$(med pipe_base) pc=$(med pipe_ctrace) pp=$(med pipe_perf) pn=$(med pipe_ctrace_nosys)
sb=$(med sys_base) sc=$(med sys_ctrace) sp=$(med sys_perf)
pce=$(ct_events "$TMP/pipe.ctr") sce=$(ct_events "$TMP/sys.ctr")
ppe=$(perf_events "$TMP/pipe.data") spe=$(perf_events "$TMP/sys.data")

printf '\n%-34s %9s %9s %7s %9s %7s\n' "workload" "baseline" "ctrace" "slow" "perf" "slow"
printf '%-34s %8ss %8ss %7s %8ss %7s\n' "sched pipe -l $PIPE_LOOPS (cpu 0)" "$pb" "$pc" "$(slow pipe_ctrace pipe_base)" "$pp" "$(slow pipe_perf pipe_base)"
printf '%-34s %8ss %8ss %7s %8ss %7s\n' "  same, ctrace --no-syscalls" "$pb" "$pn" "$(slow pipe_ctrace_nosys pipe_base)" "$pp" "$(slow pipe_perf pipe_base)"
printf '%-34s %8ss %8ss %7s\n' "  same, empty programs (the floor)" "$pb" "$(med pipe_floor)" "$(slow pipe_floor pipe_base)"
printf '%-34s %8ss %8ss %7s %8ss %7s\n' "syscall basic -l $SYS_LOOPS" "$sb" "$sc" "$(slow sys_ctrace sys_base)" "$sp" "$(slow sys_perf sys_base)"
printf '%-34s %8ss %8ss %7s\n' "  same, empty programs (the floor)" "$sb" "$(med sys_floor)" "$(slow sys_floor sys_base)"
echo "  (perf = perf sched record for the pipe, perf record -e raw_syscalls:* for the syscalls;"
echo "   the floor: programs that return at once on sched_switch, sched_wakeup, sys_enter, sys_exit)"
if [ -n "$BEFORE" ]; then
	printf '\n%-34s %9s %9s\n' "against BENCH_BEFORE=$BEFORE" "before" "now"
	printf '%-34s %9s %9s\n' "sched pipe" "$(slow pipe_before pipe_base)" "$(slow pipe_ctrace pipe_base)"
	printf '%-34s %9s %9s\n' "  same, --no-syscalls" "$(slow pipe_before_nosys pipe_base)" "$(slow pipe_ctrace_nosys pipe_base)"
	printf '%-34s %9s %9s\n' "syscall basic" "$(slow sys_before sys_base)" "$(slow sys_ctrace sys_base)"
	printf '%-34s %9s %9s\n' "bytes per event, sched pipe" "$(per "$(size "$TMP/pipe-before.ctr")" "$(ct_events "$TMP/pipe-before.ctr")")" \
		"$(per "$(size "$TMP/pipe.ctr")" "$pce")"
fi
printf '\n%-34s %14s %14s\n' "bytes per event" "ctrace" "perf.data"
printf '%-34s %14s %14s\n' "sched pipe" "$(per "$(size "$TMP/pipe.ctr")" "$pce") ($pce ev)" "$(per "$(size "$TMP/pipe.data")" "$ppe") ($ppe ev)"
printf '%-34s %14s %14s\n' "syscall basic" "$(per "$(size "$TMP/sys.ctr")" "$sce") ($sce ev)" "$(per "$(size "$TMP/sys.data")" "$spe") ($spe ev)"
# Reading: ctrace report next to perf sched timehist, each on its own recording
# of the switch storm, then plot and both exports of the same trace.  Each
# round runs every case back to back (the host's speed drifts); medians of
# RUNS rounds, events/s, and peak memory.
PY=$(command -v /usr/bin/python3 || command -v python3)
read_once() {	# read_once NAME CMD...: one run's wall seconds appended to $TMP/NAME.all
	name=$1; shift
	RUSAGE_OUT="$TMP/$name.ru" build/tests/rusage "$@" >/dev/null 2>&1
	"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_s"])' "$TMP/$name.ru" >>"$TMP/$name.all"
	"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["maxrss_kb"])' "$TMP/$name.ru" >"$TMP/$name.kb"
}
# The recordings above left a gigabyte or more of perf.data to be written
# back, which the kernel's flusher does tens of seconds later, on these same
# CPUs: written out first, so that the reading is measured alone.
sync
for i in $(seq "$RUNS"); do
	read_once rep_ctrace $CTRACE report "$TMP/pipe.ctr"
	read_once rep_perf perf sched timehist -i "$TMP/pipe.data"
	read_once plot_ctrace $CTRACE plot -o "$TMP/pipe.png" "$TMP/pipe.ctr"
	rm -rf "$TMP/pipe.pftrace" "$TMP/pipe-csv"	# an export writes a new file, not over the last run's
	read_once exp_pf $CTRACE export -o "$TMP/pipe.pftrace" "$TMP/pipe.ctr"
	read_once exp_csv $CTRACE export --format csv -o "$TMP/pipe-csv" "$TMP/pipe.ctr"
done
for name in rep_ctrace rep_perf plot_ctrace exp_pf exp_csv; do
	median <"$TMP/$name.all" >"$TMP/$name.t"
done
rc=$(cat "$TMP/rep_ctrace.t") rp=$(cat "$TMP/rep_perf.t")
evs() { awk "BEGIN { printf \"%.1fM/s\", $1 / $2 / 1e6 }"; }
printf '\n%-34s %14s %14s %7s\n' "reading the pipe trace" "ctrace report" "perf timehist" "ratio"
printf '%-34s %13ss %13ss\n' "time" "$rc" "$rp"
printf '%-34s %14s %14s %7s\n' "events/s" "$(evs "$pce" "$rc")" "$(evs "$ppe" "$rp")" \
	"$(awk "BEGIN { printf \"%.1fx\", ($pce / $rc) / ($ppe / $rp) }")"
printf '%-34s %11s KB %11s KB\n' "peak memory" "$(cat "$TMP/rep_ctrace.kb")" "$(cat "$TMP/rep_perf.kb")"

# Drawing: ctrace plot on the same trace (two passes, rasterized, then gnuplot).
pt=$(cat "$TMP/plot_ctrace.t")
printf '\n%-34s %13ss  (%s, PNG %s KB)\n' "ctrace plot, pipe trace" "$pt" \
	"$(evs "$pce" "$pt")" "$(($(stat -c %s "$TMP/pipe.png") / 1024))"

# Exporting the same trace.
printf '%-34s %13ss  (%s, peak memory %s KB)\n' "ctrace export perfetto" "$(cat "$TMP/exp_pf.t")" \
	"$(evs "$pce" "$(cat "$TMP/exp_pf.t")")" "$(cat "$TMP/exp_pf.kb")"
printf '%-34s %13ss  (%s, peak memory %s KB)\n' "ctrace export csv" "$(cat "$TMP/exp_csv.t")" \
	"$(evs "$pce" "$(cat "$TMP/exp_csv.t")")" "$(cat "$TMP/exp_csv.kb")"

printf '\n%-34s %14s %14s\n' "dropped events (pipe / syscall)" "$(ct_drops "$TMP/pipe.ctr") / $(ct_drops "$TMP/sys.ctr")" "$(perf_lost "$TMP/pipe.data") / $(perf_lost "$TMP/sys.data")"
