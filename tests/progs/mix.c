/*
 * A little of everything the kernel's scheduler and syscall events say, for
 * comparing an export with the kernel's own ftrace: threads that wake each
 * other across CPUs through a pipe, a signal handler (rt_sigreturn), a
 * child that lowers its priority and spins, then execs.
 *
 *   mix [-n ROUNDS]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int ping[2], pong[2];
static int rounds = 200;
static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static void *ponger(void *arg)
{
	char c;

	(void)arg;
	for (int i = 0; i < rounds; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			break;
	return NULL;
}

static void spin(long n)
{
	volatile long x = 0;

	for (long i = 0; i < n; i++)
		x += i;
}

int main(int argc, char **argv)
{
	pthread_t t;
	pid_t child;
	char c = 'x';
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1)
		rounds = atoi(optarg);
	if (pipe(ping) || pipe(pong) || signal(SIGUSR1, on_usr1) == SIG_ERR)
		return perror("mix"), 1;
	for (int i = 0; i < 20; i++)
		raise(SIGUSR1);
	if (pthread_create(&t, NULL, ponger, NULL))
		return perror("pthread_create"), 1;
	for (int i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
	pthread_join(t, NULL);
	if ((child = fork()) == 0) {
		setpriority(PRIO_PROCESS, 0, 5);
		spin(20000000);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	spin(10000000);
	waitpid(child, NULL, 0);
	printf("mix: %d rounds, %d signals\n", rounds, (int)caught);
	return 0;
}
