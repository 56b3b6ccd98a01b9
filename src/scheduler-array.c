/* Job arrays: runs that start together go to Slurm as one array per task. */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobscript.h"
#include "notify.h"
#include "submit.h"

/*
 * Job arrays. Runs of a DAG that start together (a backfill, a catch-up)
 * go to Slurm as one job array per task, one element per run, instead of
 * one job per task instance: T submissions for N runs of T tasks. Element
 * k of a downstream task waits for element k of its upstream tasks
 * (aftercorr); %K, the backfill's max_active (else max_active_runs), caps
 * how many elements of one array run at once. What differs per element
 * (dates, run, templated command and env, marker, log) is in a manifest,
 * one file per element under STATE/arrays/NAME/, written and renamed into
 * place before the array is submitted; the wrapper reads its element's
 * file by $SLURM_ARRAY_TASK_ID. Each element is a try of its own: it is
 * recorded ('scheduled', with the array's name and its index) before the
 * submission, so that a restarted scheduler adopts the array by its name.
 * A failed element is retried as a job of its own; its downstream elements
 * are taken back (scheduler_array_take_back).
 */

/*
 * Whether a DAG's runs may go as arrays under a limit of limit runs at once:
 * every task triggers on all_success (what aftercorr means), none depends
 * on its past or reads inputs, and more than one run may be active (a limit of one keeps
 * runs strictly one after the other, which %1 per task does not).
 */
int
scheduler_array_dag(const struct dag *dag, int limit)
{
	size_t	i;

	if (getenv("UPDRAFT_NO_ARRAYS") != NULL || limit < 2)
		return (0);
	for (i = 0; i < dag->ntasks; i++) {
		/* An input is waited for by the scheduler, not by Slurm. */
		if (dag->tasks[i].trigger_rule != TRIGGER_ALL_SUCCESS ||
		    dag->tasks[i].depends_on_past ||
		    dag->tasks[i].ninputs > 0)
			return (0);
	}
	return (dag->ntasks > 0);
}

/* One run of a group that goes as arrays, with its task instances. */
struct array_run {
	struct run	*r;
	struct ti	*tis;		/* in the DAG's task order */
	size_t		 ntis;
	int		 index;		/* its element in the arrays */
	char		*sig;		/* the arrays it is in already */
};

/* The name of an array: <dag>__<task>__<first>-<last>__<try>__<home>. */
static char *
scheduler_array_name(const struct config *cfg, const struct dag *dag,
    const struct task *task, struct array_run *ar, size_t n, int try)
{
	struct tm	 tm;
	char		 first[32], last[32], *name;

	tz_breakdown(NULL, ar[0].r->logical_date, &tm);
	strftime(first, sizeof first, "%Y%m%dT%H%M%S", &tm);
	tz_breakdown(NULL, ar[n - 1].r->logical_date, &tm);
	strftime(last, sizeof last, "%Y%m%dT%H%M%S", &tm);
	xasprintf(&name, "%s__%s__%s-%s__%d__%s", dag->id, task->id, first,
	    last, try, cfg->job_suffix);
	return (name);
}

/* Remove a manifest folder (one level of files) if it is there. */
static void
scheduler_array_rmdir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Write the manifest of one array: element k's variables in DIR/k, made in
 * DIR.tmp and renamed. 0, or -1.
 */
