/* A stand-in for src/cluster.c: recorded job states, no Slurm. */

/*
 * Every cluster_* function of src/cluster.h, answering from a table the
 * test writes: a job submitted becomes PENDING under its name, and the
 * test moves it on (running, completed, failed with an exit code, timed
 * out, or purged as Slurm does after MinJobAge), as the controller would.
 */

#include <stdlib.h>
#include <string.h>

#include "cluster-stub.h"

struct stub stub;
static struct cluster_job	*stub_jobs;
static size_t			 stub_njobs;
static unsigned long		 stub_rpcs, stub_submits;

static char *
stub_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
stub_job_clear(struct cluster_job *j)
{
	free(j->name);
	free(j->state);
	free(j->node);
	free(j->partition);
	free(j->array_tasks);
}

/* Forget every job and request; job ids start at 1000. */
void
stub_reset(void)
{
	size_t	i;

	for (i = 0; i < stub_njobs; i++)
		stub_job_clear(&stub_jobs[i]);
	free(stub_jobs);
	stub_jobs = NULL;
	stub_njobs = 0;
	for (i = 0; i < stub.nrequests; i++) {
		free(stub.requests[i].name);
		free(stub.requests[i].partition);
		free(stub.requests[i].array);
		free(stub.requests[i].dependency);
	}
	free(stub.requests);
	free(stub.cancelled);
	memset(&stub, 0, sizeof stub);
	stub.next_id = 1000;
	stub_rpcs = stub_submits = 0;
}

/* The recorded job with this id, or NULL. */
struct cluster_job *
stub_job(int64_t id)
{
	size_t	i;

	for (i = 0; i < stub_njobs; i++) {
		if (stub_jobs[i].job_id == id)
			return (&stub_jobs[i]);
	}
	return (NULL);
}

/* The job started on node. */
void
stub_run(int64_t id, const char *node)
{
	struct cluster_job	*j = stub_job(id);

	j->phase = CLUSTER_RUNNING;
	free(j->state);
	j->state = xstrdup("RUNNING");
	free(j->node);
	j->node = xstrdup(node);
	j->start = 1;
}

/* The job ended in Slurm's state, COMPLETED or FAILED (exit code). */
void
stub_end(int64_t id, const char *state, int has_exit_code, int exit_code)
{
	struct cluster_job	*j = stub_job(id);

	j->phase = CLUSTER_DONE;
	j->success = strcmp(state, "COMPLETED") == 0;
	j->has_exit_code = has_exit_code;
	j->exit_code = exit_code;
	free(j->state);
	j->state = xstrdup(state);
	j->end = 2;
}

/* The job ran past its time limit (minutes). */
void
stub_timeout(int64_t id, long minutes)
{
	struct cluster_job	*j = stub_job(id);

	stub_end(id, "TIMEOUT", 0, 0);
	j->time_limit = minutes;
}

/* Slurm forgot the job (MinJobAge). */
void
stub_purge(int64_t id)
{
	struct cluster_job	*j = stub_job(id);

	stub_job_clear(j);
	*j = stub_jobs[--stub_njobs];
}

const char *
cluster_library_version(void)
{
	return ("stub");
}

int
cluster_controller_version(char **version, char **cause)
{
	(void)cause;
	*version = xstrdup("stub");
	return (0);
}

int
cluster_same_series(const char *a, const char *b)
{
	return (strcmp(a, b) == 0);
}

/* One default partition, "cpu", without GPUs. */
int
cluster_partitions_load(struct cluster_partition **parts, size_t *n,
    char **cause)
{
	(void)cause;
	stub_rpcs++;
	*parts = xcalloc(1, sizeof **parts);
	(*parts)->name = xstrdup("cpu");
	(*parts)->is_default = 1;
	*n = 1;
	return (0);
}

void
cluster_partitions_free(struct cluster_partition *parts, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(parts[i].name);
	free(parts);
}

