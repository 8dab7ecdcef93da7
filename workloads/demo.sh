#!/bin/sh
# make demo: run each bundled workload under ctrace, report on it, and write
# demo/README.md, a table of verdicts with what each workload demonstrates.
set -eu
cd "$(dirname "$0")/.."
CTRACE=./ctrace
WL=build/workloads
OUT=demo
PY=$(command -v /usr/bin/python3 || command -v python3)
[ "$(id -u)" = 0 ] || { echo "demo: recording needs root: sudo make demo" >&2; exit 1; }
mkdir -p "$OUT"

# name | what it demonstrates | command
cases() {
	cat <<CASES
c-threads|CPU-bound C, 2 threads: parallel|$WL/cpu_threads -t 2 -w 300
c-oversub|CPU-bound C, 6 threads on the cores: oversubscribed|$WL/cpu_threads -t 6 -w 100
py-threads|CPU-bound Python, 2 threads: the GIL serializes them|$PY workloads/py_cpu_threads.py
py-procs|CPU-bound Python, a process pool: parallel|$PY workloads/py_cpu_procs.py
py-asyncio|I/O-bound Python asyncio: one thread, an event loop|$PY workloads/py_asyncio.py
disk|Disk-bound C: O_DIRECT writes, each fsync'd|$WL/disk_fsync
sleep|Waiting on a timer: sequential I/O|sleep 1
CASES
}

{
	echo "# ctrace demo on $(hostname), $(nproc) CPUs"
	echo
	echo "Each workload was recorded with \`ctrace record\`; the verdict and numbers come from \`ctrace report\`."
	echo
	echo "| workload | demonstrates | verdict | parallelism | concurrency | wall | report |"
	echo "|---|---|---|---|---|---|---|"
} >"$OUT/README.md"

n=$(cases | wc -l) i=0
cases | while IFS='|' read -r name what cmd; do
	i=$((i + 1))
	printf 'demo: [%d/%d] %-10s %s\n' "$i" "$n" "$name" "$what"
	# shellcheck disable=SC2086
	$CTRACE record -q -o "$OUT/$name.ctr" -- $cmd >/dev/null
	$CTRACE report "$OUT/$name.ctr" >"$OUT/$name.txt"
	$CTRACE report --json "$OUT/$name.ctr" >"$OUT/$name.json"
	"$PY" - "$OUT/$name.json" "$name" "$what" >>"$OUT/README.md" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["verdict"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | **{v['kind']}, {v['shape']}** | "
      f"{d['parallelism']['mean']:.2f} | {d['concurrency']['mean']:.2f} | {d['wall_s']:.2f} s | "
      f"[{sys.argv[2]}.txt]({sys.argv[2]}.txt) |")
PYEOF
done
echo "demo: wrote $OUT/README.md and a report per workload in $OUT/"