static int
scheduler_array_manifest(struct pass *p, const struct dag *dag,
    const struct task *task, struct array_run *ar, size_t n, size_t t,
    const char *dir)
{
	struct jobscript_vars	 jv;
	struct ti		*ti, *up;
	char			*tmp, *path, *log, *marker, *key, **env;
	char			*ups, *m, *joined;
	size_t			 k, a, u;
	int			 rc = 0;

	xasprintf(&tmp, "%s.tmp", dir);
	scheduler_array_rmdir(tmp);
	submit_mkdir_parent(tmp);
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
		log_warn("cannot create '%s'", tmp);
		free(tmp);
		return (-1);
	}
	for (k = 0; k < n && rc == 0; k++) {
		ti = &ar[k].tis[t];
		log = submit_path(p->cfg, "logs", ar[k].r, ti, "log");
		marker = submit_marker_path(p->cfg, ar[k].r, ti);
		submit_mkdir_parent(log);
		if (k == 0)
			submit_mkdir_parent(marker);
		ups = NULL;
		for (a = 0; a < task->nafter; a++) {
			for (u = 0; u < ar[k].ntis; u++) {
				if (strcmp(ar[k].tis[u].task_id,
				    task->after[a]) == 0)
					break;
			}
			if (u == ar[k].ntis)
				continue;
			up = &ar[k].tis[u];
			m = submit_marker_path(p->cfg, ar[k].r, up);
			xasprintf(&joined, "%s%s%s", ups != NULL ? ups : "",
			    ups != NULL ? "\n" : "", m);
			free(m);
			free(ups);
			ups = joined;
		}
		key = jobscript_task_key(dag, task, ar[k].r->logical_date);
		memset(&jv, 0, sizeof jv);
		jv.dag = dag;
		jv.task = task;
		jv.run = ar[k].r;
		jv.try_number = ti->try_number;
		jv.task_key = key;
		jv.marker = marker;
		jv.log = log;
		jv.upstream = ups;
		env = jobscript_env_own(&jv);
		xasprintf(&path, "%s/%d", tmp, ar[k].index);
		if (jobscript_manifest_write(path, env) != 0) {
			log_warn("cannot write '%s'", path);
			rc = -1;
		}
		free(path);
		jobscript_env_free(env);
		free(key);
		free(ups);
		free(marker);
		free(log);
	}
	if (rc == 0) {
		scheduler_array_rmdir(dir);
		if (rename(tmp, dir) != 0) {
			log_warn("cannot rename '%s'", tmp);
			rc = -1;
		}
	}
	free(tmp);
	return (rc);
}

/* An array's --array: its indexes as ranges, and its throttle. */
static char *
scheduler_array_indexes(struct array_run *ar, size_t n, int throttle)
{
	char	*inx;
	size_t	 k, j, len = 0, size = n * 24 + 32;

	inx = xmalloc(size);
	*inx = '\0';
	for (k = 0; k < n; k = j + 1) {
		for (j = k; j + 1 < n && ar[j + 1].index == ar[j].index + 1; j++)
			;
		len += snprintf(inx + len, size - len, "%s%d", k > 0 ? "," : "",
		    ar[k].index);
		if (j > k)
			len += snprintf(inx + len, size - len, "-%d",
			    ar[j].index);
	}
	if (throttle > 0 && (size_t)throttle < n)
		snprintf(inx + len, size - len, "%%%d", throttle);
	return (inx);
}

static int
scheduler_array_cmp(const void *a, const void *b)
{
	const struct array_run	*x = a, *y = b;

	return (x->index < y->index ? -1 : x->index > y->index);
}

/* Record (or undo) the planned elements of one array, in one transaction. */
static void
scheduler_array_plan(struct pass *p, struct array_run *ar, size_t n,
    size_t t, const char *name)
{
	struct ti	*ti;
	size_t		 k;

	if (store_begin(p->st) != 0)
		log_warnx("database: %s", store_error(p->st));
	for (k = 0; k < n; k++) {
		ti = &ar[k].tis[t];
		if (name != NULL) {
			ti->try_number++;
			submit_set(&ti->state, "scheduled");
			ti->array_index = ar[k].index;
			ti->element_job_id = 0;
		} else {
			ti->try_number--;
			submit_set(&ti->state, "none");
			ti->array_index = -1;
		}
		submit_set(&ti->array_name, name);
		submit_set(&ti->reason, NULL);
		submit_set(&ti->node, NULL);
		ti->job_id = 0;
		ti->has_exit_code = 0;
		ti->start_date = ti->end_date = ti->next_try_at = 0;
		if (store_ti_update(p->st, ti) != 0)
			log_warnx("database: %s", store_error(p->st));
	}
	if (store_commit(p->st) != 0)
		log_warnx("database: %s", store_error(p->st));
}

/*
 * Submit task t of every run in ar as one array, after the arrays of its
 * upstream tasks (their job ids in jobs, by task). 0 submitted, -1 not.
 */
