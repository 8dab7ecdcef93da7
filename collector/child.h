/*
 * The recorded command: started paused (so the probes see it from its
 * exec on), released, and reaped with the kernel's account of it.  Under
 * sudo it runs as the invoking user, and the trace becomes theirs.
 */
#ifndef CTRACE_CHILD_H
#define CTRACE_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct ct_child {
	pid_t pid;		/* -1 before it is started */
	int go_fd;		/* write a byte to let it exec */
	int status_fd;		/* reads errno if exec failed, EOF once it succeeded */
	int pidfd;		/* readable once it exits */
	bool released;		/* allowed to exec: from then on it is the user's command */
	bool exited;
	int status;		/* from wait4, once exited */
	struct rusage ru;	/* from wait4: the kernel's account of it */
	uint64_t released_ns, reaped_ns;	/* CLOCK_MONOTONIC */
	uint64_t setup_cpu_ns;	/* CPU it used paused, before its exec: not the command's */
};

/*
 * Fork argv[0], paused before its exec, as the sudo user unless keep_root;
 * its signal mask is restored to mask.  -1 with errno.
 */
int ct_child_spawn(struct ct_child *ch, char *const argv[], bool keep_root, const sigset_t *mask);
/* Let it exec: 0 once it did, else the errno that stopped it (then it is reaped). */
int ct_child_release(struct ct_child *ch);
/* Reap it if it has exited, without waiting. */
void ct_child_reap(struct ct_child *ch);
/* Wait for it to exit. */
void ct_child_wait(struct ct_child *ch);
/* A child never released never ran: kill and reap it. */
void ct_child_discard(struct ct_child *ch);
/* Its CPU time from its exec to its end, as rusage accounts it (waited-for children included). */
uint64_t ct_child_cpu_ns(const struct ct_child *ch);
/* The shell's convention: the exit code, or 128 + the signal that killed it. */
int ct_exit_code(int status);

/* Under sudo, the file belongs to the user who ran sudo; a warning if it cannot. */
void ct_give_to_sudo_user(const char *path);

#endif
