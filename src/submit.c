/* Submitting tries to Slurm: one job, and what job arrays share with it. */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inputs.h"
#include "jobscript.h"
#include "notify.h"
#include "submit.h"

/* Write the job id of the try last submitted, if not done yet. */
void
submit_flush(struct pass *p)
{
	if (p->held != NULL && store_ti_update(p->st, p->held) != 0)
		log_warnx("database: %s", store_error(p->st));
	p->held = NULL;
}

/*
 * Record a try before its job is submitted, in one transaction with the
 * job id of the try submitted before it: one commit per job, not two.
 */
static int
submit_record_try(struct pass *p, struct ti *ti)
{
	int	rc, tx;

	tx = p->held != NULL && store_begin(p->st) == 0;
	submit_flush(p);
	rc = store_ti_update(p->st, ti);
	if (tx && store_commit(p->st) != 0) {
		store_rollback(p->st);
		rc = -1;
	}
	return (rc);
}

/*
 * Whether another job may be submitted in this pass: Slurm answers, and
 * neither the cap on our jobs in its queue nor the cap on submissions per
 * pass is reached (what is held back goes at the next pass).
 */
int
submit_allowed(struct pass *p)
{
	if (!p->slurm_ok || p->busy)
		return (0);
	if (p->inflight >= p->cfg->max_queued_jobs ||
	    p->submitted >= p->cfg->max_submit_per_pass) {
		p->capped = 1;
		return (0);
	}
	return (1);
}

/* Make the directory that will hold path. */
void
submit_mkdir_parent(const char *path)
{
	char	*dir, *slash;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (fs_mkdirs(dir) != 0)
			log_warn("cannot create directory '%s'", dir);
	}
	free(dir);
}

/* Replace a string field of a record by a copy of value (or NULL). */
void
submit_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

/* A try's file under the state directory: what/dag/run/task.try.ext. */
char *
submit_path(const struct config *cfg, const char *what,
    const struct run *r, const struct ti *ti, const char *ext)
{
	char	*path;

	xasprintf(&path, "%s/%s/%s/%s/%s.%d.%s", cfg->state_dir, what,
	    r->dag_id, r->run_id, ti->task_id, ti->try_number, ext);
	return (path);
}

/*
 * Where the job of one try writes its exit status: one flat folder, the
 * job's name as the file's, so the scheduler can watch a single directory.
 */
char *
submit_marker_path(const struct config *cfg, const struct run *r,
    const struct ti *ti)
{
	char	*name, *path;

	name = jobscript_job_name(cfg, r->dag_id, ti->task_id, r->logical_date,
	    ti->try_number);
	xasprintf(&path, "%s/markers/%s.exit", cfg->state_dir, name);
	free(name);
	return (path);
}

/*
 * Slurm did not answer, or said "not now": stop asking in this pass, and
 * say so once, not at every pass, until it answers again.
 */
void
submit_slurm_trouble(struct pass *p, const char *cause)
{
	p->slurm_ok = 0;
	if (p->sched->slurm_down_since == 0) {
		log_warnx("%s; keeping every state, trying again", cause);
		p->sched->slurm_down_since = p->now;
		notify_scheduler_event(p->st, p->cfg, NOTIFY_SLURM_LOST, cause,
		    p->now);
	}
	p->sched->slurm_failures++;
}

/*
 * Slurm answered "not now": it is full, or a limit that clears as jobs end
 * is reached. Not an outage: submit no more in this pass, come back soon.
 */
void
submit_slurm_busy(struct pass *p, const char *cause)
{
	if (!p->busy)
		log_info("%s; trying again at the next pass", cause);
	p->busy = 1;
	p->capped = 1;
}

/* What a job of task asks of Slurm, the wrapper as its script. */
void
submit_request(struct cluster_request *rq, const struct task *task,
    const char *name, char **env, const char *dir, const char *out)
{
	memset(rq, 0, sizeof *rq);
	rq->name = name;
	rq->script = jobscript_text();
	rq->env = env;
	rq->work_dir = dir;
	rq->std_out = out;
	rq->res = &task->res;
}

/*
 * Record the next try of ti as 'scheduled', before its job is submitted:
 * 0 with the inputs from other DAGs for its environment, or -1 when it
 * waits for them (or cannot be recorded) and nothing is submitted.
 */
static int
submit_begin(struct pass *p, const struct run *r, const struct task *task,
    struct ti *ti, char ***inputs)
{
	char	*waiting;

	/* Inputs from other DAGs first: without them it waits, as it is. */
	if (inputs_resolve(p->st, r, task, inputs, &waiting) != 1) {
		if (strcmp(ti->state, "scheduled") == 0)
			ti->try_number++;
		else if (waiting != NULL && (ti->reason == NULL ||
		    strcmp(ti->reason, waiting) != 0)) {
			submit_set(&ti->reason, waiting);
			if (store_ti_update(p->st, ti) != 0)
				log_warnx("database: %s", store_error(p->st));
		}
		free(waiting);
		return (-1);
	}
	ti->try_number++;
	submit_set(&ti->state, "scheduled");
	submit_set(&ti->reason, NULL);
	ti->job_id = 0;
	ti->has_exit_code = 0;
	ti->start_date = ti->end_date = ti->next_try_at = 0;
	submit_set(&ti->node, NULL);
	submit_set(&ti->array_name, NULL);
	ti->array_index = -1;
	ti->element_job_id = 0;
	if (submit_record_try(p, ti) != 0) {
		jobscript_env_free(*inputs);
		return (-1);
	}
	return (0);
}