static int
scheduler_array_submit(struct pass *p, const struct dag *dag,
    struct array_run *ar, size_t n, size_t t, int throttle, int64_t *jobs)
{
	const struct task	*task = &dag->tasks[t];
	struct cluster_request	 rq;
	struct jobscript_vars	 jv;
	struct ti		*ti;
	char			*name, *dir, *out, *dep = NULL, *cause, **env;
	char			*inx, *wd, *more;
	int64_t			 job_id;
	size_t			 a, u, k;
	int			 rc;

	name = scheduler_array_name(p->cfg, dag, task, ar, n,
	    ar[0].tis[t].try_number + 1);
	scheduler_array_plan(p, ar, n, t, name);
	xasprintf(&dir, "%s/arrays/%s", p->cfg->state_dir, name);
	if (scheduler_array_manifest(p, dag, task, ar, n, t, dir) != 0) {
		scheduler_array_plan(p, ar, n, t, NULL);
		free(dir);
		free(name);
		return (-1);
	}
	for (a = 0; a < task->nafter; a++) {
		for (u = 0; u < dag->ntasks; u++) {
			if (strcmp(dag->tasks[u].id, task->after[a]) == 0)
				break;
		}
		if (u == dag->ntasks || jobs[u] == 0)
			continue;
		xasprintf(&more, "%s:%lld", dep != NULL ? dep : "aftercorr",
		    (long long)jobs[u]);
		free(dep);
		dep = more;
	}
	inx = scheduler_array_indexes(ar, n, throttle);
	xasprintf(&out, "%s/slurm-%%a.out", dir);
	memset(&jv, 0, sizeof jv);
	jv.dag = dag;
	jv.task = task;
	jv.run = ar[0].r;
	wd = jobscript_work_dir(&jv);
	env = jobscript_env_base(dag, task, dir);
	submit_request(&rq, task, name, env, wd, out);
	rq.array = inx;
	rq.dependency = dep;
	rc = cluster_submit(&rq, &job_id, &cause);
	switch (rc) {
	case CLUSTER_SUBMITTED:
		log_info("dag '%s': submitted task '%s' of %zu runs as array "
		    "job %lld (%s%s%s)", dag->id, task->id, n,
		    (long long)job_id, inx, dep != NULL ? ", " : "",
		    dep != NULL ? dep : "");
		if (store_ti_array_queued(p->st, name, job_id,
		    task->res.partition, p->now) != 0)
			log_warnx("database: %s", store_error(p->st));
		for (k = 0; k < n; k++) {
			ti = &ar[k].tis[t];
			ti->job_id = job_id;
			ti->queued_at = p->now;
			submit_set(&ti->state, "queued");
			submit_set(&ti->partition, task->res.partition);
			notify_task_event(p->st, p->cfg, dag, ar[k].r, task, ti,
			    p->now);
		}
		jobs[t] = job_id;
		p->submitted++;
		p->inflight++;
		break;
	case CLUSTER_LATER:
		scheduler_array_plan(p, ar, n, t, NULL);
		submit_slurm_trouble(p, cause);
		free(cause);
		break;
	case CLUSTER_BUSY:
		scheduler_array_plan(p, ar, n, t, NULL);
		submit_slurm_busy(p, cause);
		free(cause);
		break;
	default:
		log_warnx("dag '%s': array of task '%s' rejected: %s", dag->id,
		    task->id, cause);
		if (store_begin(p->st) != 0)
			log_warnx("database: %s", store_error(p->st));
		for (k = 0; k < n; k++) {
			ti = &ar[k].tis[t];
			ti->end_date = p->now;
			submit_set(&ti->state, "failed");
			submit_set(&ti->reason, cause);
			if (store_ti_update(p->st, ti) != 0)
				log_warnx("database: %s", store_error(p->st));
		}
		if (store_commit(p->st) != 0)
			log_warnx("database: %s", store_error(p->st));
		free(cause);
		break;
	}
	jobscript_env_free(env);
	free(inx);
	free(wd);
	free(out);
	free(dep);
	free(dir);
	free(name);
	return (rc == CLUSTER_SUBMITTED ? 0 : -1);
}

