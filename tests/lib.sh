# Shared by the root test scripts (sourced from the top of the tree): results, checks, and the
# report's verdict.  Each script prints one line per test and ends with
# "NAME: N passed, N failed, N skipped".
set -u
CTRACE=${CTRACE:-./ctrace}
WL=${WL:-build/workloads}
PY=$(command -v /usr/bin/python3 || command -v python3)
TMP=$(mktemp -d /tmp/ctrace-test.XXXXXX)
AT_EXIT=:
trap 'eval "$AT_EXIT"; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
pass=0 fail=0 skip=0

# at_exit CMD: run CMD when the script exits, however it exits
at_exit() { AT_EXIT="$1; $AT_EXIT"; }

ok() { pass=$((pass + 1)); echo "ok      $1"; }
bad() { fail=$((fail + 1)); echo "FAIL    $1: $2"; }
skipped() { skip=$((skip + 1)); echo "skip    $1: $2"; }

# finish NAME: the closing line; the exit status says whether all passed
finish() {
	echo "$1: $pass passed, $fail failed, $skip skipped"
	[ $fail = 0 ]
}

# "# summary: N events over S s, D dropped, ..." -> field
summary() { "$CTRACE" dump "$1" | sed -n 's/^# summary: \([0-9]*\) events over \([0-9.]*\) s, \([0-9]*\) dropped.*/\1 \2 \3/p'; }
# Float comparison: awk exits 0 when the expression holds.
holds() { awk "BEGIN { exit !($1) }"; }

can_bpf() {
	[ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
	[ -r /sys/kernel/btf/vmlinux ] || { echo "no BTF at /sys/kernel/btf/vmlinux"; return 1; }
	"$CTRACE" record -q -o "$TMP/probe.ctr" -- true 2>"$TMP/probe.err" ||
		{ cat "$TMP/probe.err"; return 1; }
}

# verdict TRACE KIND SHAPE: the report's JSON, checked to parse and to say KIND/SHAPE;
# leaves the JSON in $TMP/r.json
verdict() {
	"$CTRACE" report --json "$1" >"$TMP/r.json" 2>"$TMP/err" || { echo "report failed: $(cat "$TMP/err")"; return 1; }
	"$PY" -m json.tool "$TMP/r.json" >/dev/null || { echo "report --json is not valid JSON"; return 1; }
	inv=$(jq_get anomalies.invariants)
	[ "$inv" = ok ] || { echo "an invariant broke: $inv"; return 1; }
	got=$(jq_get verdict.kind)/$(jq_get verdict.shape)
	[ "$got" = "$2/$3" ] || { echo "verdict $got, want $2/$3: $(jq_get verdict.summary)"; return 1; }
}
# jq_get a.b.c: a field of $TMP/r.json (a number picks from a list: processes_detail.0.kind)
jq_get() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[int(k)] if isinstance(d, list) else d[k]
print(d)' "$TMP/r.json" "$1"; }

# report_case NAME KIND SHAPE CMD...: record CMD, check the verdict
report_case() {
	name=$1 kind=$2 shape=$3; shift 3
	"$CTRACE" record -q -o "$TMP/$name.ctr" -- "$@" >/dev/null 2>"$TMP/err" || { bad "$name" "record failed: $(cat "$TMP/err")"; return 1; }
	why=$(verdict "$TMP/$name.ctr" "$kind" "$shape") || { bad "$name" "$why"; return 1; }
}
