/* What a person does to runs by hand: clear tasks, mark them, cancel a run. */

/*
 * Each change is one transaction on the database; the Slurm jobs of task
 * instances it takes away from the scheduler are cancelled after it
 * commits. A job cancelled that way may still report back: the scheduler
 * only listens to the job its task instance records, so it is ignored.
 */

#include <stdlib.h>
#include <string.h>

#include "intervene.h"
#include "cluster.h"
#include "state.h"

static void
intervene_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

/* Take a try's job, or its element of a job array, from the scheduler. */
static void
intervene_add_job(struct intervene *iv, const struct ti *ti)
{
	if (ti->job_id == 0)
		return;
	iv->jobs = xreallocarray(iv->jobs, iv->njobs + 1, sizeof *iv->jobs);
	iv->indexes = xreallocarray(iv->indexes, iv->njobs + 1,
	    sizeof *iv->indexes);
	iv->indexes[iv->njobs] = ti->array_index;
	iv->jobs[iv->njobs++] = ti->job_id;
}

static int
intervene_index(const struct dag *dag, const char *task_id)
{
	size_t	i;

	for (i = 0; i < dag->ntasks; i++) {
		if (strcmp(dag->tasks[i].id, task_id) == 0)
			return ((int)i);
	}
	return (-1);
}

/* Add to chosen every task reachable from those chosen, down or up. */
static void
intervene_close(const struct dag *dag, int *chosen, int down)
{
	size_t	i, j;
	int	changed, up;

	do {
		changed = 0;
		for (i = 0; i < dag->ntasks; i++) {
			for (j = 0; j < dag->tasks[i].nafter; j++) {
				up = intervene_index(dag,
				    dag->tasks[i].after[j]);
				if (up < 0)
					continue;
				if (down && chosen[up] && !chosen[i])
					chosen[i] = changed = 1;
				if (!down && chosen[i] && !chosen[up])
					chosen[up] = changed = 1;
			}
		}
	} while (changed);
}

/*
 * Clear task instances of a run so that they run again: those named (all
 * when none are), with their downstream or upstream tasks if asked, only
 * the failed ones with INTERVENE_FAILED_ONLY. Try numbers go on, with the
 * task's retries on top. A finished run goes back to queued, and the run
 * records who cleared it (who, at now). 0, or -1 with a cause.
 */
int
intervene_clear(struct store *st, const struct dag *dag, struct run *r,
    char **tasks, size_t ntasks, int flags, const char *who, int64_t now,
    struct intervene *iv, char **cause)
{
	struct ti		*tis;
	const struct task	*task;
	size_t			 n, i;
	int			*chosen, k, before = iv->count;

	chosen = xcalloc(dag->ntasks + 1, sizeof *chosen);
	for (i = 0; i < ntasks; i++) {
		if ((k = intervene_index(dag, tasks[i])) < 0) {
			xasprintf(cause, "dag '%s' has no task '%s'", dag->id,
			    tasks[i]);
			free(chosen);
			return (-1);
		}
		chosen[k] = 1;
	}
	if (ntasks == 0) {
		for (i = 0; i < dag->ntasks; i++)
			chosen[i] = 1;
	}
	if (flags & INTERVENE_DOWNSTREAM)
		intervene_close(dag, chosen, 1);
	if (flags & INTERVENE_UPSTREAM)
		intervene_close(dag, chosen, 0);

	if (store_begin(st) != 0)
		goto fail;
	if (store_ti_list(st, r->id, &tis, &n) != 0) {
		store_rollback(st);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if ((k = intervene_index(dag, tis[i].task_id)) < 0 ||
		    !chosen[k])
			continue;
		if ((flags & INTERVENE_FAILED_ONLY) &&
		    !state_is_failed(tis[i].state))
			continue;
		if (strcmp(tis[i].state, "none") == 0)
			continue;
		if (state_is_active(tis[i].state))
			intervene_add_job(iv, &tis[i]);
		task = &dag->tasks[k];
		intervene_set(&tis[i].state, "none");
		intervene_set(&tis[i].reason, NULL);
		intervene_set(&tis[i].node, NULL);
		tis[i].max_tries = tis[i].try_number + task->retries + 1;
		tis[i].has_exit_code = 0;
		tis[i].job_id = 0;
		intervene_set(&tis[i].array_name, NULL);
		tis[i].array_index = -1;
		tis[i].element_job_id = 0;
		tis[i].queued_at = tis[i].start_date = tis[i].end_date = 0;
		tis[i].next_try_at = 0;
		if (store_ti_update(st, &tis[i]) != 0) {
			store_ti_free_list(tis, n);
			store_rollback(st);
			goto fail;
		}
		iv->count++;
	}
	store_ti_free_list(tis, n);
	if (iv->count > before && ((strcmp(r->state, "running") != 0 &&
	    store_run_set_state(st, r, "queued", 0) != 0) ||
	    store_run_set_cleared(st, r->id, who, now) != 0)) {
		store_rollback(st);
		goto fail;
	}
	if (store_commit(st) != 0)
		goto fail;
	free(chosen);
	return (0);

fail:
	xasprintf(cause, "database: %s", store_error(st));
	free(chosen);
	return (-1);
}

