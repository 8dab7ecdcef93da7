/* The recorded command's life: paused, released, reaped (child.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool sudo_ids(uid_t *uid, gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");

	if (!u || !g || geteuid() != 0)
		return false;
	*uid = (uid_t)strtoul(u, NULL, 10);
	*gid = (gid_t)strtoul(g, NULL, 10);
	return *uid != 0;
}

static int drop_to_sudo_user(void)
{
	uid_t uid;
	gid_t gid;

	if (!sudo_ids(&uid, &gid))
		return 0;
	struct passwd *pw = getpwuid(uid);

	if ((pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL)) ||
	    setgid(gid) || setuid(uid))
		return -1;
	return 0;
}

void ct_give_to_sudo_user(const char *path)
{
	uid_t uid;
	gid_t gid;

	if (sudo_ids(&uid, &gid) && chown(path, uid, gid))
		ct_warn("warning: cannot give %s to uid %u: %s", path, (unsigned)uid, strerror(errno));
}

/* In the child: become the user, wait for the word, exec; errno back on failure. */
static void child_main(char *const argv[], bool keep_root, int go_fd, int status_fd,
		       const sigset_t *mask)
{
	char c;
	int err;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (!keep_root && drop_to_sudo_user()) {
		err = errno;
		(void)!write(status_fd, &err, sizeof(err));
		_exit(126);
	}
	if (read(go_fd, &c, 1) != 1)
		_exit(126);	/* the recorder gave up */
	execvp(argv[0], argv);
	err = errno;
	(void)!write(status_fd, &err, sizeof(err));
	_exit(127);
}

int ct_child_spawn(struct ct_child *ch, char *const argv[], bool keep_root, const sigset_t *mask)
{
	int go[2], st[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(st, O_CLOEXEC))
		return -1;
	ch->pid = fork();
	if (ch->pid < 0)
		return -1;
	if (ch->pid == 0) {
		close(go[1]);
		close(st[0]);
		child_main(argv, keep_root, go[0], st[1], mask);
	}
	close(go[0]);
	close(st[1]);
	ch->go_fd = go[1];
	ch->status_fd = st[0];
	ch->pidfd = (int)syscall(SYS_pidfd_open, ch->pid, 0);
	return ch->pidfd < 0 ? -1 : 0;
}

/* A task's CPU time so far in ns, from the scheduler's own account; 0 if unknown. */
static uint64_t task_cpu_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
	}
	return ns;
}

int ct_child_release(struct ct_child *ch)
{
	int err = 0;
	ssize_t n;

	ch->setup_cpu_ns = task_cpu_ns(ch->pid);
	ch->released_ns = monotonic_ns();
	ch->released = true;
	if (write(ch->go_fd, "g", 1) != 1)
		err = errno;
	close(ch->go_fd);
	if (!err) {
		do
			n = read(ch->status_fd, &err, sizeof(err));
		while (n < 0 && errno == EINTR);
		if (n != sizeof(err))
			err = 0;
	}
	close(ch->status_fd);
	if (err)
		ct_child_wait(ch);
	return err;
}

void ct_child_reap(struct ct_child *ch)
{
	if (ch->pid > 0 && !ch->exited && wait4(ch->pid, &ch->status, WNOHANG, &ch->ru) == ch->pid) {
		ch->exited = true;
		ch->reaped_ns = monotonic_ns();
	}
}

void ct_child_wait(struct ct_child *ch)
{
	if (ch->pid > 0 && !ch->exited && wait4(ch->pid, &ch->status, 0, &ch->ru) == ch->pid) {
		ch->exited = true;
		ch->reaped_ns = monotonic_ns();
	}
}

void ct_child_discard(struct ct_child *ch)
{
	if (ch->pid > 0 && !ch->released && !ch->exited) {
		kill(ch->pid, SIGKILL);
		ct_child_wait(ch);
	}
}

uint64_t ct_child_cpu_ns(const struct ct_child *ch)
{
	const struct rusage *ru = &ch->ru;
	uint64_t cpu = (uint64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000000ull +
		       (uint64_t)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1000ull;

	return cpu > ch->setup_cpu_ns ? cpu - ch->setup_cpu_ns : 0;
}

int ct_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
