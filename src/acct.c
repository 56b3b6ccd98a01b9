/* Figures and final states of jobs from accounting (slurmdbd). */

/*
 * Without accounting, a try's figures are what GNU time in the job wrapper
 * measured: only the processes the batch script waits on, so a task whose
 * work runs under srun reports the srun client. Where the cluster keeps
 * accounting in slurmdbd, the figures of every step are there: each
 * finished try is queued (acct_pending), and each pass asks slurmdbd about
 * all queued jobs in one query; a job's figures replace the wrapper's once
 * accounting has its end (slurmctld sends it a moment after the job ends).
 * A job accounting never shows within ACCT_PATIENCE keeps the wrapper's.
 */

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "acct.h"

#define ACCT_PATIENCE	600	/* seconds */
#define ACCT_BATCH	200	/* jobs asked about in one pass */
#define ACCT_BACKOFF	30	/* s after slurmdbd did not answer */

/* When slurmdbd may be asked again after it did not answer; 0: now. */
static int64_t	acct_retry_at;

/* A finished try: ask accounting about its job from the next pass on. */
void
acct_queue(struct pass *p, const struct ti *ti)
{
	char	*cause = NULL;

	if (ti->job_id <= 0)
		return;
	if (cluster_acct_enabled(&cause) != 1) {
		free(cause);
		return;
	}
	if (store_acct_queue(p->st, ti, p->now) != 0)
		log_warnx("database: %s", store_error(p->st));
	if (p->wake == 0 || p->wake > p->now + 2)
		p->wake = p->now + 2;
}

static void
acct_add(struct store_metric **m, size_t *n, const char *key, double v)
{
	*m = xreallocarray(*m, *n + 1, sizeof **m);
	(*m)[*n].task_id = NULL;
	(*m)[*n].key = xstrdup(key);
	(*m)[(*n)++].value = v;
}

/*
 * "cancelled by USER" for a job cancelled at someone's request (a uid
 * without a name is written as a number), allocated; NULL if it was not.
 */
char *
acct_cancelled_by(const struct cluster_acct_job *aj)
{
	struct passwd	*pw;
	char		*reason;

	if (!aj->found || aj->cancelled_uid < 0)
		return (NULL);
	if ((pw = getpwuid((uid_t)aj->cancelled_uid)) != NULL)
		xasprintf(&reason, "cancelled by %s", pw->pw_name);
	else
		xasprintf(&reason, "cancelled by uid %lld",
		    (long long)aj->cancelled_uid);
	return (reason);
}

/* Record one job's figures and steps for its try. */
static void
acct_record(struct pass *p, const struct store_acct_pending *a,
    const struct cluster_acct_job *aj)
{
	struct store_metric	*m = NULL;
	struct store_step	*s;
	size_t			 nm = 0, i;
	char			*who;

	acct_add(&m, &nm, "job_elapsed_s", (double)aj->elapsed);
	acct_add(&m, &nm, "job_user_s", aj->user_s);
	acct_add(&m, &nm, "job_system_s", aj->system_s);
	acct_add(&m, &nm, "job_cpu_s", aj->user_s + aj->system_s);
	if (aj->max_rss_kb >= 0)
		acct_add(&m, &nm, "job_max_rss_kb", (double)aj->max_rss_kb);
	if (aj->max_vmsize_kb >= 0)
		acct_add(&m, &nm, "job_max_vmsize_kb",
		    (double)aj->max_vmsize_kb);
	acct_add(&m, &nm, "job_gpus", aj->gpus);
	s = xcalloc(aj->nsteps + 1, sizeof *s);
	for (i = 0; i < aj->nsteps; i++) {
		s[i].step = aj->steps[i].step;
		s[i].state = aj->steps[i].state;
		s[i].exit_code = aj->steps[i].exit_code;
		s[i].nodes = aj->steps[i].nodes;
		s[i].elapsed_s = aj->steps[i].elapsed;
		s[i].cpu_s = aj->steps[i].cpu_s;
		s[i].max_rss_kb = aj->steps[i].max_rss_kb;
		s[i].max_vmsize_kb = aj->steps[i].max_vmsize_kb;
		s[i].tres = aj->steps[i].tres;
	}
	if ((who = acct_cancelled_by(aj)) != NULL &&
	    store_acct_cancelled(p->st, a, who) != 0)
		log_warnx("database: %s", store_error(p->st));
	free(who);
	if (store_acct_record(p->st, a, m, nm, s, aj->nsteps) != 0)
		log_warnx("database: %s", store_error(p->st));
	else if (a->array_index >= 0)
		log_info("%s: figures of job %lld_%d from accounting",
		    a->task_id, (long long)a->job_id, a->array_index);
	else
		log_info("%s: figures of job %lld from accounting",
		    a->task_id, (long long)a->job_id);
	free(s);
	store_record_free_metrics(m, nm);
}