/*
 * Mark one task instance success, failed or skipped by hand; a job it had
 * in Slurm is cancelled. A finished run is opened again, for the scheduler
 * to settle its state (and run what now can). 0, or -1 with a cause.
 */
int
intervene_mark(struct store *st, struct run *r, const char *task_id,
    const char *state, const char *who, int64_t now, struct intervene *iv,
    char **cause)
{
	struct ti	*tis, *ti = NULL;
	size_t		 n, i;
	char		*reason;

	if (store_begin(st) != 0)
		goto fail;
	if (store_ti_list(st, r->id, &tis, &n) != 0) {
		store_rollback(st);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].task_id, task_id) == 0)
			ti = &tis[i];
	}
	if (ti == NULL) {
		store_ti_free_list(tis, n);
		store_rollback(st);
		xasprintf(cause, "cannot find task '%s' in run '%s'", task_id,
		    r->run_id);
		return (-1);
	}
	if (state_is_active(ti->state))
		intervene_add_job(iv, ti);
	xasprintf(&reason, "marked %s by %s", state, who);
	intervene_set(&ti->state, state);
	intervene_set(&ti->reason, reason);
	free(reason);
	ti->end_date = now;
	if (store_ti_update(st, ti) != 0 ||
	    (state_is_terminal(r->state) &&
	    store_run_set_state(st, r, "running", now) != 0)) {
		store_ti_free_list(tis, n);
		store_rollback(st);
		goto fail;
	}
	iv->count = 1;
	store_ti_free_list(tis, n);
	if (store_commit(st) != 0)
		goto fail;
	return (0);

fail:
	xasprintf(cause, "database: %s", store_error(st));
	return (-1);
}

/*
 * Cancel a queued or running run: its active task instances fail with the
 * reason, those that never started are skipped, and the run fails.
 */
int
intervene_cancel_run(struct store *st, struct run *r, const char *who,
    int64_t now, struct intervene *iv, char **cause)
{
	struct ti	*tis;
	size_t		 n, i;
	char		*reason;

	if (state_is_terminal(r->state)) {
		xasprintf(cause, "run '%s' is %s already", r->run_id,
		    r->state);
		return (-1);
	}
	if (store_begin(st) != 0)
		goto fail;
	if (store_ti_list(st, r->id, &tis, &n) != 0) {
		store_rollback(st);
		goto fail;
	}
	xasprintf(&reason, "cancelled by %s", who);
	for (i = 0; i < n; i++) {
		if (state_is_terminal(tis[i].state))
			continue;
		if (state_is_active(tis[i].state)) {
			intervene_add_job(iv, &tis[i]);
			intervene_set(&tis[i].state, "failed");
		} else
			intervene_set(&tis[i].state, "skipped");
		intervene_set(&tis[i].reason, reason);
		tis[i].end_date = now;
		if (store_ti_update(st, &tis[i]) != 0) {
			free(reason);
			store_ti_free_list(tis, n);
			store_rollback(st);
			goto fail;
		}
		iv->count++;
	}
	free(reason);
	store_ti_free_list(tis, n);
	if (store_run_set_state(st, r, "failed", now) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		goto fail;
	}
	return (0);

fail:
	xasprintf(cause, "database: %s", store_error(st));
	return (-1);
}

/*
 * Cancel the Slurm jobs an intervention took away; each failure is added
 * to *warnings (one line each, allocated). The number cancelled.
 */
int
intervene_cancel_jobs(struct intervene *iv, char **warnings)
{
	char	*cause, *joined;
	size_t	 i;
	int	 done = 0;

	*warnings = NULL;
	for (i = 0; i < iv->njobs; i++) {
		if (cluster_cancel(iv->jobs[i], iv->indexes[i], &cause) == 0) {
			done++;
			continue;
		}
		if (*warnings == NULL)
			*warnings = cause;
		else {
			xasprintf(&joined, "%s\n%s", *warnings, cause);
			free(*warnings);
			free(cause);
			*warnings = joined;
		}
	}
	return (done);
}

void
intervene_free(struct intervene *iv)
{
	free(iv->jobs);
	free(iv->indexes);
	memset(iv, 0, sizeof *iv);
}
