#!/bin/sh
# /init of the kernel matrix's initramfs: record every case, send the
# traces back as a tar through qemu's debug port, power off.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
export PATH=/bin
mkdir -p /tmp/out
echo "ctrace-matrix: recording on $(uname -r)"
CTRACE=/bin/ctrace BIN=/bin OUT=/tmp/out sh /cases.sh
(cd /tmp/out && tar cf /tmp/traces.tar .) && portout /tmp/traces.tar &&
	echo "ctrace-matrix: traces sent"
poweroff -f