/*
 * Whether a running run may join arrays, with *sig the arrays it is in
 * already ("" for none, allocated) and *index its element in them: every
 * task has its instance, in the DAG's order; each has not been tried yet,
 * or is an element, in flight or done, of an array of this run's group
 * (all with the same index); and one at least waits to be submitted.
 */
static int
scheduler_array_sig(const struct dag *dag, struct ti *tis, size_t n,
    char **sig, int *index)
{
	char	*more;
	size_t	 i;
	int	 waiting = 0;

	*sig = xstrdup("");
	*index = -1;
	if (n != dag->ntasks)
		return (0);
	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].task_id, dag->tasks[i].id) != 0)
			return (0);
		if (strcmp(tis[i].state, "none") == 0 &&
		    tis[i].array_name == NULL) {
			waiting = 1;
			continue;
		}
		if (tis[i].array_name == NULL || tis[i].job_id == 0 ||
		    (strcmp(tis[i].state, "queued") != 0 &&
		    strcmp(tis[i].state, "running") != 0 &&
		    strcmp(tis[i].state, "success") != 0) ||
		    (*index >= 0 && tis[i].array_index != *index))
			return (0);
		*index = tis[i].array_index;
		xasprintf(&more, "%s%s;", *sig, tis[i].array_name);
		free(*sig);
		*sig = more;
	}
	return (waiting);
}

/*
 * Submit as arrays the running runs of dag (oldest first, newest first for
 * a --reverse backfill) that start together: two or more of one backfill,
 * or of the schedule, none of whose tasks has been tried. Runs handed to
 * arrays are marked in taken, not to be advanced in this pass.
 */
