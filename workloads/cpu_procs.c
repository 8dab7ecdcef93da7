/*
 * CPU-bound work in processes (fork): each has its own address space, and
 * with N processes on N cores parallelism approaches N.  They take chunks
 * from a counter in shared memory, so a slower core never idles the rest.
 *   cpu_procs [-p PROCESSES] [-w MILLIONS per process]
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK 1000000L

int main(int argc, char **argv)
{
	long procs = 2, work = 200;
	int c;

	while ((c = getopt(argc, argv, "p:w:")) != -1) {
		if (c == 'p')
			procs = atol(optarg);
		else if (c == 'w')
			work = atol(optarg);
		else
			return 2;
	}
	if (procs < 1 || procs > 1024 || work < 0) {
		fprintf(stderr, "usage: %s [-p PROCESSES] [-w MILLIONS]\n", argv[0]);
		return 2;
	}
	atomic_long *left = mmap(NULL, sizeof(*left), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (left == MAP_FAILED)
		return 1;
	atomic_store(left, procs * work);
	for (long p = 0; p < procs; p++) {
		if (fork() == 0) {
			volatile uint64_t x = 0;

			while (atomic_fetch_sub(left, 1) > 0)
				for (long i = 0; i < CHUNK; i++)
					x += (uint64_t)i * 2654435761u;
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("cpu_procs: %ld processes sharing %ld M iterations: parallel\n", procs, procs * work);
	return 0;
}
