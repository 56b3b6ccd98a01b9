/* Backfills: plan a range of logical dates, then run it a few at a time. */

/*
 * A backfill is written in one transaction as a request plus one pending
 * item per logical date (the verb's part). The scheduler then starts items,
 * oldest first (newest with --reverse), keeping at most max_active of them
 * running: an item starts by creating its run, or by running an existing run
 * again. What to do with a date that already has a run is decided again at
 * that moment, so a run created meanwhile by the schedule is never doubled,
 * and a date whose run is active is never touched.
 */

#include <stdlib.h>
#include <string.h>

#include "backfill.h"
#include "runs.h"
#include "scheduler.h"
#include "cluster.h"

static int
backfill_is_active(const char *state)
{
	return (strcmp(state, "queued") == 0 ||
	    strcmp(state, "running") == 0);
}

/* What a backfill with this reprocess mode does to a date's run. */
enum backfill_action
backfill_decide(const struct run *r, const char *reprocess)
{
	if (r == NULL)
		return (BACKFILL_CREATE);
	if (backfill_is_active(r->state))
		return (BACKFILL_SKIP_ACTIVE);
	if (strcmp(reprocess, "all") == 0 ||
	    (strcmp(reprocess, "failed") == 0 &&
	    strcmp(r->state, "failed") == 0))
		return (BACKFILL_RERUN);
	return (BACKFILL_SKIP_EXISTS);
}

const char *
backfill_action_name(enum backfill_action a)
{
	switch (a) {
	case BACKFILL_CREATE:
		return ("create");
	case BACKFILL_RERUN:
		return ("rerun");
	case BACKFILL_SKIP_EXISTS:
		return ("skip: has a run");
	case BACKFILL_SKIP_ACTIVE:
		return ("skip: run is active");
	}
	return ("?");
}

/*
 * Every interval of dag whose logical date is in [from, to], with what the
 * backfill would do to each. 0, or -1 with a cause.
 */
int
backfill_plan(struct store *st, const struct dag *dag, int64_t from,
    int64_t to, const char *reprocess, struct backfill_plan *plan,
    char **cause)
{
	struct interval	 iv;
	struct run	*runs;
	size_t		 nruns, r = 0;
	int		 more;

	memset(plan, 0, sizeof *plan);
	if (schedule_kind(dag->schedule) == SCHEDULE_NONE) {
		xasprintf(cause, "dag '%s' has no schedule to backfill",
		    dag->id);
		return (-1);
	}
	if (store_run_range(st, dag->id, from, to, &runs, &nruns) != 0) {
		xasprintf(cause, "database: %s", store_error(st));
		return (-1);
	}
	for (more = timetable_first(dag, from, &iv);
	    more && iv.logical <= to; more = timetable_next(dag, &iv, &iv)) {
		if (plan->n % 1024 == 0) {
			plan->ivs = xreallocarray(plan->ivs, plan->n + 1024,
			    sizeof *plan->ivs);
			plan->actions = xreallocarray(plan->actions,
			    plan->n + 1024, sizeof *plan->actions);
		}
		while (r < nruns && runs[r].logical_date < iv.logical)
			r++;
		plan->ivs[plan->n] = iv;
		plan->actions[plan->n] = backfill_decide(r < nruns &&
		    runs[r].logical_date == iv.logical ? &runs[r] : NULL,
		    reprocess);
		if (plan->actions[plan->n] == BACKFILL_CREATE ||
		    plan->actions[plan->n] == BACKFILL_RERUN)
			plan->nrun++;
		plan->n++;
	}
	store_run_free_list(runs, nruns);
	return (0);
}

void
backfill_plan_free(struct backfill_plan *plan)
{
	free(plan->ivs);
	free(plan->actions);
	memset(plan, 0, sizeof *plan);
}

/* Start one item: create its run or run it again; or skip it. */
static void
backfill_start_item(struct store *st, const struct dag *dag,
    const struct backfill *bf, const struct backfill_item *item, int64_t now)
{
	struct interval	 iv;
	struct run	 r;
	int		 found, rc;

	found = store_run_at(st, dag->id, item->logical, &r);
	if (found < 0) {
		log_warnx("database: %s", store_error(st));
		return;
	}
	if (found && r.backfill == bf->id && backfill_is_active(r.state)) {
		/* Started just before a crash: it is ours already. */
		if (store_backfill_item_set(st, bf->id, item->logical,
		    "started", r.id) != 0)
			log_warnx("database: %s", store_error(st));
		store_run_clear(&r);
		return;
	}
	switch (backfill_decide(found ? &r : NULL, bf->reprocess)) {
	case BACKFILL_CREATE:
		iv.logical = item->logical;
		iv.start = item->start;
		iv.end = iv.due = item->end;
		rc = runs_create(st, dag, "backfill", &iv, now,
		    bf->id);
		if (rc == 0)
			rc = found = store_run_at(st, dag->id, item->logical,
			    &r);
		if (found == 1 && store_backfill_item_set(st, bf->id,
		    item->logical, "started", r.id) != 0)
			rc = -1;
		if (rc < 0)
			log_warnx("database: %s", store_error(st));
		found = found == 1;
		break;
	case BACKFILL_RERUN:
		if (store_run_rerun(st, &r, dag, bf->id, now) != 0 ||
		    store_backfill_item_set(st, bf->id, item->logical,
		    "started", r.id) != 0)
			log_warnx("database: %s", store_error(st));
		break;
	case BACKFILL_SKIP_EXISTS:
	case BACKFILL_SKIP_ACTIVE:
		if (store_backfill_item_set(st, bf->id, item->logical,
		    "skipped", 0) != 0)
			log_warnx("database: %s", store_error(st));
		break;
	}
	if (found)
		store_run_clear(&r);
}

