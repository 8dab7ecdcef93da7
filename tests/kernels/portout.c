/*
 * Send a file out of a qemu guest through an I/O port wired to qemu's
 * isa-debugcon device: no driver, no interrupt, so nothing in the guest
 * kernel (a PREEMPT_RT one included) can stall it.  The file goes out
 * framed as "ctrace-portout SIZE\n" then its bytes, so the host can find
 * it and tell whether it came whole.
 *   portout FILE
 */
#include <stdio.h>
#include <sys/io.h>
#include <sys/stat.h>

#define PORT 0xe9

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];
	char head[64];
	struct stat st;
	size_t n;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "rb")) || fstat(fileno(f), &st)) {
		fprintf(stderr, "usage: portout FILE (a readable file)\n");
		return 2;
	}
	if (ioperm(PORT, 1, 1)) {
		perror("portout: ioperm");
		return 1;
	}
	n = (size_t)snprintf(head, sizeof(head), "ctrace-portout %lld\n", (long long)st.st_size);
	outsb(PORT, head, n);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		outsb(PORT, buf, n);
	fclose(f);
	return 0;
}
