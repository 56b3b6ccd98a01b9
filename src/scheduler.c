/* One scheduler pass: create due runs, poll Slurm, submit ready tasks. */

/*
 * The clock model. A schedule cuts time into data intervals [t_i, t_i+1);
 * the run for an interval is due at its end and its logical date is its
 * start (Airflow 2). dag.next_dagrun holds the logical date of the next run
 * the schedule will create, so a pass never walks a DAG's history. Wall
 * clock time ("now") is read once per pass by the caller and passed down:
 * nothing below reads the clock itself.
 */

#include <errno.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acct.h"
#include "backfill.h"
#include "dagbag.h"
#include "dagversion.h"
#include "ingest.h"
#include "jobscript.h"
#include "notify.h"
#include "runs.h"
#include "safefile.h"
#include "submit.h"
#include "scheduler.h"
#include "cluster.h"
#include "state.h"
#include "units.h"
#include "validate.h"

static int
scheduler_cmp_sd(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct store_dag *)elem)->dag_id));
}

/* The DAG's row as this pass read it, or NULL. */
static struct store_dag *
scheduler_sd(struct pass *p, const char *dag_id)
{
	if (p->ndags == 0)
		return (NULL);
	return (bsearch(dag_id, p->dags, p->ndags, sizeof *p->dags,
	    scheduler_cmp_sd));
}

static void
scheduler_wake_at(struct pass *p, int64_t t)
{
	if (t > p->now && (p->wake == 0 || t < p->wake))
		p->wake = t;
}

/*
 * A catch-up of more than max_catchup_runs runs at once (a start_date far
 * back, a scheduler stopped for long) creates none: it pauses the DAG with
 * the reason, tells who hears dag_paused, and moves the DAG's next run to
 * the latest interval, so that unpausing it goes on from now and the
 * skipped ones are left to `updraft backfill`. 1 when it did, else 0. The
 * count stops at the bound: a pass never walks more than that.
 */
static int
scheduler_catchup_bound(struct pass *p, const struct dag *dag,
    const struct interval *first)
{
	struct interval	 iv = *first, last;
	char		 from[40], to[40], *reason, *q;
	int		 most, n = 0;

	most = dag->max_catchup_runs > 0 ? dag->max_catchup_runs :
	    p->cfg->max_catchup_runs;
	if (most <= 0)
		return (0);
	while (iv.due <= p->now && n <= most) {
		last = iv;
		n++;
		if (!timetable_next(dag, &iv, &iv))
			break;
	}
	if (n <= most)
		return (0);
	if (!timetable_latest(dag, last.logical, p->now, &last))
		return (0);
	tz_format(NULL, first->logical, from, sizeof from);
	tz_format(NULL, last.logical, to, sizeof to);
	q = notify_quote(dag->id);
	xasprintf(&reason, "catch-up of more than %d runs (max_catchup_runs), "
	    "from %s to %s: none created; run them with 'updraft backfill "
	    "%s --from %s --to %s', then 'updraft unpause %s'", most, from, to,
	    q, from, to, q);
	free(q);
	if (store_dag_pause(p->st, dag->id, reason) != 0 ||
	    store_dag_set_next(p->st, dag->id, last.logical) != 0)
		log_warnx("database: %s", store_error(p->st));
	else {
		log_warnx("dag '%s': paused: %s", dag->id, reason);
		notify_dag_paused(p->st, p->cfg, dag, reason, p->now);
	}
	free(reason);
	return (1);
}

/* Create every run that is due, as the DAG's catch-up says; how many. */
static int
scheduler_create_due_runs(struct pass *p, const struct dag *dag,
    const struct store_dag *sd)
{
	struct interval	iv, latest;
	int64_t		cursor;
	int		created = 0, rc;

	if (sd->has_next && sd->next_dagrun == INT64_MAX)
		return (0);	/* the schedule has no more intervals */
	if (!timetable_first(dag, sd->has_next ? sd->next_dagrun :
	    dag->start_date, &iv))
		return (0);
	if (!dag->catchup &&
	    timetable_latest(dag, iv.logical, p->now, &latest) &&
	    latest.logical > iv.logical)
		iv = latest;
	if (scheduler_catchup_bound(p, dag, &iv) != 0)
		return (0);

	for (;;) {
		if (iv.due > p->now) {
			scheduler_wake_at(p, iv.due);
			cursor = iv.logical;
			break;
		}
		if ((rc = runs_create(p->st, dag, "scheduled", &iv,
		    p->now, 0)) == 0)
			created++;
		else if (rc < 0)
			log_warnx("database: %s", store_error(p->st));
		if (!timetable_next(dag, &iv, &iv)) {
			cursor = INT64_MAX;
			break;
		}
	}
	if (!sd->has_next || cursor != sd->next_dagrun)
		if (store_dag_set_next(p->st, dag->id, cursor) != 0)
			log_warnx("database: %s", store_error(p->st));
	if (created > 0)
		log_info("dag '%s': created %d run%s", dag->id, created,
		    created == 1 ? "" : "s");
	return (created);
}

/* Start queued runs, oldest first, up to max_active_runs. */
static void
scheduler_start_runs(struct pass *p, const struct dag *dag)
{
	struct run	*queued;
	size_t		 n, i;
	int		 running, most;

	running = store_run_count(p->st, dag->id, "running", 1);
	if (running < 0 ||
	    store_run_list(p->st, dag->id, "queued", &queued, &n) != 0) {
		log_warnx("database: %s", store_error(p->st));
		return;
	}
	/*
	 * A catch-up of runs that can go as job arrays starts them all at
	 * once: the arrays' %K throttle keeps max_active_runs.
	 */
	most = dag->max_active_runs;
	if (n >= 2 && scheduler_array_dag(dag, dag->max_active_runs))
		most = running + (int)n;
	for (i = 0; i < n && running < most; i++) {
		/* Not started yet: it runs the newest version. */
		if (queued[i].version != NULL &&
		    strcmp(queued[i].version, dag->version) != 0 &&
		    store_run_take_version(p->st, &queued[i], dag) != 0) {
			log_warnx("database: %s", store_error(p->st));
			continue;
		}
		if (store_run_set_state(p->st, &queued[i], "running",
		    p->now) == 0)
			running++;
		else
			log_warnx("database: %s", store_error(p->st));
	}
	store_run_free_list(queued, n);
}