/* What Slurm said of a try's job: queued, not now, or refused. */
static void
submit_outcome(struct pass *p, const struct run *r, const struct task *task,
    struct ti *ti, int rc, int64_t job_id, char *cause)
{
	switch (rc) {
	case CLUSTER_SUBMITTED:
		log_info("%s %s: submitted try %d as job %lld", r->run_id,
		    task->id, ti->try_number, (long long)job_id);
		ti->job_id = job_id;
		ti->queued_at = p->now;
		submit_set(&ti->state, "queued");
		submit_set(&ti->partition, task->res.partition);
		p->submitted++;
		p->inflight++;
		break;
	case CLUSTER_BUSY:
		submit_slurm_busy(p, cause);
		free(cause);
		break;
	case CLUSTER_LATER:
		/*
		 * Not the task's fault: try later. It stays 'scheduled', as
		 * recorded: a request that timed out may have made the job
		 * all the same, so the next pass looks for it by name before
		 * submitting it again, as after a crash here.
		 */
		submit_slurm_trouble(p, cause);
		free(cause);
		break;
	default:
		ti->end_date = p->now;
		submit_set(&ti->state, "failed");
		submit_set(&ti->reason, cause);
		log_warnx("%s %s: rejected: %s", r->run_id, task->id, cause);
		free(cause);
		break;
	}
}

/*
 * Submit one try of a task instance. The try is recorded ('scheduled')
 * before the job is submitted and its job id after, so that a crash in
 * between leaves a record that the next pass resolves by the job's name.
 */
void
submit_try(struct pass *p, const struct dag *dag, const struct run *r,
    const struct task *task, struct ti *ti)
{
	struct cluster_request	 rq;
	struct jobscript_vars	 jv;
	char			*log, *marker, *key, *name, *dir;
	char			*cause = NULL, **env, **inputs;
	int64_t			 job_id = 0;
	int			 rc;

	if (submit_begin(p, r, task, ti, &inputs) != 0)
		return;

	log = submit_path(p->cfg, "logs", r, ti, "log");
	marker = submit_marker_path(p->cfg, r, ti);
	submit_mkdir_parent(log);
	submit_mkdir_parent(marker);

	key = jobscript_task_key(dag, task, r->logical_date);
	name = jobscript_job_name(p->cfg, dag->id, task->id, r->logical_date,
	    ti->try_number);
	memset(&jv, 0, sizeof jv);
	jv.dag = dag;
	jv.task = task;
	jv.run = r;
	jv.try_number = ti->try_number;
	jv.task_key = key;
	jv.marker = marker;
	jv.inputs = inputs;
	env = jobscript_env(&jv);
	jobscript_env_free(inputs);

	dir = jobscript_work_dir(&jv);
	submit_request(&rq, task, name, env, dir, log);
	rc = cluster_submit(&rq, &job_id, &cause);
	submit_outcome(p, r, task, ti, rc, job_id, cause);
	/*
	 * A job submitted is written with the next one's record (or at the
	 * end of the run's turn): should we die in between, the next pass
	 * finds it by its name, as after any crash here.
	 */
	if (rc == CLUSTER_SUBMITTED)
		p->held = ti;
	else
		if (store_ti_update(p->st, ti) != 0)
			log_warnx("database: %s", store_error(p->st));
	notify_task_event(p->st, p->cfg, dag, r, task, ti, p->now);
	jobscript_env_free(env);
	free(dir);
	free(name);
	free(key);
	free(marker);
	free(log);
}

/* The task instance of task_id among a run's, or NULL. */
struct ti *
submit_find_ti(struct ti *tis, size_t n, const char *task_id)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].task_id, task_id) == 0)
			return (&tis[i]);
	}
	return (NULL);
}

/* The DAG's tasks by index, upstream before downstream. */
size_t *
submit_topo_tasks(const struct dag *dag)
{
	size_t	*order, *placed, k = 0, i, a, u;
	int	 ready, progress = 1;

	order = xcalloc(dag->ntasks + 1, sizeof *order);
	placed = xcalloc(dag->ntasks + 1, sizeof *placed);
	while (k < dag->ntasks && progress) {
		progress = 0;
		for (i = 0; i < dag->ntasks; i++) {
			if (placed[i])
				continue;
			ready = 1;
			for (a = 0; a < dag->tasks[i].nafter; a++) {
				for (u = 0; u < dag->ntasks; u++) {
					if (strcmp(dag->tasks[u].id,
					    dag->tasks[i].after[a]) == 0 &&
					    !placed[u])
						ready = 0;
				}
			}
			if (!ready)
				continue;
			placed[i] = 1;
			order[k++] = i;
			progress = 1;
		}
	}
	for (i = 0; i < dag->ntasks; i++) {
		if (!placed[i])
			order[k++] = i;
	}
	free(placed);
	return (order);
}
