/*
 * Two processes passing a byte back and forth through two pipes: every
 * round trip is two wakeups and four context switches, each side blocked
 * in read while the other runs.
 *   pingpong [-l ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void bounce(int in, int out, long rounds, int serve)
{
	char b = 0;

	for (long i = 0; i < rounds; i++) {
		if (!serve && write(out, &b, 1) != 1)
			exit(1);
		if (read(in, &b, 1) != 1)
			exit(1);
		if (serve && write(out, &b, 1) != 1)
			exit(1);
	}
}

int main(int argc, char **argv)
{
	long rounds = 10000;
	int ab[2], ba[2], c, status;
	pid_t pid;

	while ((c = getopt(argc, argv, "l:")) != -1) {
		if (c != 'l' || (rounds = atol(optarg)) <= 0) {
			fprintf(stderr, "usage: %s [-l ROUNDS]\n", argv[0]);
			return 2;
		}
	}
	if (pipe(ab) || pipe(ba))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		bounce(ab[0], ba[1], rounds, 1);
		_exit(0);
	}
	bounce(ba[0], ab[1], rounds, 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("pingpong: %ld round trips\n", rounds);
	return 0;
}