static struct cluster_job *
scheduler_job_by_id(struct pass *p, int64_t job_id)
{
	size_t	i;

	for (i = 0; i < p->njobs; i++) {
		if (p->jobs[i].job_id == job_id)
			return (&p->jobs[i]);
	}
	return (NULL);
}

/*
 * The job of this name; a live one before one that ended (a try whose
 * node failed was submitted again under the same name).
 */
static struct cluster_job *
scheduler_job_by_name(struct pass *p, const char *name)
{
	struct cluster_job	*found = NULL;
	size_t			 i;

	for (i = 0; i < p->njobs; i++) {
		if (strcmp(p->jobs[i].name, name) != 0)
			continue;
		if (p->jobs[i].phase != CLUSTER_DONE)
			return (&p->jobs[i]);
		found = &p->jobs[i];
	}
	return (found);
}

/*
 * The job of a try: its own, or its element of a job array (a record of
 * its own once started, else the array's pending rest).
 */
static struct cluster_job *
scheduler_job_of(struct pass *p, const struct ti *ti)
{
	size_t	i;

	if (ti->array_index < 0)
		return (scheduler_job_by_id(p, ti->job_id));
	for (i = 0; i < p->njobs; i++) {
		if (p->jobs[i].array_job_id == ti->job_id &&
		    p->jobs[i].array_task_id == ti->array_index)
			return (&p->jobs[i]);
	}
	for (i = 0; i < p->njobs; i++) {
		if (p->jobs[i].array_job_id == ti->job_id &&
		    p->jobs[i].array_tasks != NULL &&
		    cluster_array_has(p->jobs[i].array_tasks, ti->array_index))
			return (&p->jobs[i]);
	}
	return (NULL);
}

/*
 * How a try ended, from its marker file: 1 with the status, or 0. Only a
 * regular file of our own uid counts (not a symbolic link, not root's):
 * anyone else could otherwise claim that our job succeeded. The wrapper
 * writes its job id on a second line: a marker of another job of the same
 * try (one whose node failed, submitted again) is not this job's.
 */
static int
scheduler_read_marker(const struct config *cfg, const struct run *r,
    const struct ti *ti, int *status)
{
	FILE		*f;
	char		*path, *cause;
	long long	 job_id;
	int		 ok;

	path = submit_marker_path(cfg, r, ti);
	if ((f = safefile_fopen(path, SAFEFILE_MINE, 4096, &cause)) == NULL) {
		if (errno != ENOENT)
			log_warnx("%s: ignoring marker '%s': %s", ti->task_id,
			    path, cause);
		free(cause);
		free(path);
		return (0);
	}
	free(path);
	ok = fscanf(f, "%d", status) == 1;
	if (ok && fscanf(f, "%lld", &job_id) == 1 && ti->job_id != 0 &&
	    job_id != ti->job_id)
		ok = 0;
	fclose(f);
	return (ok);
}

/*
 * How long to wait before the next try after try number n failed: the
 * task's retry_delay; with retry_exponential_backoff doubled for each
 * further try, never more than max_retry_delay (default a day).
 */
static long
scheduler_retry_delay(const struct task *task, int n)
{
	long	delay, most;

	if (task == NULL)
		return (0);
	delay = task->retry_delay;
	if (!task->retry_backoff)
		return (delay);
	most = task->max_retry_delay > 0 ? task->max_retry_delay : 86400;
	while (--n > 0 && delay < most)
		delay *= 2;
	return (delay < most ? delay : most);
}

/* A try is over: success, a retry later, or failed for good. */
static void
scheduler_finish_try(struct pass *p, const struct task *task, struct ti *ti,
    int success, const char *reason)
{
	char	*failed;

	ti->end_date = ti->end_date ? ti->end_date : p->now;
	failed = ingest_try(p, task, ti, success);
	if (success && failed == NULL) {
		submit_set(&ti->state, "success");
		/* A node failure or requeue on the way stays in sight. */
		if (!submit_fault_note(ti->reason))
			submit_set(&ti->reason, NULL);
		return;
	}
	if (failed != NULL) {
		log_warnx("%s: %s", ti->task_id, failed);
		reason = failed;
	}
	submit_set(&ti->reason, reason);
	if (ti->try_number < ti->max_tries) {
		submit_set(&ti->state, "up_for_retry");
		ti->next_try_at = p->now + scheduler_retry_delay(task,
		    ti->try_number);
		scheduler_wake_at(p, ti->next_try_at);
		log_info("%s: try %d failed (%s), retry at try %d",
		    ti->task_id, ti->try_number, reason, ti->try_number + 1);
	} else {
		submit_set(&ti->state, "failed");
		log_info("%s: failed: %s", ti->task_id, reason);
	}
	free(failed);
}

/* A person's reading of why a finished job did not succeed. */
static char *
scheduler_job_reason(const struct cluster_job *j)
{
	char	*reason, limit[32];

	if (strcmp(j->state, "FAILED") == 0 && j->has_exit_code)
		xasprintf(&reason, "exit code %d", j->exit_code);
	else if (strcmp(j->state, "OUT_OF_MEMORY") == 0)
		xasprintf(&reason, "OUT_OF_MEMORY on node %s: the job used "
		    "more memory than it asked for", j->node != NULL &&
		    *j->node != '\0' ? j->node : "?");
	else if (strcmp(j->state, "TIMEOUT") == 0 && j->time_limit > 0) {
		units_format_time_limit(j->time_limit, limit, sizeof limit);
		xasprintf(&reason, "TIMEOUT after %s", limit);
	} else if (j->node != NULL && *j->node != '\0')
		xasprintf(&reason, "Slurm: %s on node %s", j->state, j->node);
	else
		xasprintf(&reason, "Slurm: %s", j->state);
	return (reason);
}

