/*
 * The classification table and the kernel's state letters: every blocked
 * reason from its task state and syscall, and prev_state exactly as the
 * kernel's sched_switch event reports it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "classify.h"
#include "trace.h"

#define NR_READ 0
#define NR_WRITE 1
#define NR_POLL 7
#define NR_RECVFROM 45
#define NR_WAIT4 61
#define NR_FSYNC 74
#define NR_FUTEX 202
#define NR_CLOCK_NANOSLEEP 230
#define NR_EPOLL_WAIT 232
#define NR_GETPID 39

static uint32_t stored(uint32_t state, int preempted)
{
	return state << 1 | (preempted ? CT_STATE_PREEMPTED : 0);
}

static void syscalls_name_the_reason(void **state)
{
	(void)state;
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_READ), CT_ST_PIPE);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_WRITE), CT_ST_PIPE);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_RECVFROM), CT_ST_NET);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_EPOLL_WAIT), CT_ST_POLL);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, 426), CT_ST_POLL);	/* io_uring_enter */
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_POLL), CT_ST_POLL);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_FUTEX), CT_ST_LOCK);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_CLOCK_NANOSLEEP), CT_ST_SLEEP);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_WAIT4), CT_ST_CHILD);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_FSYNC), CT_ST_DISK);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, NR_GETPID), CT_ST_OTHER);
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, -1), CT_ST_IDLE);	/* a kernel thread's wait for work */
	assert_int_equal(ct_classify_block(CT_TASK_INTERRUPTIBLE, 100000), CT_ST_OTHER);
}

static void task_states_override_the_syscall(void **state)
{
	(void)state;
	/* D is disk whatever the call: a page-cache miss inside read. */
	assert_int_equal(ct_classify_block(CT_TASK_UNINTERRUPTIBLE, NR_READ), CT_ST_DISK);
	/* An idle kernel wait (TASK_IDLE) is not disk: outside any syscall, a kernel thread waiting for work. */
	assert_int_equal(ct_classify_block(CT_TASK_IDLE, -1), CT_ST_IDLE);
	assert_int_equal(ct_classify_block(CT_TASK_IDLE, NR_READ), CT_ST_PIPE);
	/* D outside a syscall is still disk (a page fault's read). */
	assert_int_equal(ct_classify_block(CT_TASK_UNINTERRUPTIBLE, -1), CT_ST_DISK);
	/* PREEMPT_RT: a sleeping spinlock inside write is a lock wait, not the pipe. */
	assert_int_equal(ct_classify_block(CT_TASK_RTLOCK_WAIT, NR_WRITE), CT_ST_LOCK);
	assert_int_equal(ct_classify_block(CT_TASK_RTLOCK_WAIT, -1), CT_ST_LOCK);
	/* Frozen by the freezer: reported as D by the kernel, but no disk. */
	assert_int_equal(ct_classify_block(CT_TASK_FROZEN, NR_READ), CT_ST_OTHER);
	assert_int_equal(ct_classify_block(CT_TASK_FROZEN | CT_TASK_UNINTERRUPTIBLE, -1), CT_ST_OTHER);
}

static void report_state_as_the_kernel(void **state)
{
	(void)state;
	assert_int_equal(ct_report_state(stored(0, 0)), 0);
	assert_int_equal(ct_report_state(stored(CT_TASK_INTERRUPTIBLE, 1)), CT_REPORT_PREEMPTED);
	assert_int_equal(ct_report_state(stored(CT_TASK_INTERRUPTIBLE, 0)), CT_TASK_INTERRUPTIBLE);
	assert_int_equal(ct_report_state(stored(CT_TASK_UNINTERRUPTIBLE, 0)), CT_TASK_UNINTERRUPTIBLE);
	/* TASK_KILLABLE = WAKEKILL | UNINTERRUPTIBLE: D. */
	assert_int_equal(ct_report_state(stored(0x100 | CT_TASK_UNINTERRUPTIBLE, 0)), CT_TASK_UNINTERRUPTIBLE);
	assert_int_equal(ct_report_state(stored(CT_TASK_IDLE, 0)), CT_REPORT_IDLE);
	assert_int_equal(ct_report_state(stored(CT_TASK_RTLOCK_WAIT, 0)), CT_TASK_UNINTERRUPTIBLE);
	assert_int_equal(ct_report_state(stored(CT_TASK_FROZEN, 0)), CT_TASK_UNINTERRUPTIBLE);
	assert_int_equal(ct_report_state(stored(CT_TASK_PARKED, 0)), CT_TASK_PARKED);
	assert_int_equal(ct_report_state(stored(CT_TASK_STOPPED, 0)), CT_TASK_STOPPED);
	assert_int_equal(ct_report_state(stored(CT_TASK_TRACED, 0)), CT_TASK_TRACED);
	/* A dying task: its exit_state decides; without one recorded, X. */
	assert_int_equal(ct_report_state(stored(CT_TASK_DEAD, 0)), CT_EXIT_DEAD);
	assert_int_equal(ct_report_state(stored(CT_TASK_DEAD | CT_EXIT_ZOMBIE, 0)), CT_EXIT_ZOMBIE);
}

static void letters_as_ps_prints_them(void **state)
{
	(void)state;
	assert_string_equal(ct_state_str(stored(0, 0)), "R");
	assert_string_equal(ct_state_str(stored(CT_TASK_INTERRUPTIBLE, 1)), "R+");
	assert_string_equal(ct_state_str(stored(CT_TASK_INTERRUPTIBLE, 0)), "S");
	assert_string_equal(ct_state_str(stored(CT_TASK_UNINTERRUPTIBLE, 0)), "D");
	assert_string_equal(ct_state_str(stored(CT_TASK_STOPPED, 0)), "T");
	assert_string_equal(ct_state_str(stored(CT_TASK_TRACED, 0)), "t");
	assert_string_equal(ct_state_str(stored(CT_TASK_DEAD, 0)), "X");
	assert_string_equal(ct_state_str(stored(CT_TASK_DEAD | CT_EXIT_ZOMBIE, 0)), "Z");
	assert_string_equal(ct_state_str(stored(CT_TASK_PARKED, 0)), "P");
	assert_string_equal(ct_state_str(stored(CT_TASK_IDLE, 0)), "I");
	assert_string_equal(ct_state_str(stored(CT_TASK_RTLOCK_WAIT, 0)), "D");
	assert_string_equal(ct_state_str(stored(CT_TASK_FROZEN | CT_TASK_INTERRUPTIBLE, 0)), "D");
}

static void reason_names_and_groups(void **state)
{
	(void)state;
	assert_string_equal(ct_state_name(CT_ST_LOCK), "lock");
	assert_string_equal(ct_state_name(CT_ST_NONE), "none");
	assert_string_equal(ct_state_name(CT_ST_IDLE), "idle");
	assert_true(ct_state_is_io_wait(CT_ST_DISK) && ct_state_is_io_wait(CT_ST_POLL) &&
		    ct_state_is_io_wait(CT_ST_SLEEP) && ct_state_is_io_wait(CT_ST_OTHER));
	assert_false(ct_state_is_io_wait(CT_ST_LOCK) || ct_state_is_io_wait(CT_ST_CHILD) ||
		     ct_state_is_io_wait(CT_ST_IDLE) || ct_state_is_io_wait(CT_ST_RUNNING) ||
		     ct_state_is_io_wait(CT_ST_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syscalls_name_the_reason),
		cmocka_unit_test(task_states_override_the_syscall),
		cmocka_unit_test(report_state_as_the_kernel),
		cmocka_unit_test(letters_as_ps_prints_them),
		cmocka_unit_test(reason_names_and_groups),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
