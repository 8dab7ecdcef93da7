/*
 * Disk-bound: append a block straight to the disk (O_DIRECT, no page-cache
 * copy) and fsync it, again and again.  The thread spends its time waiting
 * for the disk, not computing.
 *   disk_fsync [-n WRITES] [-s BLOCK_BYTES] [-f FILE]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long writes = 100, size = 1 << 20;
	const char *path = NULL;
	char tmpl[] = "/var/tmp/disk_fsync.XXXXXX";
	int c, fd;

	while ((c = getopt(argc, argv, "n:s:f:")) != -1) {
		if (c == 'n')
			writes = atol(optarg);
		else if (c == 's')
			size = atol(optarg);
		else if (c == 'f')
			path = optarg;
		else {
			fprintf(stderr, "usage: %s [-n WRITES] [-s BYTES] [-f FILE]\n", argv[0]);
			return 2;
		}
	}
	if (writes < 1 || size < 1 || size > (1 << 24)) {
		fprintf(stderr, "%s: writes >= 1, 1 <= bytes <= 16M\n", argv[0]);
		return 2;
	}
	fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600)
		  : mkostemp(tmpl, O_DIRECT);
	if (fd < 0 && errno == EINVAL)	/* tmpfs and friends refuse O_DIRECT: buffered, then */
		fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : mkstemp(tmpl);
	if (fd < 0) {
		perror(path ? path : tmpl);
		return 1;
	}
	size = (size + 4095) & ~4095L;	/* O_DIRECT wants whole, aligned blocks */
	char *buf = aligned_alloc(4096, (size_t)size);

	memset(buf, 'x', (size_t)size);
	for (long i = 0; i < writes; i++) {
		if (write(fd, buf, (size_t)size) != size || fsync(fd)) {
			perror("write/fsync");
			return 1;
		}
	}
	close(fd);
	unlink(path ? path : tmpl);
	free(buf);
	printf("disk_fsync: %ld x %ld-byte writes, each fsync'd: I/O-bound on the disk\n", writes, size);
	return 0;
}