void
scheduler_array_runs(struct pass *p, const struct dag *dag, struct run *runs,
    size_t nruns, int *taken)
{
	struct array_run	*ar, *g, swap;
	struct backfill		 bf;
	struct ti		*tis;
	int64_t			*jobs, group;
	size_t			 i, j, n, ntis, c, m, t, *order, *gi;
	int			 throttle, reverse, failed;
	char			*cause;

	if (!scheduler_array_dag(dag, INT_MAX) || !p->slurm_ok || nruns < 2)
		return;
	if (p->sched->max_array == 0) {
		if (cluster_max_array_size(&p->sched->max_array, &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			return;
		}
		if (p->sched->max_array < 1)
			p->sched->max_array = 1;
	}
	ar = xcalloc(nruns, sizeof *ar);
	for (i = 0; i < nruns; i++) {
		if (store_ti_list(p->st, runs[i].id, &tis, &ntis) != 0) {
			log_warnx("database: %s", store_error(p->st));
			continue;
		}
		if (!scheduler_array_sig(dag, tis, ntis, &ar[i].sig,
		    &ar[i].index)) {
			store_ti_free_list(tis, ntis);
			free(ar[i].sig);
			ar[i].sig = NULL;
			continue;
		}
		ar[i].r = &runs[i];
		ar[i].tis = tis;
		ar[i].ntis = ntis;
	}
	order = submit_topo_tasks(dag);
	jobs = xcalloc(dag->ntasks, sizeof *jobs);
	/* One group per backfill (0: the schedule's catch-up). */
	for (i = 0; i < nruns; i++) {
		if (ar[i].r == NULL || taken[i])
			continue;
		group = runs[i].backfill;
		throttle = dag->max_active_runs;
		reverse = 0;
		if (group != 0 && store_backfill_get(p->st, group, &bf) == 1) {
			throttle = bf.max_active;
			reverse = bf.reverse;
			store_backfill_clear(&bf);
		}
		g = xcalloc(nruns, sizeof *g);
		gi = xcalloc(nruns, sizeof *gi);
		for (n = 0, j = i; j < nruns; j++) {
			if (ar[j].r != NULL && !taken[j] &&
			    runs[j].backfill == group &&
			    strcmp(ar[j].sig, ar[i].sig) == 0) {
				gi[n] = j;
				g[n++] = ar[j];
			}
		}
		if (n < 2 || !scheduler_array_dag(dag, throttle)) {
			for (j = 0; j < n; j++)
				taken[gi[j]] = -1;	/* ordinary runs */
			free(g);
			free(gi);
			continue;
		}
		if (reverse && *g[0].sig == '\0') {
			for (j = 0; j < n / 2; j++) {
				swap = g[j];
				g[j] = g[n - 1 - j];
				g[n - 1 - j] = swap;
			}
		}
		for (j = 0; j < n; j++)
			taken[gi[j]] = 1;
		/*
		 * Runs in arrays already (a submission failed midway) keep
		 * their indexes, a part each; new ones are split at
		 * MaxArraySize.
		 */
		if (*g[0].sig != '\0')
			qsort(g, n, sizeof *g, scheduler_array_cmp);
		for (c = 0; c < n; c += m) {
			m = n - c < (size_t)p->sched->max_array ? n - c :
			    (size_t)p->sched->max_array;
			if (*g[0].sig != '\0')
				m = n;
			for (j = 0; j < m && *g[0].sig == '\0'; j++)
				g[c + j].index = (int)j;
			failed = 0;
			for (t = 0; t < dag->ntasks && !failed; t++) {
				jobs[order[t]] = g[c].tis[order[t]].job_id;
				if (strcmp(g[c].tis[order[t]].state,
				    "none") != 0)
					continue;
				if (!submit_allowed(p)) {
					failed = 1;
					break;
				}
				failed = scheduler_array_submit(p, dag, g + c,
				    m, order[t], throttle, jobs) != 0;
			}
		}
		free(g);
		free(gi);
	}
	for (i = 0; i < nruns; i++) {
		if (taken[i] < 0)
			taken[i] = 0;
		if (ar[i].r != NULL)
			store_ti_free_list(ar[i].tis, ar[i].ntis);
		free(ar[i].sig);
	}
	free(jobs);
	free(order);
	free(ar);
}

/*
 * Whether the upstream tasks of an array element still let it wait on them
 * in Slurm: each succeeded, or is in flight as its own element (aftercorr).
 * Otherwise *which is the first that does not.
 */
int
scheduler_array_upstream_holds(const struct task *task, struct ti *tis,
    size_t n, const char **which)
{
	struct ti	*up;
	size_t		 i;

	for (i = 0; task != NULL && i < task->nafter; i++) {
		up = submit_find_ti(tis, n, task->after[i]);
		if (up == NULL || strcmp(up->state, "removed") == 0 ||
		    strcmp(up->state, "success") == 0)
			continue;
		if (up->array_name != NULL &&
		    (strcmp(up->state, "scheduled") == 0 ||
		    strcmp(up->state, "queued") == 0 ||
		    strcmp(up->state, "running") == 0))
			continue;
		*which = up->task_id;
		return (0);
	}
	return (1);
}

/*
 * Take an array element back from Slurm: its upstream failed or is to be
 * tried again on its own, so the aftercorr it waits on will never hold. It
 * never ran its payload (the wrapper checks the upstream markers), so the
 * try is not counted: the task waits again, and runs as a job of its own.
 */
void
scheduler_array_take_back(struct pass *p, const struct run *r, struct ti *ti,
    const char *why)
{
	char	*cause;

	if (ti->job_id != 0 && strcmp(ti->state, "scheduled") != 0 &&
	    cluster_cancel(ti->job_id, ti->array_index, &cause) != 0) {
		log_info("%s %s: %s", r->run_id, ti->task_id, cause);
		free(cause);
	}
	log_info("%s %s: element %d of array job %lld taken back: %s",
	    r->run_id, ti->task_id, ti->array_index, (long long)ti->job_id,
	    why);
	ti->try_number--;
	submit_set(&ti->state, "none");
	submit_set(&ti->reason, NULL);
	submit_set(&ti->array_name, NULL);
	submit_set(&ti->node, NULL);
	ti->array_index = -1;
	ti->element_job_id = 0;
	ti->job_id = 0;
	ti->has_exit_code = 0;
	ti->queued_at = ti->start_date = ti->end_date = 0;
	if (store_ti_update(p->st, ti) != 0)
		log_warnx("database: %s", store_error(p->st));
}
