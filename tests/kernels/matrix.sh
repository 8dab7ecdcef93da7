#!/bin/sh
# The kernel matrix: the same static workloads (cases.sh) recorded on this
# machine's kernel and on Debian's packaged kernels, each booted under qemu
# with an initramfs that holds the built ctrace, its libraries, busybox and
# the workloads; every trace is then judged on the host by the same checks,
# and the kernels' results compared (judge.py).
#   sh tests/kernels/matrix.sh          (make kernels; part of make test)
# CTRACE_KERNELS     Debian kernel packages to boot (default: Debian 12's
#                    cloud and PREEMPT_RT flavours, their newest build)
# CTRACE_QEMU_ACCEL  kvm or tcg (default: kvm where /dev/kvm is usable)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
CTRACE=${CTRACE:-./ctrace}
DIR=$BUILD/kernels
PACKAGES=${CTRACE_KERNELS:-linux-image-cloud-amd64 linux-image-rt-amd64}
PY=$(command -v python3)

fail() { echo "FAIL    kernels: $*"; exit 1; }

for tool in qemu-system-x86_64 busybox cpio apt-get dpkg-deb timeout; do
	command -v $tool >/dev/null || fail "$tool is not installed: run 'sudo make deps'"
done
[ "$(id -u)" = 0 ] || fail "recording needs root: run 'sudo make kernels'"
mkdir -p "$DIR"

# The build a metapackage depends on: the newest kernel of that flavour.
resolve() {
	apt-cache depends "$1" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -1
}

# kernel_image PACKAGE: the path of its vmlinuz, downloaded once into $DIR.
kernel_image() {
	case $1 in
	linux-image-[0-9]*) pkg=$1 ;;
	*)	pkg=$(resolve "$1")
		[ -n "$pkg" ] || { apt-get update -qq >/dev/null 2>&1; pkg=$(resolve "$1"); } ;;
	esac
	[ -n "$pkg" ] || { echo "no package behind $1 in apt's lists" >&2; return 1; }
	img=$DIR/$pkg.vmlinuz
	[ -s "$img" ] && { echo "$img"; return 0; }
	rm -f "$DIR/$pkg"_*.deb
	(cd "$DIR" && apt-get download "$pkg" >/dev/null 2>&1) || { echo "apt-get download $pkg failed" >&2; return 1; }
	dpkg-deb --fsys-tarfile "$DIR/$pkg"_*.deb | tar -xOf - --wildcards './boot/vmlinuz-*' >"$img.part" &&
		mv "$img.part" "$img" || { rm -f "$img.part"; echo "no vmlinuz in $pkg" >&2; return 1; }
	rm -f "$DIR/$pkg"_*.deb
	echo "$img"
}

# An initramfs with ctrace and what it links against, busybox, the static
# workloads, the cases and the guest's init.
build_initramfs() {
	root=$DIR/root
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
	cp "$(command -v busybox)" "$root/bin/busybox"
	for applet in sh mount mkdir cat echo tar stty poweroff sleep true ls uname; do
		ln -s busybox "$root/bin/$applet"
	done
	cp "$CTRACE" "$root/bin/ctrace"
	for lib in $(ldd "$CTRACE" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp "$BUILD"/static/* "$root/bin/"
	cp tests/kernels/cases.sh "$root/cases.sh"
	cp tests/kernels/guest-init.sh "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$DIR/initramfs.gz"
}

usable_kvm() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo
}

# boot IMAGE OUT ACCEL: run the cases on that kernel; its traces land in OUT.
# TCG runs both vCPUs in one host thread: with a thread each, a vCPU could
# keep executing a stale translation of kernel text that the other had just
# patched (attaching tracepoints patches __schedule), trapping on the int3
# forever.  One thread keeps the two from racing; the guest still has 2 CPUs.
boot() {
	cpu=max qaccel=tcg,thread=single
	[ "$3" = kvm ] && cpu=host qaccel=kvm
	rm -rf "$2"
	mkdir -p "$2"
	timeout 900 qemu-system-x86_64 -nodefaults -display none -no-reboot -accel "$qaccel" -cpu $cpu \
		-m 1024 -smp 2 -serial "file:$2/console.log" \
		-chardev "file,id=port,path=$2/port.out" -device isa-debugcon,iobase=0xe9,chardev=port \
		-kernel "$1" -initrd "$DIR/initramfs.gz" -append "console=ttyS0 quiet panic=-1" \
		>"$2/qemu.log" 2>&1
	grep -q "ctrace-matrix: traces sent" "$2/console.log" && unframe "$2/port.out" "$2/traces.tar" &&
		tar -xf "$2/traces.tar" -C "$2"
}

# unframe PORT_OUT TAR: the file portout sent, whole or not at all.
unframe() {
	head=$(grep -abo -m1 'ctrace-portout [0-9]*' "$1") || return 1	# OFFSET:ctrace-portout SIZE
	off=${head%%:*}
	size=${head##* }
	# The bytes start after the header's text and its newline; tail counts from 1.
	tail -c +$((off + ${#head} - ${#off} + 1)) "$1" | head -c "$size" >"$2"
	[ "$(stat -c %s "$2")" = "$size" ]
}

build_initramfs || fail "cannot build the initramfs"
accel=${CTRACE_QEMU_ACCEL:-}
[ -n "$accel" ] || { usable_kvm && accel=kvm || accel=tcg; }

host_out=$DIR/out/host
rm -rf "$host_out"
mkdir -p "$host_out"
CTRACE=$CTRACE BIN=$DIR/root/bin OUT=$host_out sh tests/kernels/cases.sh
outs=$host_out
for package in $PACKAGES; do
	img=$(kernel_image "$package") || fail "cannot fetch $package"
	out=$DIR/out/$(basename "$img" .vmlinuz)
	start=$(date +%s)
	if ! boot "$img" "$out" "$accel"; then
		[ "$accel" = kvm ] || fail "$(basename "$img" .vmlinuz) under qemu ($accel): no traces came back; see $out/console.log: $(tail -3 "$out/console.log" | tr '\r\n' '  ')"
		echo "kernels: $(basename "$img" .vmlinuz) did not finish under KVM; again under TCG"
		boot "$img" "$out" tcg || fail "$(basename "$img" .vmlinuz) under qemu: no traces came back; see $out/console.log"
	fi
	echo "kernels: booted $(basename "$img" .vmlinuz) under qemu ($accel, 2 CPUs) and recorded in $(($(date +%s) - start)) s"
	outs="$outs $out"
done
# shellcheck disable=SC2086
"$PY" tests/kernels/judge.py "$CTRACE" $outs
