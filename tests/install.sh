#!/bin/sh
# Installing ctrace as users do: `make install` into a DESTDIR and `make
# uninstall` out of it; every option of every command's --help in its man
# page, and man itself silent about the pages; bash completion of commands,
# options, values and trace files; `make deb`, installed with apt-get, and
# the installed /usr/bin/ctrace recording, reporting and plotting (as root;
# the package is removed again afterwards).
# Prints one line per test and "install: N passed, N failed, N skipped".
cd "$(dirname "$0")/.." && . tests/lib.sh
COMPLETION=$PWD/completion/ctrace
export COMPLETION
COMMANDS=$("$CTRACE" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')

t_make_install() {
	root=$TMP/destdir
	make -s install DESTDIR="$root" PREFIX=/usr/local >"$TMP/err" 2>&1 ||
		{ bad "make install" "$(tail -5 "$TMP/err")"; return; }
	missing=""
	for f in bin/ctrace share/man/man1/ctrace.1 share/bash-completion/completions/ctrace \
		$(for c in $COMMANDS; do echo share/man/man1/ctrace-$c.1; done); do
		[ -s "$root/usr/local/$f" ] || missing="$missing $f"
	done
	[ -z "$missing" ] || { bad "make install" "missing under $root/usr/local:$missing"; return; }
	[ -x "$root/usr/local/bin/ctrace" ] && "$root/usr/local/bin/ctrace" --version >/dev/null ||
		{ bad "make install" "the installed binary does not run"; return; }
	n=$(find "$root" -type f | wc -l)
	make -s uninstall DESTDIR="$root" PREFIX=/usr/local >"$TMP/err" 2>&1 ||
		{ bad "make uninstall" "$(tail -5 "$TMP/err")"; return; }
	left=$(find "$root" -type f)
	[ -z "$left" ] || { bad "make uninstall" "left behind: $left"; return; }
	ok "make install DESTDIR: bin/, share/man/man1/ and share/bash-completion/completions/ ($n files); make uninstall removes them all"
}

# Every page renders without a warning from man or groff.
t_man_warnings() {
	command -v man >/dev/null || { skipped "man pages" "man is not installed: run 'sudo make deps'"; return; }
	version=$("$CTRACE" --version)
	for page in man/*.1; do
		grep -q "^\.TH .* \"$version\" " "$page" || { bad "man pages" "$page is not for $version: $(head -1 "$page")"; return; }
		LC_ALL=C MANWIDTH=80 man --warnings -l "$page" >"$TMP/page" 2>"$TMP/warn"
		[ -s "$TMP/warn" ] && { bad "man pages" "$page: $(head -3 "$TMP/warn")"; return; }
		[ "$(wc -l <"$TMP/page")" -gt 20 ] || { bad "man pages" "$page renders to almost nothing"; return; }
	done
	ok "man pages: $(ls man/*.1 | wc -l) pages render with no warning"
}

# long_options HELP_TEXT_FILE: each --option the help names, once
long_options() { grep -oE -- '--[a-z][a-z-]*' "$1" | sort -u; }

# Every option --help shows is in the man page, and every command has one.
t_help_in_man() {
	command -v man >/dev/null || { skipped "help and man" "man is not installed"; return; }
	checked=0
	"$CTRACE" --help >"$TMP/help"
	echo "--version" >>"$TMP/help"
	for c in "" $COMMANDS; do
		page=man/ctrace${c:+-$c}.1
		[ -f "$page" ] || { bad "help and man" "no man page for 'ctrace $c' ($page)"; return; }
		[ -z "$c" ] || "$CTRACE" "$c" --help >"$TMP/help"
		# The items of the OPTIONS section: "-x, --name=ARG" or "--name" at the indent of an item.
		LC_ALL=C MANWIDTH=200 man -l "$page" 2>/dev/null | col -b |
			sed -n '/^OPTIONS/,/^[A-Z]/p' | grep -E '^ {7}-' >"$TMP/man"
		for opt in $(long_options "$TMP/help"); do
			grep -qE -e "(^| )$opt(\$|=| |,)" "$TMP/man" ||
				{ bad "help and man" "'ctrace $c --help' shows $opt, the OPTIONS of $page do not"; return; }
			checked=$((checked + 1))
		done
	done
	ok "help and man: all $checked options of ctrace and its $(echo $COMMANDS | wc -w) commands are in their pages"
}

# complete WORDS...: what bash completion offers for the last word, one per line
complete_words() {
	bash -c '. /usr/share/bash-completion/bash_completion; . "$COMPLETION"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_ctrace ctrace "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' complete "$@" | sort
}

t_completion() {
	[ -r /usr/share/bash-completion/bash_completion ] ||
		{ skipped "completion" "bash-completion is not installed: run 'sudo make deps'"; return; }
	mkdir -p "$TMP/c/sub" && touch "$TMP/c/run.ctr" "$TMP/c/notes.txt"
	# Options come from `ctrace CMD --help`: the ctrace under test comes first on the PATH.
	PATH=$(cd "$(dirname "$CTRACE")" && pwd):$PATH
	got=$(complete_words ctrace re | tr '\n' ' ')
	[ "$got" = "record report " ] || { bad "completion" "'ctrace re' offers '$got'"; return; }
	got=$(complete_words ctrace record --no | tr '\n' ' ')
	[ "$got" = "--no-syscalls " ] || { bad "completion" "'ctrace record --no' offers '$got'"; return; }
	got=$(complete_words ctrace export --format "" | tr '\n' ' ')
	[ "$got" = "csv perfetto " ] || { bad "completion" "'ctrace export --format' offers '$got'"; return; }
	for c in report plot export dump topo; do
		got=$(cd "$TMP/c" && complete_words ctrace $c "" | tr '\n' ' ')
		[ "$got" = "run.ctr sub " ] || { bad "completion" "'ctrace $c' offers '$got', want run.ctr and the directory"; return; }
	done
	ok "completion: commands, options from --help, --format values, *.ctr (and directories) after report/plot/export/dump/topo"
}

# make deb, apt-get install it, and use the installed ctrace as a user would.
t_deb() {
	[ "$(id -u)" = 0 ] || { skipped "deb" "installing a package needs root"; return; }
	command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null || { skipped "deb" "not a Debian system"; return; }
	dpkg -s ctrace >/dev/null 2>&1 && { skipped "deb" "a ctrace package is installed already; left alone"; return; }
	make -s deb >"$TMP/err" 2>&1 || { bad "deb" "make deb: $(tail -5 "$TMP/err")"; return; }
	deb=$(ls ctrace_*_amd64.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || { bad "deb" "make deb left no ctrace_<version>_amd64.deb"; return; }
	deps=$(dpkg-deb -f "$deb" Depends)
	for d in libbpf1 libelf1 libhwloc15 gnuplot-nox libprotobuf-c1 libdeflate0; do
		case $deps in *"$d"*) ;; *) bad "deb" "Depends lacks $d: $deps"; return ;; esac
	done
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >"$TMP/err" 2>&1 ||
		{ bad "deb" "apt-get install ./$deb: $(tail -5 "$TMP/err")"; return; }
	at_exit "DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ctrace >/dev/null 2>&1"
	cd "$TMP" || return
	/usr/bin/ctrace record -q -o smoke.ctr -- sh -c 'yes >/dev/null & sleep 0.5; kill $!' >/dev/null 2>"$TMP/err" ||
		{ cd - >/dev/null; bad "deb" "installed ctrace record: $(cat "$TMP/err")"; return; }
	/usr/bin/ctrace report --json smoke.ctr >r.json 2>"$TMP/err" &&
		/usr/bin/ctrace plot -o smoke.png smoke.ctr >/dev/null 2>>"$TMP/err"
	rc=$?
	cd - >/dev/null || return
	[ $rc = 0 ] || { bad "deb" "installed ctrace report/plot: $(cat "$TMP/err")"; return; }
	# The loop held a CPU throughout by the clock; what the kernel counts of
	# it (parallelism) is less by what the host stole, which on a busy VM
	# has been half: its agreement with rusage is the report tests' to check.
	par=$(jq_get parallelism.mean) kind=$(jq_get verdict.kind)
	clock=$(awk "BEGIN { print $(jq_get states_s.running) / $(jq_get wall_s) }")
	[ "$kind" = cpu-bound ] && holds "$clock > 0.8 && $par > 0" ||
		{ bad "deb" "a CPU loop reported $kind, on a CPU $clock of the wall by the clock, parallelism $par"; return; }
	[ "$(head -c 4 "$TMP/smoke.png" | tail -c 3)" = PNG ] || { bad "deb" "the plot is not a PNG"; return; }
	man -w ctrace-record >/dev/null 2>&1 || { bad "deb" "man ctrace-record finds no page"; return; }
	[ -s /usr/share/bash-completion/completions/ctrace ] || { bad "deb" "no completion installed"; return; }
	ok "deb: $deb ($(stat -c %s "$deb") bytes) installs with apt-get; /usr/bin/ctrace records, reports (a CPU loop: $kind, on a CPU $clock of the wall, parallelism $par) and plots; man and completion in place"
}

t_make_install
t_man_warnings
t_help_in_man
t_completion
t_deb
finish install