/*
 * A job Slurm has forgotten and that left no marker: its end as accounting
 * recorded it, where the cluster keeps accounting; else it is lost.
 */
static void
scheduler_finish_acct(struct pass *p, const struct task *task, struct ti *ti)
{
	struct cluster_acct_job	 aj;
	struct cluster_job	 j;
	char			*reason;

	if (!acct_final(p, ti, &aj)) {
		scheduler_finish_try(p, task, ti, 0,
		    "lost: no record in Slurm or on disk");
		return;
	}
	log_info("%s: job %lld ended %s, from accounting", ti->task_id,
	    (long long)ti->job_id, aj.state);
	memset(&j, 0, sizeof j);
	j.state = aj.state;
	j.has_exit_code = aj.has_exit_code;
	j.exit_code = aj.exit_code;
	j.node = aj.nodes;
	if (aj.nodes != NULL && *aj.nodes != '\0')
		submit_set(&ti->node, aj.nodes);
	if (aj.start != 0)
		ti->start_date = aj.start;
	ti->end_date = aj.end;
	ti->has_exit_code = aj.has_exit_code;
	ti->exit_code = aj.exit_code;
	if (aj.success)
		reason = NULL;
	else if ((reason = acct_cancelled_by(&aj)) == NULL)
		reason = scheduler_job_reason(&j);
	scheduler_finish_try(p, task, ti, aj.success, reason);
	free(reason);
	cluster_acct_jobs_clear(&aj, 1);
}

/*
 * A job that ended without its task's fault: its node failed (NODE_FAIL,
 * unless the task sets node_fail_uses_try) or it was preempted and not
 * requeued. The same try goes to Slurm again at once: the try number is
 * taken back, and the marker and results of the job that died are
 * removed, so that they cannot pass for the new job's. 1 if so.
 */
static int
scheduler_node_failed(struct pass *p, const struct run *r,
    const struct task *task, struct ti *ti, const struct cluster_job *j)
{
	static const char	*results[] = { "metrics", "outputs", "sha256" };
	char			*reason, *marker, *path;
	size_t			 i;

	if (task == NULL || (strcmp(j->state, "PREEMPTED") != 0 &&
	    (strcmp(j->state, "NODE_FAIL") != 0 || task->node_fail_uses_try)))
		return (0);
	xasprintf(&reason, "%s on node %s (job %lld): submitted again as "
	    "the same try", j->state, j->node != NULL && *j->node != '\0' ?
	    j->node : "?", (long long)j->job_id);
	log_info("%s %s: try %d: %s", r->run_id, ti->task_id, ti->try_number,
	    reason);
	marker = submit_marker_path(p->cfg, r, ti);
	for (i = 0; i < sizeof results / sizeof results[0]; i++) {
		if ((path = jobscript_results_path(marker, results[i])) != NULL)
			unlink(path);
		free(path);
	}
	unlink(marker);
	free(marker);
	ti->try_number--;
	submit_set(&ti->state, "up_for_retry");
	submit_set(&ti->reason, reason);
	free(reason);
	ti->next_try_at = p->now;
	ti->has_exit_code = 0;
	ti->start_date = ti->end_date = 0;
	scheduler_wake_at(p, p->now);
	return (1);
}

/*
 * A job cancelled by someone else (scancel, an administrator): the task
 * fails without a retry, since a person meant it to stop. Slurm's job
 * records do not say who (only accounting does).
 */
static void
scheduler_cancelled(struct pass *p, const struct task *task, struct ti *ti)
{
	free(ingest_try(p, task, ti, 0));
	ti->end_date = ti->end_date ? ti->end_date : p->now;
	submit_set(&ti->state, "failed");
	submit_set(&ti->reason, "cancelled outside Updraft");
	log_info("%s: failed: cancelled outside Updraft", ti->task_id);
}

/*
 * What a job in Slurm's queue waits for, in its task's reason: a hold
 * that a person must lift (a partition or node down or drained), or that
 * Slurm took it back (scontrol requeue, preemption, a node failure). A
 * note of a node failure stays until the task ends.
 */
static void
scheduler_note_wait(struct ti *ti, const struct cluster_job *j)
{
	char	*note = NULL;

	if (j->phase == CLUSTER_PENDING && j->wait_reason != NULL)
		xasprintf(&note, "waiting in Slurm: %s", j->wait_reason);
	else if (j->restarts > 0) {
		xasprintf(&note, "requeued by Slurm (job %lld, restart %d)",
		    (long long)j->job_id, j->restarts);
		/* Slurm forgets the preemption once the job runs again. */
		if (j->preempted || (ti->reason != NULL &&
		    strncmp(ti->reason, "preempted, ", 11) == 0 &&
		    strcmp(ti->reason + 11, note) == 0)) {
			free(note);
			xasprintf(&note, "preempted, requeued by Slurm "
			    "(job %lld, restart %d)", (long long)j->job_id,
			    j->restarts);
		}
	}
	if (note == NULL) {
		if (ti->reason != NULL &&
		    strncmp(ti->reason, "waiting in Slurm: ", 18) == 0)
			submit_set(&ti->reason, NULL);
		return;
	}
	if (ti->reason == NULL || strcmp(ti->reason, note) != 0)
		submit_set(&ti->reason, note);
	free(note);
}

/* A try whose wrapper wrote its exit status in its marker: it is over. */
static void
scheduler_finish_marker(struct pass *p, const struct task *task,
    struct ti *ti, int status)
{
	char	*reason;

	ti->has_exit_code = 1;
	ti->exit_code = status;
	xasprintf(&reason, "exit code %d", status);
	scheduler_finish_try(p, task, ti, status == 0, reason);
	free(reason);
}