/*
 * Stop what a cancelled backfill started: cancel the Slurm jobs of its
 * active runs and fail them, with the reason on each task.
 */
static void
backfill_stop_run(struct store *st, const struct backfill *bf, int64_t run,
    int64_t now)
{
	struct run	 r;
	struct ti	*tis;
	size_t		 n, i;
	char		*cause, *reason;

	if (store_ti_list(st, run, &tis, &n) != 0) {
		log_warnx("database: %s", store_error(st));
		return;
	}
	xasprintf(&reason, "backfill %lld cancelled", (long long)bf->id);
	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].state, "success") == 0 ||
		    strcmp(tis[i].state, "failed") == 0 ||
		    strcmp(tis[i].state, "upstream_failed") == 0 ||
		    strcmp(tis[i].state, "skipped") == 0)
			continue;
		if (tis[i].job_id != 0 && cluster_cancel(tis[i].job_id,
		    tis[i].array_index, &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
		}
		free(tis[i].state);
		tis[i].state = xstrdup("failed");
		free(tis[i].reason);
		tis[i].reason = xstrdup(reason);
		tis[i].end_date = now;
		if (store_ti_update(st, &tis[i]) != 0)
			log_warnx("database: %s", store_error(st));
	}
	memset(&r, 0, sizeof r);
	r.id = run;
	if (store_run_set_state(st, &r, "failed", now) != 0)
		log_warnx("database: %s", store_error(st));
	store_run_clear(&r);
	store_ti_free_list(tis, n);
	free(reason);
}

/*
 * One scheduler pass over one backfill: note the runs that ended, start
 * items while fewer than max_active run, finish the backfill when nothing is
 * left. Returns 1 when it still has work.
 */
int
backfill_advance(struct store *st, const struct dag *dag,
    const struct backfill *bf, int64_t now)
{
	struct backfill_item	*items;
	size_t			 n, i;
	char			*state;
	int			 active = 0, cancelled, arrays;

	cancelled = strcmp(bf->state, "cancelled") == 0;
	if (store_backfill_items(st, bf->id, "started", 0, 0, &items,
	    &n) != 0) {
		log_warnx("database: %s", store_error(st));
		return (1);
	}
	for (i = 0; i < n; i++) {
		if (store_run_state(st, items[i].run, &state) != 1)
			continue;
		if (backfill_is_active(state) && cancelled)
			backfill_stop_run(st, bf, items[i].run, now);
		if (backfill_is_active(state) && !cancelled)
			active++;
		else
			if (store_backfill_item_set(st, bf->id,
			    items[i].logical, "done", 0) != 0)
				log_warnx("database: %s", store_error(st));
		free(state);
	}
	store_backfill_free_items(items, n);
	if (cancelled) {
		/* The verb asked; its end date says the jobs are stopped. */
		if (store_backfill_set_state(st, bf->id, "cancelled", now) != 0)
			log_warnx("database: %s", store_error(st));
		return (0);
	}

	/*
	 * Runs that go as job arrays start together: the arrays' throttle
	 * keeps max_active (see scheduler_arrays).
	 */
	arrays = scheduler_array_dag(dag, bf->max_active);
	if (arrays || active < bf->max_active) {
		if (store_backfill_items(st, bf->id, "pending", bf->reverse,
		    arrays ? 0 : bf->max_active - active,
		    &items, &n) != 0) {
			log_warnx("database: %s", store_error(st));
			return (1);
		}
		for (i = 0; i < n; i++)
			backfill_start_item(st, dag, bf, &items[i], now);
		store_backfill_free_items(items, n);
		if (n > 0)
			return (1);
	}
	if (active == 0) {
		if (store_backfill_set_state(st, bf->id, "done", now) != 0)
			log_warnx("database: %s", store_error(st));
		log_info("dag '%s': backfill %lld done", dag->id,
		    (long long)bf->id);
		return (0);
	}
	return (1);
}
