/*
 * Processes hammering one eventfd: every write takes the same kernel
 * spinlock (the eventfd's wait-queue lock).  On PREEMPT_RT that lock
 * sleeps, so the writers block in TASK_RTLOCK_WAIT, a kernel lock wait; on
 * other kernels it spins and nobody blocks.  The parent waits in wait4.
 *   kspin [-p PROCS] [-l WRITES]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long procs = 2, writes = 200000;
	uint64_t one = 1;
	int c, fd, failed = 0, status;

	while ((c = getopt(argc, argv, "p:l:")) != -1) {
		if (c == 'p' && (procs = atol(optarg)) > 0 && procs <= 64)
			continue;
		if (c == 'l' && (writes = atol(optarg)) > 0)
			continue;
		fprintf(stderr, "usage: %s [-p PROCS] [-l WRITES]\n", argv[0]);
		return 2;
	}
	fd = eventfd(0, EFD_NONBLOCK);
	if (fd < 0)
		return 1;
	for (long i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			for (long k = 0; k < writes; k++)
				if (write(fd, &one, sizeof(one)) != sizeof(one))
					_exit(1);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	printf("kspin: %ld processes x %ld eventfd writes\n", procs, writes);
	return failed;
}