/*
 * A try recorded 'scheduled' was submitted, or not, just before a crash or
 * a Slurm that did not answer: adopt its job (or its array's) by name, or
 * end it by its marker. 1 when there is nothing more to poll (it ended, or
 * stays 'scheduled' to be submitted), else 0.
 */
static int
scheduler_adopt(struct pass *p, const struct run *r, const struct task *task,
    struct ti *ti)
{
	struct cluster_job	*j;
	char			*name;
	int			 status;

	name = jobscript_job_name(p->cfg, r->dag_id, ti->task_id,
	    r->logical_date, ti->try_number);
	j = scheduler_job_by_name(p, ti->array_name != NULL ?
	    ti->array_name : name);
	free(name);
	if (j != NULL && ti->array_name != NULL) {
		/* Its element of the array: the array's job id. */
		log_info("%s: adopting element %d of array job %lld",
		    ti->task_id, ti->array_index, (long long)(
		    j->array_job_id != 0 ? j->array_job_id : j->job_id));
		ti->job_id = j->array_job_id != 0 ? j->array_job_id :
		    j->job_id;
		ti->queued_at = p->now;
		submit_set(&ti->state, "queued");
		j = NULL;
	}
	if (j == NULL && scheduler_read_marker(p->cfg, r, ti, &status)) {
		/* It ran, and Slurm has forgotten it already. */
		scheduler_finish_marker(p, task, ti, status);
		return (1);
	}
	if (j == NULL)
		return (strcmp(ti->state, "scheduled") == 0);
	log_info("%s: adopting job %lld", ti->task_id, (long long)j->job_id);
	ti->job_id = j->job_id;
	ti->queued_at = p->now;
	submit_set(&ti->state, "queued");
	return (0);
}

/* Bring one task instance up to date with what Slurm says of its job. */
static void
scheduler_poll_ti(struct pass *p, const struct run *r,
    const struct task *task, struct ti *ti)
{
	struct cluster_job	*j;
	char			*reason;
	int			 status;

	if (!p->slurm_ok) {
		/*
		 * Slurm does not answer, but a job whose wrapper wrote its
		 * exit status is over all the same: downstream tasks can be
		 * ready the moment the controller is back.
		 */
		if ((strcmp(ti->state, "queued") == 0 ||
		    strcmp(ti->state, "running") == 0) &&
		    scheduler_read_marker(p->cfg, r, ti, &status))
			scheduler_finish_marker(p, task, ti, status);
		return;
	}
	if (strcmp(ti->state, "scheduled") == 0 &&
	    scheduler_adopt(p, r, task, ti))
		return;
	if (strcmp(ti->state, "queued") != 0 &&
	    strcmp(ti->state, "running") != 0)
		return;

	j = scheduler_job_of(p, ti);
	/* An element that started has a job id of its own: what ran. */
	if (j != NULL && ti->array_index >= 0 &&
	    j->array_task_id == ti->array_index)
		ti->element_job_id = j->job_id;
	if (j != NULL && j->phase == CLUSTER_DONE)
		;	/* Slurm's word has the reason (TIMEOUT, OOM...) */
	else if (j != NULL && (j->phase == CLUSTER_PENDING || j->restarts > 0))
		;	/* requeued: a marker is of the run Slurm took back */
	else if (scheduler_read_marker(p->cfg, r, ti, &status)) {
		/*
		 * The payload is over and the wrapper said how: no need to
		 * wait for Slurm to finish the job (or to remember it).
		 */
		if (j != NULL && j->node != NULL && *j->node != '\0')
			submit_set(&ti->node, j->node);
		if (j != NULL && j->partition != NULL)
			submit_set(&ti->partition, j->partition);
		if (j != NULL && j->start != 0)
			ti->start_date = j->start;
		scheduler_finish_marker(p, task, ti, status);
		return;
	} else if (j == NULL) {
		/* Slurm has forgotten the job (MinJobAge), and no marker. */
		scheduler_finish_acct(p, task, ti);
		return;
	}
	if (j->partition != NULL)
		submit_set(&ti->partition, j->partition);
	if (j->node != NULL && *j->node != '\0')
		submit_set(&ti->node, j->node);
	if (j->start != 0)
		ti->start_date = j->start;
	switch (j->phase) {
	case CLUSTER_PENDING:
		/* Requeued: it waits again, as the same try. */
		submit_set(&ti->state, "queued");
		scheduler_note_wait(ti, j);
		break;
	case CLUSTER_RUNNING:
		submit_set(&ti->state, "running");
		scheduler_note_wait(ti, j);
		break;
	case CLUSTER_DONE:
		if (scheduler_node_failed(p, r, task, ti, j))
			break;
		ti->end_date = j->end;
		ti->has_exit_code = j->has_exit_code;
		ti->exit_code = j->exit_code;
		if (strcmp(j->state, "CANCELLED") == 0) {
			scheduler_cancelled(p, task, ti);
			break;
		}
		reason = j->success ? NULL : scheduler_job_reason(j);
		scheduler_finish_try(p, task, ti, j->success, reason);
		free(reason);
		break;
	}
}

/*
 * What a waiting task does under its trigger rule; for a skip or an
 * upstream failure, *which names an upstream task that decided it.
 */