/* Each pass: the figures of the finished tries accounting now has. */
void
acct_pass(struct pass *p)
{
	struct store_acct_pending	*list;
	struct cluster_acct_job		*jobs;
	size_t				 n, total, i, left = 0;
	char				*cause = NULL;

	if (!p->slurm_ok || p->now < acct_retry_at)
		return;
	if (store_acct_pending(p->st, &list, &n) != 0) {
		log_warnx("database: %s", store_error(p->st));
		return;
	}
	if ((total = n) == 0) {
		free(list);
		return;
	}
	if (n > ACCT_BATCH) {
		left = n - ACCT_BATCH;
		n = ACCT_BATCH;
	}
	jobs = xcalloc(n, sizeof *jobs);
	for (i = 0; i < n; i++) {
		jobs[i].job_id = list[i].job_id;
		jobs[i].array_index = list[i].array_index;
	}
	if (cluster_acct_jobs(jobs, n, &cause) != 0) {
		log_warnx("accounting: %s; asking again in %d seconds", cause,
		    ACCT_BACKOFF);
		acct_retry_at = p->now + ACCT_BACKOFF;
		left = 0;
	} else
		acct_retry_at = 0;
	for (i = 0; i < n && cause == NULL; i++) {
		log_debug("accounting: job %lld (%d): %s, %s",
		    (long long)jobs[i].job_id, jobs[i].array_index,
		    jobs[i].found ? "found" : "not found",
		    jobs[i].done ? "ended" : "not ended");
		if (jobs[i].found && jobs[i].done)
			acct_record(p, &list[i], &jobs[i]);
		else if (p->now - list[i].since > ACCT_PATIENCE) {
			log_info("%s: job %lld not in accounting: the "
			    "wrapper's figures stay", list[i].task_id,
			    (long long)list[i].job_id);
			if (store_acct_drop(p->st, &list[i]) != 0)
				log_warnx("database: %s", store_error(p->st));
		} else
			left++;
	}
	if (acct_retry_at != 0 && (p->wake == 0 || p->wake > acct_retry_at))
		p->wake = acct_retry_at;
	else if (left > 0 && (p->wake == 0 || p->wake > p->now + 2))
		p->wake = p->now + 2;
	free(cause);
	cluster_acct_jobs_clear(jobs, n);
	free(jobs);
	store_acct_free_pending(list, total);
}

/*
 * A job Slurm has forgotten, with no marker: what accounting says of it.
 * 1 when accounting has it ended (aj filled; clear it after), else 0.
 */
int
acct_final(struct pass *p, const struct ti *ti, struct cluster_acct_job *aj)
{
	char	*cause = NULL;

	(void)p;
	memset(aj, 0, sizeof *aj);
	aj->job_id = ti->job_id;
	aj->array_index = ti->array_index;
	if (ti->job_id <= 0 || cluster_acct_enabled(&cause) != 1) {
		free(cause);
		return (0);
	}
	if (cluster_acct_jobs(aj, 1, &cause) != 0) {
		log_warnx("accounting: %s", cause);
		free(cause);
		return (0);
	}
	if (aj->found && aj->done)
		return (1);
	cluster_acct_jobs_clear(aj, 1);
	return (0);
}