/* Record the request; when stub.submit_rc says so, a PENDING job. */
int
cluster_submit(const struct cluster_request *rq, int64_t *job_id,
    char **cause)
{
	struct stub_request	*r;
	struct cluster_job	*j;

	stub_rpcs++;
	stub_submits++;
	stub.requests = xreallocarray(stub.requests, stub.nrequests + 1,
	    sizeof *stub.requests);
	r = &stub.requests[stub.nrequests++];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(rq->name);
	r->partition = stub_dup(rq->res->partition);
	r->array = stub_dup(rq->array);
	r->dependency = stub_dup(rq->dependency);
	if (stub.submit_rc != CLUSTER_SUBMITTED) {
		*cause = xstrdup(stub.submit_cause);
		return (stub.submit_rc);
	}
	stub_jobs = xreallocarray(stub_jobs, stub_njobs + 1,
	    sizeof *stub_jobs);
	j = &stub_jobs[stub_njobs++];
	memset(j, 0, sizeof *j);
	j->job_id = r->job_id = *job_id = stub.next_id++;
	j->name = xstrdup(rq->name);
	j->phase = CLUSTER_PENDING;
	j->state = xstrdup("PENDING");
	j->partition = xstrdup(rq->res->partition != NULL ?
	    rq->res->partition : "cpu");
	j->array_task_id = -1;
	j->array_tasks = stub_dup(rq->array);
	if (rq->array != NULL)
		j->array_job_id = j->job_id;
	return (CLUSTER_SUBMITTED);
}

/* A copy of every recorded job, or -1 when stub.load_fails. */
int
cluster_jobs_load(struct cluster_job **jobs, size_t *n, char **cause)
{
	size_t	i;

	stub_rpcs++;
	if (stub.load_fails) {
		*cause = xstrdup("stub: Slurm does not answer");
		return (-1);
	}
	*jobs = xcalloc(stub_njobs + 1, sizeof **jobs);
	for (i = 0; i < stub_njobs; i++) {
		(*jobs)[i] = stub_jobs[i];
		(*jobs)[i].name = stub_dup(stub_jobs[i].name);
		(*jobs)[i].state = stub_dup(stub_jobs[i].state);
		(*jobs)[i].node = stub_dup(stub_jobs[i].node);
		(*jobs)[i].partition = stub_dup(stub_jobs[i].partition);
		(*jobs)[i].array_tasks = stub_dup(stub_jobs[i].array_tasks);
	}
	*n = stub_njobs;
	return (0);
}

void
cluster_jobs_free(struct cluster_job *jobs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		stub_job_clear(&jobs[i]);
	free(jobs);
}

/* Record the cancel; the job ends CANCELLED. */
int
cluster_cancel(int64_t job_id, int array_index, char **cause)
{
	(void)array_index;
	(void)cause;
	stub_rpcs++;
	stub.cancelled = xreallocarray(stub.cancelled, stub.ncancelled + 1,
	    sizeof *stub.cancelled);
	stub.cancelled[stub.ncancelled++] = job_id;
	if (stub_job(job_id) != NULL)
		stub_end(job_id, "CANCELLED", 0, 0);
	return (0);
}

int
cluster_max_array_size(long *size, char **cause)
{
	(void)cause;
	*size = 1001;
	return (0);
}

/* Whether index is among tasks ("0-3,7%2"): ranges and single indexes. */
int
cluster_array_has(const char *tasks, int index)
{
	const char	*p = tasks;
	char		*end;
	long		 lo, hi;

	while (*p != '\0' && *p != '%') {
		lo = hi = strtol(p, &end, 10);
		if (end == p)
			return (0);
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (index >= lo && index <= hi)
			return (1);
		p = *end == ',' ? end + 1 : end;
	}
	return (0);
}

void
cluster_rpc_counts(unsigned long *rpcs, unsigned long *submits)
{
	*rpcs = stub_rpcs;
	*submits = stub_submits;
}