static enum trigger_decision
scheduler_upstream(const struct task *task, struct ti *tis, size_t n,
    const char **which)
{
	struct trigger_counts	 c;
	struct ti		*up;
	enum trigger_decision	 d;
	size_t			 i;

	memset(&c, 0, sizeof c);
	*which = NULL;
	for (i = 0; i < task->nafter; i++) {
		up = submit_find_ti(tis, n, task->after[i]);
		if (up == NULL || strcmp(up->state, "removed") == 0)
			continue;
		c.total++;
		if (strcmp(up->state, "success") == 0)
			c.success++;
		else if (strcmp(up->state, "skipped") == 0)
			c.skipped++;
		else if (strcmp(up->state, "failed") == 0 ||
		    strcmp(up->state, "upstream_failed") == 0)
			c.failed++;
		else
			continue;
		c.done++;
	}
	d = trigger_decide(task->trigger_rule, &c);
	/* Name the first upstream task in a state that explains it. */
	for (i = 0; i < task->nafter && *which == NULL; i++) {
		up = submit_find_ti(tis, n, task->after[i]);
		if (up == NULL)
			continue;
		if ((d == TRIGGER_UPSTREAM_FAILED &&
		    (strcmp(up->state, "failed") == 0 ||
		    strcmp(up->state, "upstream_failed") == 0)) ||
		    (d == TRIGGER_SKIP && strcmp(up->state, "success") != 0 &&
		    strcmp(up->state, "failed") != 0 &&
		    strcmp(up->state, "upstream_failed") != 0) ||
		    (d == TRIGGER_SKIP && task->trigger_rule ==
		    TRIGGER_ALL_FAILED))
			*which = up->task_id;
	}
	if (*which == NULL && task->nafter > 0)
		*which = task->after[0];
	return (d);
}

/* A waiting task that will not run: upstream_failed or skipped, and why. */
static void
scheduler_not_run(struct pass *p, const struct task *task, struct ti *ti,
    enum trigger_decision d, const char *which)
{
	char	*reason;

	if (d == TRIGGER_UPSTREAM_FAILED) {
		submit_set(&ti->state, "upstream_failed");
		xasprintf(&reason, "upstream '%s' failed", which);
	} else {
		submit_set(&ti->state, "skipped");
		if (task->trigger_rule == TRIGGER_ALL_SUCCESS)
			xasprintf(&reason, "upstream '%s' skipped", which);
		else
			xasprintf(&reason, "trigger rule %s not met "
			    "(upstream '%s')",
			    trigger_rule_name(task->trigger_rule), which);
	}
	submit_set(&ti->reason, reason);
	free(reason);
	ti->end_date = p->now;
	if (store_ti_update(p->st, ti) != 0)
		log_warnx("database: %s", store_error(p->st));
}

/*
 * With depends_on_past, a task waits until the same task of the previous
 * logical date succeeded or was skipped (a first run, or a run before the
 * task existed, does not wait).
 */
static int
scheduler_past_done(struct pass *p, const struct run *r,
    const struct task *task)
{
	char	*state;
	int	 found, done;

	if (!task->depends_on_past)
		return (1);
	found = store_ti_previous(p->st, r->dag_id, r->logical_date, task->id,
	    &state);
	if (found < 0)
		log_warnx("database: %s", store_error(p->st));
	if (found <= 0)
		return (found == 0);
	done = strcmp(state, "success") == 0 || strcmp(state, "skipped") == 0;
	free(state);
	return (done);
}

/*
 * The DAG a running run goes on with: the version it started on, rebuilt
 * from the database once and kept while runs use it; the newest if that
 * cannot be done (said once).
 */
static const struct dag *
scheduler_run_dag(struct pass *p, const struct dag *dag, const struct run *r)
{
	struct scheduler		*sched = p->sched;
	struct scheduler_version	*v;
	char				*cause;
	size_t				 i;

	if (r->version == NULL || strcmp(r->version, dag->version) == 0)
		return (dag);
	for (i = 0; i < sched->nversions; i++) {
		v = &sched->versions[i];
		if (strcmp(v->dag_id, dag->id) == 0 &&
		    strcmp(v->version, r->version) == 0) {
			v->used = 1;
			return (v->dag != NULL ? v->dag : dag);
		}
	}
	sched->versions = xreallocarray(sched->versions, sched->nversions + 1,
	    sizeof *sched->versions);
	v = &sched->versions[sched->nversions++];
	v->dag_id = xstrdup(dag->id);
	snprintf(v->version, sizeof v->version, "%s", r->version);
	v->used = 1;
	if ((v->dag = dagversion_load(p->st, p->cfg, dag, r->version,
	    &cause)) == NULL) {
		log_warnx("dag '%s': runs of version %s go on with version "
		    "%s: cannot rebuild their own: %s", dag->id, r->version,
		    dag->version, cause);
		free(cause);
		return (dag);
	}
	return (v->dag);
}

/* Let go of the old versions no run used in this pass (all with all). */
static void
scheduler_prune_versions(struct scheduler *sched, int all)
{
	size_t	i, j;

	for (i = j = 0; i < sched->nversions; i++) {
		if (!all && sched->versions[i].used) {
			sched->versions[i].used = 0;
			sched->versions[j++] = sched->versions[i];
			continue;
		}
		free(sched->versions[i].dag_id);
		dag_free(sched->versions[i].dag);
	}
	sched->nversions = j;
	if (j == 0) {
		free(sched->versions);
		sched->versions = NULL;
	}
}

/*
 * The order to poll a run's task instances in: upstream before downstream,
 * so that an array element is judged against its upstream's fresh state.
 */
