#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "handoff.h"
#include "outfile.h"

#define BUFFERS 3	/* one filling, one being written, one ready */

struct ct_outfile {
	FILE *f;
	struct ct_handoff *bufs;	/* slots of struct ct_buf */
	pthread_t thread;
	atomic_int err;
};

static void *write_bufs(void *arg)
{
	struct ct_outfile *o = arg;
	struct ct_buf *b;

	while ((b = ct_handoff_take(o->bufs))) {
		ct_buf_flush(b, o->f);	/* empties it, keeping its memory for the caller */
		if (b->err) {
			int none = 0;

			atomic_compare_exchange_strong(&o->err, &none, b->err);
			b->err = 0;
			ct_handoff_release(o->bufs);
			ct_handoff_cancel(o->bufs);	/* nothing after a hole in the file */
			break;
		}
		ct_handoff_release(o->bufs);
	}
	return NULL;
}

struct ct_outfile *ct_outfile_start(FILE *f)
{
	struct ct_outfile *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->f = f;
	if (!(o->bufs = ct_handoff_new(BUFFERS, sizeof(struct ct_buf)))) {	/* zeroed: empty buffers */
		free(o);
		return NULL;
	}
	if (pthread_create(&o->thread, NULL, write_bufs, o)) {
		ct_handoff_free(o->bufs);
		free(o);
		return NULL;
	}
	return o;
}

void ct_outfile_put(struct ct_outfile *o, struct ct_buf *b)
{
	struct ct_buf *slot = ct_handoff_slot(o->bufs);

	if (!slot) {		/* a write failed: what follows is dropped */
		b->len = 0;
		return;
	}
	struct ct_buf full = *b;

	*b = *slot;		/* an emptied buffer, with the memory it had */
	*slot = full;
	ct_handoff_publish(o->bufs);
}

int ct_outfile_error(struct ct_outfile *o)
{
	return atomic_load_explicit(&o->err, memory_order_relaxed);
}

int ct_outfile_finish(struct ct_outfile *o)
{
	int err;

	ct_handoff_close(o->bufs);
	pthread_join(o->thread, NULL);
	err = ct_outfile_error(o);
	for (unsigned i = 0; i < BUFFERS; i++)	/* each slot holds a buffer, written or not */
		ct_buf_free(ct_handoff_at(o->bufs, i));
	ct_handoff_free(o->bufs);
	free(o);
	return err;
}
