/*
 * A kernel spinlock contended on purpose: a writer and a real-time
 * interrupter, both on CPU 0, write to one eventfd, whose writes take its
 * wait-queue lock.  The interrupter wakes every 100 us and preempts the
 * writer at once, often inside that lock.  On PREEMPT_RT the lock sleeps,
 * so the interrupter blocks in TASK_RTLOCK_WAIT until the writer, boosted,
 * lets go: a kernel lock wait.  On other kernels it spins with preemption
 * off, and nobody blocks.  The parent waits in wait4.
 *   kspin [-l WRITES] [-w WAKEUPS]
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_cpu0(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		_exit(1);
}

static pid_t start(void (*body)(int, long), int fd, long n)
{
	pid_t pid = fork();

	if (pid == 0) {
		on_cpu0();
		body(fd, n);
		_exit(0);
	}
	return pid;
}

static void writer(int fd, long writes)
{
	uint64_t one = 1;

	for (long k = 0; k < writes; k++)
		if (write(fd, &one, sizeof(one)) != sizeof(one))
			_exit(1);
}

static void interrupter(int fd, long wakeups)
{
	struct sched_param fifo = { .sched_priority = 10 };
	struct timespec nap = { 0, 100000 };
	uint64_t one = 1;

	if (sched_setscheduler(0, SCHED_FIFO, &fifo))
		_exit(1);
	for (long k = 0; k < wakeups; k++) {
		nanosleep(&nap, NULL);
		if (write(fd, &one, sizeof(one)) != sizeof(one))
			_exit(1);
	}
}

int main(int argc, char **argv)
{
	long writes = 200000, wakeups = 2000;
	int c, fd, failed = 0, status;

	while ((c = getopt(argc, argv, "l:w:")) != -1) {
		if (c == 'l' && (writes = atol(optarg)) > 0)
			continue;
		if (c == 'w' && (wakeups = atol(optarg)) > 0)
			continue;
		fprintf(stderr, "usage: %s [-l WRITES] [-w WAKEUPS]\n", argv[0]);
		return 2;
	}
	fd = eventfd(0, EFD_NONBLOCK);
	if (fd < 0 || start(writer, fd, writes) < 0 || start(interrupter, fd, wakeups) < 0)
		return 1;
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	printf("kspin: %ld writes and %ld real-time wakeups on one eventfd\n", writes, wakeups);
	return failed;
}