static size_t *
scheduler_topo(const struct dag *dag, struct ti *tis, size_t n)
{
	size_t	*tasks, *order, *placed, k = 0, i, t;

	tasks = submit_topo_tasks(dag);
	order = xcalloc(n + 1, sizeof *order);
	placed = xcalloc(n + 1, sizeof *placed);
	for (t = 0; t < dag->ntasks; t++) {
		for (i = 0; i < n; i++) {
			if (!placed[i] && strcmp(tis[i].task_id,
			    dag->tasks[tasks[t]].id) == 0) {
				placed[i] = 1;
				order[k++] = i;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (!placed[i])
			order[k++] = i;
	}
	free(placed);
	free(tasks);
	return (order);
}

/*
 * Poll the run's task instances in topological order, taking back the
 * array elements whose upstream element did not succeed.
 */
static void
scheduler_poll_run(struct pass *p, const struct dag *dag, struct run *r,
    struct ti *tis, size_t n)
{
	struct ti		*ti;
	const struct task	*task;
	const char		*which;
	size_t			 i, *order;
	char			*before, *before_reason;

	order = scheduler_topo(dag, tis, n);
	for (i = 0; i < n; i++) {
		ti = &tis[order[i]];
		task = dag_find_task(dag, ti->task_id);
		if (ti->array_name != NULL && p->slurm_ok &&
		    (strcmp(ti->state, "scheduled") == 0 ||
		    strcmp(ti->state, "queued") == 0 ||
		    strcmp(ti->state, "running") == 0) &&
		    !scheduler_array_upstream_holds(task, tis, n, &which)) {
			xasprintf(&before, "upstream '%s' did not succeed "
			    "in its array", which);
			scheduler_array_take_back(p, r, ti, before);
			free(before);
			continue;
		}
		before = xstrdup(ti->state);
		before_reason = ti->reason != NULL ? xstrdup(ti->reason) :
		    NULL;
		scheduler_poll_ti(p, r, task, ti);
		if (strcmp(before, ti->state) != 0 ||
		    strcmp(ti->state, "running") == 0 ||
		    (before_reason == NULL) != (ti->reason == NULL) ||
		    (before_reason != NULL &&
		    strcmp(before_reason, ti->reason) != 0))
			if (store_ti_update(p->st, ti) != 0)
				log_warnx("database: %s", store_error(p->st));
		free(before_reason);
		if (strcmp(before, ti->state) != 0)
			notify_task_event(p->st, p->cfg, dag, r, task, ti,
			    p->now);
		free(before);
	}
	free(order);
}

/*
 * Decide what one task instance does now: not run (upstream failed or
 * skipped), go to Slurm, wait for its retry, or wait again for an array.
 * 1 when it changed in a way its downstream tasks may follow.
 */
static int
scheduler_decide(struct pass *p, const struct dag *dag, const struct run *r,
    struct ti *tis, size_t n, struct ti *ti)
{
	const struct task	*task;
	const char		*which;
	enum trigger_decision	 d;

	if ((task = dag_find_task(dag, ti->task_id)) == NULL) {
		/* Gone from the DAG file: it will not run. */
		if (strcmp(ti->state, "none") == 0 ||
		    strcmp(ti->state, "up_for_retry") == 0) {
			submit_set(&ti->state, "removed");
			submit_set(&ti->reason, "task removed from the dag "
			    "file");
			if (store_ti_update(p->st, ti) != 0)
				log_warnx("database: %s", store_error(p->st));
		}
		return (0);
	}
	if (strcmp(ti->state, "none") == 0) {
		d = scheduler_upstream(task, tis, n, &which);
		if (d == TRIGGER_UPSTREAM_FAILED || d == TRIGGER_SKIP) {
			scheduler_not_run(p, task, ti, d, which);
			return (1);
		}
		if (d == TRIGGER_RUN && scheduler_past_done(p, r, task) &&
		    submit_allowed(p))
			submit_try(p, dag, r, task, ti);
	} else if (strcmp(ti->state, "up_for_retry") == 0) {
		if (ti->next_try_at <= p->now && submit_allowed(p))
			submit_try(p, dag, r, task, ti);
		else
			scheduler_wake_at(p, ti->next_try_at);
	} else if (strcmp(ti->state, "scheduled") == 0 && p->slurm_ok &&
	    ti->array_name != NULL) {
		/* Its array was never submitted: wait again. */
		scheduler_array_take_back(p, r, ti,
		    "its array was never submitted");
		return (1);
	} else if (strcmp(ti->state, "scheduled") == 0 && p->slurm_ok) {
		/* Recorded but never submitted: do it now. */
		ti->try_number--;
		submit_try(p, dag, r, task, ti);
	}
	return (0);
}

/* End the run when every task instance has: success or failed. */
static void
scheduler_end_run(struct pass *p, const struct dag *dag, struct run *r,
    struct ti *tis, size_t n)
{
	size_t	i;
	int	ok = 1;

	for (i = 0; i < n; i++) {
		if (!state_is_terminal(tis[i].state))
			return;
		if (strcmp(tis[i].state, "success") != 0 &&
		    strcmp(tis[i].state, "skipped") != 0 &&
		    strcmp(tis[i].state, "removed") != 0)
			ok = 0;
	}
	if (store_run_set_state(p->st, r, ok ? "success" : "failed",
	    p->now) != 0)
		log_warnx("database: %s", store_error(p->st));
	log_info("dag '%s': run '%s' %s", dag->id, r->run_id, r->state);
	notify_run_event(p->st, p->cfg, dag, r, tis, n, p->now);
}

/* Poll, decide and submit the task instances of one running run. */
static void
scheduler_advance_run(struct pass *p, const struct dag *dag, struct run *r)
{
	struct ti	*tis;
	size_t		 n, i;
	int		 changed;

	if (store_ti_list(p->st, r->id, &tis, &n) != 0) {
		log_warnx("database: %s", store_error(p->st));
		return;
	}
	p->dag = dag;
	scheduler_poll_run(p, dag, r, tis, n);
	/* Decide until nothing changes: a failure cascades downstream. */
	do {
		changed = 0;
		for (i = 0; i < n; i++)
			changed |= scheduler_decide(p, dag, r, tis, n, &tis[i]);
	} while (changed);
	submit_flush(p);
	scheduler_end_run(p, dag, r, tis, n);
	store_ti_free_list(tis, n);
}

/*
 * Move every backfill on: those running, and those cancelled whose jobs
 * have not been stopped yet. A backfill runs on a paused DAG too.
 */
static void
scheduler_backfills(struct pass *p, const struct dagbag *bag)
{
	struct backfill		*list;
	struct dag		*dag;
	struct store_dag	*sd;
	size_t			 n, i;

	if (store_backfill_list(p->st, NULL, NULL, &list, &n) != 0) {
		log_warnx("database: %s", store_error(p->st));
		return;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].state, "running") != 0 &&
		    (strcmp(list[i].state, "cancelled") != 0 ||
		    list[i].end_date != 0))
			continue;
		if ((dag = dagbag_find(bag, list[i].dag_id)) == NULL)
			continue;
		if ((sd = scheduler_sd(p, dag->id)) != NULL)
			sd->active = 1;
		if (backfill_advance(p->st, dag, &list[i], p->now))
			scheduler_wake_at(p, p->now + 1);
	}
	store_backfill_free_list(list, n);
}

