/*
 * A tight loop of cheap syscalls (getppid): the probes' hot path, where
 * every call must be recorded exactly once.
 *   sysloop [-l CALLS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long calls = 200000;
	int c;

	while ((c = getopt(argc, argv, "l:")) != -1) {
		if (c != 'l' || (calls = atol(optarg)) <= 0) {
			fprintf(stderr, "usage: %s [-l CALLS]\n", argv[0]);
			return 2;
		}
	}
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	printf("sysloop: %ld getppid calls\n", calls);
	return 0;
}
