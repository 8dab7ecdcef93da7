/*
 * Run a command and write the kernel's view of it to $RUSAGE_OUT: wall time
 * and the children's CPU time (utime + stime) and peak memory.  In C so that the wrapper
 * adds nothing measurable to the run it measures.
 *   RUSAGE_OUT=file rusage CMD [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *out = getenv("RUSAGE_OUT");
	struct rusage ru;
	int status;

	if (argc < 2 || !out) {
		fprintf(stderr, "usage: RUSAGE_OUT=file %s CMD [ARGS...]\n", argv[0]);
		return 2;
	}
	double t0 = now();
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
		perror("rusage");
		return 1;
	}
	double wall = now() - t0;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	FILE *f = fopen(out, "w");

	if (!f) {
		perror(out);
		return 1;
	}
	fprintf(f, "{\"wall_s\": %.6f, \"cpu_s\": %.6f, \"parallelism\": %.6f, \"maxrss_kb\": %ld}\n",
		wall, cpu, cpu / wall, ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