/*
 * Log the DAG errors of this pass that the last pass did not have: a
 * broken file is said once, not at every pass.
 */
static void
scheduler_log_errors(struct scheduler *sched, const struct dagbag *bag)
{
	FILE	*f;
	char	*now = NULL;
	size_t	 len = 0, i;

	if ((f = open_memstream(&now, &len)) == NULL)
		return;
	for (i = 0; i < bag->nerrors; i++) {
		if (sched->errors == NULL ||
		    strstr(sched->errors, bag->errors[i]) == NULL)
			log_warnx("%s", bag->errors[i]);
		fprintf(f, "%s\n", bag->errors[i]);
	}
	fclose(f);
	free(sched->errors);
	sched->errors = now;
}

/*
 * Whether this pass has a reason to ask Slurm anything: a DAG new or
 * changed since the database last had it (to check against the
 * partitions), a run queued or running, or a run due now. A user with
 * nothing to do sends the controller nothing, however many DAGs they have.
 */
static int
scheduler_wants_cluster(struct pass *p, const struct dagbag *bag)
{
	const struct store_dag	*sd;
	struct interval		 iv;
	size_t			 i;

	for (i = 0; i < p->ndags; i++) {
		if (p->dags[i].active)
			return (1);
	}
	for (i = 0; i < bag->ndags; i++) {
		if (bag->dags[i]->fresh && bag->dags[i]->checked_at == 0)
			return (1);
		if ((sd = scheduler_sd(p, bag->dags[i]->id)) == NULL ||
		    sd->paused ||
		    (sd->has_next && sd->next_dagrun == INT64_MAX))
			continue;
		if (timetable_first(bag->dags[i], sd->has_next ?
		    sd->next_dagrun : bag->dags[i]->start_date, &iv) &&
		    iv.due <= p->now)
			return (1);
	}
	return (0);
}

/*
 * Check the DAGs against the cluster's partitions (read again every five
 * minutes, when the pass has something to do: scheduler_wants_cluster): a
 * DAG that asks for a partition Slurm lacks, or GPUs where there are none,
 * is not scheduled and shows the problem as its load error. Without an
 * answer from Slurm nothing is refused.
 */
static void
scheduler_validate(struct pass *p, struct dagbag *bag)
{
	struct scheduler	*sched = p->sched;
	struct cluster_partition	*parts;
	struct store_dag	*sd;
	size_t			 nparts, i, j;
	char			*cause;

	if ((sched->parts_at == 0 || p->now - sched->parts_at >= 300 ||
	    p->now < sched->parts_at) && scheduler_wants_cluster(p, bag)) {
		if (cluster_partitions_load(&parts, &nparts, &cause) == 0) {
			cluster_partitions_free(sched->parts, sched->nparts);
			sched->parts = parts;
			sched->nparts = nparts;
			sched->parts_at = p->now;
		} else
			free(cause);
	}
	if (sched->parts_at == 0)
		return;
	for (i = j = 0; i < bag->ndags; i++) {
		sd = scheduler_sd(p, bag->dags[i]->id);
		if (bag->dags[i]->checked_at == sched->parts_at &&
		    sd != NULL && sd->cluster_error == NULL) {
			bag->dags[j++] = bag->dags[i];
			continue;	/* it passed, and nothing changed */
		}
		bag->dags[i]->checked_at = 0;
		if (validate_dag(bag->dags[i], sched->parts, sched->nparts,
		    &cause) != 0) {
			if (store_dag_set_cluster_error(sched->st,
			    bag->dags[i]->id, cause) != 0)
				log_warnx("database: %s",
				    store_error(sched->st));
			bag->errors = xreallocarray(bag->errors,
			    bag->nerrors + 1, sizeof *bag->errors);
			bag->errors[bag->nerrors++] = cause;
			continue;	/* it stays in the cache */
		}
		if (sd == NULL || sd->cluster_error != NULL)
			if (store_dag_set_cluster_error(sched->st,
			    bag->dags[i]->id, NULL) != 0)
				log_warnx("database: %s",
				    store_error(sched->st));
		bag->dags[i]->checked_at = sched->parts_at;
		bag->dags[j++] = bag->dags[i];
	}
	bag->ndags = j;
}

static int
scheduler_cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * How many Slurm jobs the active task instances hold: one each, but one for
 * all the elements of a job array, as Slurm's queue counts them; *singles
 * those not in an array.
 */
static int
scheduler_count_jobs(const struct ti *active, size_t n, int *singles)
{
	int64_t	*ids;
	size_t	 i, m = 0;
	int	 count = 0;

	ids = xcalloc(n + 1, sizeof *ids);
	for (i = 0; i < n; i++) {
		if (active[i].array_name != NULL)
			ids[m++] = active[i].job_id;
		else
			count++;
	}
	*singles = count;
	qsort(ids, m, sizeof *ids, scheduler_cmp_id);
	for (i = 0; i < m; i++) {
		if (i == 0 || ids[i] != ids[i - 1])
			count++;
	}
	free(ids);
	return (count);
}

/*
 * Our task jobs that Slurm still holds as pending or running, arrays left
 * out (they are counted from the database, one an array): a job whose
 * wrapper has written its marker is done for us, but holds its place in
 * Slurm's queue until its step has ended, and max_queued_jobs is about
 * Slurm's queue. Task jobs are named DAG__TASK__WHEN__TRY__SUFFIX.
 */
static int
scheduler_slurm_singles(const struct pass *p)
{
	const char	*name, *s;
	size_t		 i, len = strlen(p->cfg->job_suffix), seps;
	int		 count = 0;

	for (i = 0; i < p->njobs; i++) {
		if (p->jobs[i].phase == CLUSTER_DONE ||
		    p->jobs[i].array_job_id != 0)
			continue;
		name = p->jobs[i].name;
		if (strlen(name) < len + 2 ||
		    strcmp(name + strlen(name) - len, p->cfg->job_suffix) != 0)
			continue;
		for (seps = 0, s = name; (s = strstr(s, "__")) != NULL; s += 2)
			seps++;
		if (seps >= 4)
			count++;
	}
	return (count);
}

/*
 * Load our jobs from Slurm, in one RPC for every job this user has: never
 * one per job. While Slurm is known to be away the same call is the
 * probe, so that no submission waits on a controller that does not answer.
 */
static void
scheduler_load_jobs(struct pass *p)
{
	struct scheduler	*sched = p->sched;
	struct ti		*active;
	size_t			 nactive;
	char			*cause;
	int			 singles, rc;

	if ((rc = store_ti_active(p->st, &active, &nactive)) != 0)
		log_warnx("database: %s", store_error(p->st));
	if (rc == 0 && (nactive > 0 || sched->slurm_down_since != 0)) {
		p->inflight = scheduler_count_jobs(active, nactive, &singles);
		if (cluster_jobs_load(&p->jobs, &p->njobs,
		    &cause) != 0) {
			submit_slurm_trouble(p, cause);
			free(cause);
		} else if (scheduler_slurm_singles(p) > singles)
			p->inflight += scheduler_slurm_singles(p) - singles;
	}
	store_ti_free_list(active, nactive);
	if (p->slurm_ok && sched->slurm_down_since != 0) {
		log_info("Slurm answers again, after %llds",
		    (long long)(p->now - sched->slurm_down_since));
		notify_scheduler_event(p->st, p->cfg, NOTIFY_SLURM_BACK, NULL,
		    p->now);
		sched->slurm_down_since = 0;
		sched->slurm_failures = 0;
	}
}

/* Start a DAG's queued runs, and move its running ones on. */
static void
scheduler_advance_dag(struct pass *p, const struct dag *dag,
    const struct store_dag *sd)
{
	struct run	*running;
	size_t		 n, i;
	int		*taken;

	if (!sd->paused)
		scheduler_start_runs(p, dag);
	if (store_run_list(p->st, dag->id, "running", &running, &n) != 0) {
		log_warnx("database: %s", store_error(p->st));
		return;
	}
	taken = xcalloc(n + 1, sizeof *taken);
	scheduler_array_runs(p, dag, running, n, taken);
	for (i = 0; i < n; i++) {
		if (!taken[i])
			scheduler_advance_run(p, scheduler_run_dag(p, dag,
			    &running[i]), &running[i]);
	}
	free(taken);
	store_run_free_list(running, n);
}

/*
 * One full pass at instant now: load DAGs, create due runs, start runs, poll
 * Slurm once for all jobs, submit ready tasks. What it found for the loop
 * (when to wake, whether jobs are in flight) is left in sched.
 */
void
scheduler_pass(struct scheduler *sched, int64_t now)
{
	struct pass		 p;
	struct dagbag		 bag;
	struct store_dag	*sd;
	struct store		*st = sched->st;
	size_t			 i;

	memset(&p, 0, sizeof p);
	p.sched = sched;
	p.cfg = sched->cfg;
	p.st = st;
	p.now = now;
	p.slurm_ok = 1;

	if (sched->dags == NULL)
		sched->dags = xcalloc(1, sizeof *sched->dags);
	dagbag_refresh(p.cfg, st, sched->dags, &bag);
	log_debug("dag files: %zu parsed, %zu touched but the same, "
	    "%zu unchanged", sched->dags->parsed, sched->dags->touched,
	    sched->dags->unchanged);
	/* Every DAG's row in one statement, not a few for each DAG. */
	if (store_dag_list_pass(st, &p.dags, &p.ndags) != 0) {
		log_warnx("database: %s", store_error(st));
		p.ndags = 0;
	}
	scheduler_validate(&p, &bag);
	scheduler_log_errors(sched, &bag);
	notify_dag_errors(st, p.cfg, bag.errors, bag.nerrors, now);

	for (i = 0; i < bag.ndags; i++) {
		if ((sd = scheduler_sd(&p, bag.dags[i]->id)) == NULL ||
		    sd->paused)
			continue;
		if (scheduler_create_due_runs(&p, bag.dags[i], sd) > 0)
			sd->active = 1;
		notify_sla_check(st, p.cfg, bag.dags[i], now);
	}

	scheduler_load_jobs(&p);
	scheduler_backfills(&p, &bag);
	/* Only a DAG with a run queued or running has anything to move on. */
	for (i = 0; i < bag.ndags; i++) {
		if ((sd = scheduler_sd(&p, bag.dags[i]->id)) != NULL &&
		    sd->active)
			scheduler_advance_dag(&p, bag.dags[i], sd);
	}
	acct_pass(&p);

	sched->wake = p.wake;
	sched->inflight = p.inflight;
	sched->capped = p.capped;
	cluster_jobs_free(p.jobs, p.njobs);
	scheduler_prune_versions(sched, 0);
	store_dag_free_list(p.dags, p.ndags);
	dagbag_free(&bag);
#ifdef __GLIBC__
	/* Parsing leaves holes in the heap: give them back while idle. */
	if (sched->dags->parsed > 0)
		malloc_trim(0);
#endif
}

/* Parse every DAG file again at the next pass (the configuration changed). */
void
scheduler_forget_dags(struct scheduler *sched)
{
	if (sched->dags != NULL)
		dagbag_cache_free(sched->dags);
	free(sched->dags);
	sched->dags = NULL;
	scheduler_prune_versions(sched, 1);
}

/* Let go of what the scheduler keeps from pass to pass. */
void
scheduler_free(struct scheduler *sched)
{
	cluster_partitions_free(sched->parts, sched->nparts);
	free(sched->errors);
	scheduler_forget_dags(sched);
	sched->parts = NULL;
	sched->nparts = 0;
	sched->errors = NULL;
}
