/*
 * The one file that calls libslurm: submit, load job states, cancel,
 * partitions; and accounting (slurmdbd): job figures, associations, QOS.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>
#include <slurm/slurmdb.h>

#include "cluster.h"
#include "units.h"

/*
 * What differs between Slurm releases, decided so that this file compiles
 * against any release's headers whatever config.h says (a binary built on
 * one release and a header set of another must not meet in a silent
 * #if), and never by release number (26.05 changed in a patch release):
 *
 * - slurm_get_errno() (gone in 24.11) only ever returned errno: errno.
 * - slurm_free_ctl_conf() became slurm_free_conf() in 26.05: both are
 *   declared weak, and the one the libslurm at hand has is called.
 * - 25.11's submit response carries a slurm_step_id_t (step_id.job_id),
 *   and its headers brought SLURM_STEP_ID_INITIALIZER with it.
 * - Error numbers by value (cluster_error_kind): they cross the wire, so
 *   they keep their numbers while their names come and go.
 */
#define cluster_errno()		errno
extern void	slurm_free_ctl_conf(slurm_conf_t *) __attribute__((weak));
extern void	slurm_free_conf(slurm_conf_t *) __attribute__((weak));
#ifdef SLURM_STEP_ID_INITIALIZER
#define cluster_resp_job_id(r)	((r)->step_id.job_id)	/* 25.11 on */
#else
#define cluster_resp_job_id(r)	((r)->job_id)
#endif
/* 2007: ESLURM_ERROR_ON_DESC_TO_RECORD_COPY, ESLURM_MAX_JOB_COUNT (26.05.2) */
#define CLUSTER_ERR_2007		2007
#define CLUSTER_ERR_HARD_DROP		1805	/* 24.05 on */

/* Free what slurm_load_ctl_conf() gave, by the name this libslurm has. */
static void
cluster_free_conf(slurm_conf_t *conf)
{
	if (slurm_free_conf != NULL)
		slurm_free_conf(conf);
	else if (slurm_free_ctl_conf != NULL)
		slurm_free_ctl_conf(conf);
}

/* Base job states by number, as Slurm's own tools print them. */
static const char *cluster_state_names[] = {
	[JOB_PENDING] = "PENDING",
	[JOB_RUNNING] = "RUNNING",
	[JOB_SUSPENDED] = "SUSPENDED",
	[JOB_COMPLETE] = "COMPLETED",
	[JOB_CANCELLED] = "CANCELLED",
	[JOB_FAILED] = "FAILED",
	[JOB_TIMEOUT] = "TIMEOUT",
	[JOB_NODE_FAIL] = "NODE_FAIL",
	[JOB_PREEMPTED] = "PREEMPTED",
	[JOB_BOOT_FAIL] = "BOOT_FAIL",
	[JOB_DEADLINE] = "DEADLINE",
	[JOB_OOM] = "OUT_OF_MEMORY",
};

/*
 * Pending reasons that hold a job until a person acts (a partition or node
 * down or drained, a hold), by Slurm's own names; the everyday ones
 * (Priority, Resources, BeginTime) are not worth a line in `tasks`.
 */
static const struct {
	unsigned int	 reason;	/* uint16_t, uint32_t in 26.05 */
	const char	*name;
} cluster_wait_reasons[] = {
	{ WAIT_PART_DOWN, "PartitionDown" },
	{ WAIT_PART_INACTIVE, "PartitionInactive" },
	{ WAIT_NODE_NOT_AVAIL, "ReqNodeNotAvail" },
	{ WAIT_HELD, "JobHeldAdmin" },
	{ WAIT_HELD_USER, "JobHeldUser" },
	{ FAIL_DOWN_PARTITION, "PartitionDown" },
	{ FAIL_DOWN_NODE, "NodeDown" },
	{ WAIT_PART_NODE_LIMIT, "PartitionNodeLimit" },
	{ WAIT_PART_TIME_LIMIT, "PartitionTimeLimit" },
};

static int	cluster_ready;

/* Requests sent to the controller, all of them and submissions. */
static unsigned long	cluster_rpcs, cluster_submits;

void
cluster_rpc_counts(unsigned long *all, unsigned long *submits)
{
	*all = cluster_rpcs;
	*submits = cluster_submits;
}

/*
 * libslurm reads slurm.conf once, before the first call; and where it finds
 * none it exits the process ("fatal: Could not establish a configuration
 * source"). So look first: SLURM_CONF, the default file, or the copy a
 * configless slurmd keeps. Without one, Slurm is simply not reachable.
 */
static int
cluster_start(char **cause)
{
	static const char	*defaults[] = {
		"/etc/slurm/slurm.conf", "/run/slurm/conf/slurm.conf",
		"/var/spool/slurmd/conf-cache/slurm.conf", NULL
	};
	const char		*conf;
	size_t			 i;

	if (cluster_ready)
		return (0);
	if ((conf = getenv("SLURM_CONF")) != NULL && *conf != '\0') {
		if (access(conf, R_OK) != 0) {
			xasprintf(cause, "cannot read Slurm configuration "
			    "'%s' (SLURM_CONF): %s", conf, strerror(errno));
			return (-1);
		}
	} else {
		for (i = 0; defaults[i] != NULL; i++) {
			if (access(defaults[i], R_OK) == 0)
				break;
		}
		if (defaults[i] == NULL) {
			xasprintf(cause, "no Slurm configuration: set "
			    "SLURM_CONF or install /etc/slurm/slurm.conf");
			return (-1);
		}
	}
	/*
	 * Pending array elements come as a string ("0-3,5,9-11"), which
	 * libslurm cuts at 64 bytes ("0,2,4,...") unless told otherwise: 0
	 * means whole, so that no pending element ever looks absent.
	 */
	setenv("SLURM_BITSTR_LEN", "0", 1);
	slurm_init(NULL);
	cluster_ready = 1;
	return (0);
}

/* The libslurm we were built against, from its header: no library call. */
const char *
cluster_library_version(void)
{
	static char	buf[32];

	snprintf(buf, sizeof buf, "%d.%02d.%d",
	    SLURM_VERSION_MAJOR(SLURM_VERSION_NUMBER),
	    SLURM_VERSION_MINOR(SLURM_VERSION_NUMBER),
	    SLURM_VERSION_MICRO(SLURM_VERSION_NUMBER));
	return (buf);
}

/*
 * What a refused submission means. CLUSTER_LATER: the controller did not
 * answer (an outage). CLUSTER_BUSY: it answered, and is full or holds us to
 * a limit that clears as jobs end: MaxJobCount (EAGAIN up to 26.05.1,
 * ESLURM_MAX_JOB_COUNT, 2007, from 26.05.2; 2007 was a record-copy failure
 * before), its RPC rate limit (SLURMCTLD_COMMUNICATIONS_HARD_DROP, 24.05
 * on), association and QOS limits (MaxSubmitJobs, MaxJobs, GrpJobs...).
 * Anything else: CLUSTER_REJECTED, the job will never be accepted as asked.
 */
static int
cluster_error_kind(int err)
{
	switch (err) {
	case SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT:
	case SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR:
	case SLURMCTLD_COMMUNICATIONS_SEND_ERROR:
	case SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR:
	case SLURMCTLD_COMMUNICATIONS_SHUTDOWN_ERROR:
	case SLURM_PROTOCOL_AUTHENTICATION_ERROR:
	case ESLURM_IN_STANDBY_MODE:
	case ETIMEDOUT:
	case ECONNREFUSED:
		return (CLUSTER_LATER);
	case EAGAIN:
	case CLUSTER_ERR_2007:
	case CLUSTER_ERR_HARD_DROP:
	case ESLURM_ACCOUNTING_POLICY:
	case ESLURM_QOS_THRES:
	case ESLURM_NOT_TOP_PRIORITY:
	case ESLURM_PORTS_BUSY:
	case ESLURM_NODES_BUSY:
		return (CLUSTER_BUSY);
	}
	return (CLUSTER_REJECTED);
}

/*
 * Whether an association or QOS limit, as the controller names it
 * ("QOSMaxWallDurationPerJobLimit", "AssocMaxSubmitJobLimit"), bounds one
 * job (a time, a size per job or per node, a minimum, a QOS not allowed)
 * rather than what is queued or running at once.
 */
static int
cluster_limit_never_clears(const char *reason)
{
	return (strstr(reason, "PerJob") != NULL ||
	    strstr(reason, "PerNode") != NULL ||
	    strstr(reason, "QOSMin") != NULL ||
	    strstr(reason, "QOSNotAllowed") != NULL);
}

/*
 * What the controller says with a refusal (which limit was hit) libslurm
 * only prints to standard error: catch it there, in a file kept open for
 * the purpose, for the length of one call.
 */
static FILE	*cluster_said;
static int	 cluster_said_fd = -1;

static void
cluster_said_begin(void)
{
	fflush(stderr);
	if (cluster_said == NULL && (cluster_said = tmpfile()) == NULL)
		return;
	if (ftruncate(fileno(cluster_said), 0) != 0 ||
	    (cluster_said_fd = dup(STDERR_FILENO)) == -1)
		return;
	if (dup2(fileno(cluster_said), STDERR_FILENO) == -1) {
		close(cluster_said_fd);
		cluster_said_fd = -1;
	}
}

/* Put standard error back; what was caught, or NULL. */
static char *
cluster_said_end(void)
{
	char	*text;
	long	 len;

	if (cluster_said_fd == -1)
		return (NULL);
	fflush(stderr);
	dup2(cluster_said_fd, STDERR_FILENO);
	close(cluster_said_fd);
	cluster_said_fd = -1;
	if ((len = ftell(cluster_said)) <= 0)
		return (NULL);
	text = xcalloc(1, (size_t)len + 1);
	rewind(cluster_said);
	len = (long)fread(text, 1, (size_t)len, cluster_said);
	text[len] = '\0';
	rewind(cluster_said);
	return (text);
}

/*
 * The controller's reason in what libslurm printed: its last line, less
 * the "error: " in front ("updraft: error: AssocMaxSubmitJobLimit").
 */
static char *
cluster_said_reason(const char *text)
{
	const char	*p, *line = text;
	size_t		 len;

	for (p = text; *p != '\0'; p++) {
		if (p[0] == '\n' && p[1] != '\0')
			line = p + 1;
	}
	len = strcspn(line, "\n");
	while ((p = strstr(line, "error: ")) != NULL && p < line + len) {
		len -= (size_t)(p + 7 - line);
		line = p + 7;
	}
	return (xstrndup(line, len));
}

/* Our RES_MAIL_* bits and Slurm's. */
static const struct {
	int		 ours;
	uint16_t	 slurm;
} slurm_mail_bits[] = {
	{ RES_MAIL_BEGIN, MAIL_JOB_BEGIN },
	{ RES_MAIL_END, MAIL_JOB_END },
	{ RES_MAIL_FAIL, MAIL_JOB_FAIL },
	{ RES_MAIL_REQUEUE, MAIL_JOB_REQUEUE },
	{ RES_MAIL_TIME100, MAIL_JOB_TIME100 },
	{ RES_MAIL_TIME90, MAIL_JOB_TIME90 },
	{ RES_MAIL_TIME80, MAIL_JOB_TIME80 },
	{ RES_MAIL_TIME50, MAIL_JOB_TIME50 },
	{ RES_MAIL_STAGE_OUT, MAIL_JOB_STAGE_OUT },
	{ RES_MAIL_INVALID_DEPEND, MAIL_INVALID_DEPEND },
};

/*
 * Tasks, CPUs and nodes as sbatch derives them: the job's minimum CPU count
 * is its tasks times the CPUs of each (tasks being --ntasks, or nodes times
 * --ntasks-per-node, or 1), and --nodes=N is both the least and the most
 * nodes, never more than there are tasks. Without min_cpus the controller
 * gives the job one CPU, whatever its tasks.
 */
static void
cluster_apply_counts(job_desc_msg_t *d, const struct resources *res)
{
	uint32_t	ntasks = 1;

	if (res->ntasks > 0) {
		ntasks = (uint32_t)res->ntasks;
		d->num_tasks = ntasks;
		d->bitflags |= JOB_NTASKS_SET;
	} else if (res->ntasks_per_node > 0 && res->nodes > 0)
		ntasks = (uint32_t)res->nodes * (uint32_t)res->ntasks_per_node;
	if (res->cpus_per_task > 0) {
		d->cpus_per_task = (uint16_t)res->cpus_per_task;
		d->bitflags |= JOB_CPUS_SET;
		d->min_cpus = ntasks * (uint32_t)res->cpus_per_task;
	} else
		d->min_cpus = ntasks;
	if (res->ntasks_per_node > 0)
		d->ntasks_per_node = (uint16_t)res->ntasks_per_node;
	if (res->nodes > 0) {
		d->min_nodes = d->max_nodes = (uint32_t)res->nodes;
		if (res->ntasks > 0 && (uint32_t)res->ntasks < d->max_nodes)
			d->min_nodes = d->max_nodes = (uint32_t)res->ntasks;
	}
}

/*
 * Put a task's resources into d as sbatch would. GPUs and gres are TRES
 * strings ("gres:gpu:2"): --gpus per job, --gres and --gpus-per-node per
 * node, --gpus-per-task per task, --mem-per-gpu and --cpus-per-gpu per gpu.
 * The strings we make share one allocation, left in *owned for the caller
 * to free once the job is submitted.
 */
static void
cluster_apply_resources(job_desc_msg_t *d, const struct resources *res,
    char **owned)
{
	const char	*g;
	char		*node, *job, *task, *mem, *cpus;
	size_t		 seg, len, i;

	/*
	 * Five strings: a count is short; the gres list grows by "gres:" per
	 * element: at most 3.5 times as long, plus 3 ("a,b" is 3, then 13).
	 */
	seg = 64 + (res->gres != NULL ? 4 * strlen(res->gres) : 0);
	*owned = xcalloc(5, seg);
	node = *owned;
	job = node + seg;
	task = job + seg;
	mem = task + seg;
	cpus = mem + seg;

	if (res->partition != NULL)
		d->partition = res->partition;
	if (res->account != NULL)
		d->account = res->account;
	if (res->qos != NULL)
		d->qos = res->qos;
	if (res->constraint != NULL)
		d->features = res->constraint;
	if (res->gres != NULL) {
		/* sbatch --gres=gpu:1,mps:10: "gres:" before each. */
		for (g = res->gres, len = 0; *g != '\0'; ) {
			if (strncmp(g, "gres:", 5) != 0 &&
			    strncmp(g, "gres/", 5) != 0)
				len += snprintf(node + len, seg - len, "gres:");
			i = strcspn(g, ",");
			len += snprintf(node + len, seg - len, "%.*s%s",
			    (int)i, g, g[i] == ',' ? "," : "");
			g += i + (g[i] == ',');
		}
	}
	if (res->gpus_per_node > 0) {
		snprintf(node + strlen(node), seg - strlen(node),
		    "%sgres:gpu:%d", *node != '\0' ? "," : "",
		    res->gpus_per_node);
	}
	if (*node != '\0')
		d->tres_per_node = node;
	if (res->gpus > 0) {
		snprintf(job, seg, "gres:gpu:%d", res->gpus);
		d->tres_per_job = job;
	}
#ifdef HAVE_SLURM_OPTION_UPDATE_TRES_PER_TASK
	/* As sbatch of this release writes them: "cpu=4,gres/gpu=1". */
	if (res->cpus_per_task > 0)
		snprintf(task, seg, "cpu=%d", res->cpus_per_task);
	if (res->gpus_per_task > 0)
		snprintf(task + strlen(task), seg - strlen(task),
		    "%sgres/gpu=%d", *task != '\0' ? "," : "",
		    res->gpus_per_task);
	if (*task != '\0')
		d->tres_per_task = task;
#else
	if (res->gpus_per_task > 0) {
		snprintf(task, seg, "gres:gpu:%d", res->gpus_per_task);
		d->tres_per_task = task;
	}
#endif
	if (res->mem_per_gpu_mb > 0) {
		snprintf(mem, seg, "gres:gpu:%ld", res->mem_per_gpu_mb);
		d->mem_per_tres = mem;
	}
	if (res->cpus_per_gpu > 0) {
		snprintf(cpus, seg, "gres:gpu:%d", res->cpus_per_gpu);
		d->cpus_per_tres = cpus;
	}
	if (res->time_limit == UNITS_UNLIMITED)
		d->time_limit = INFINITE;
	else if (res->time_limit > 0)
		d->time_limit = (uint32_t)res->time_limit;
	if (res->mem_mb > 0)
		d->pn_min_memory = (uint64_t)res->mem_mb;
	else if (res->mem_per_cpu_mb > 0)
		d->pn_min_memory = (uint64_t)res->mem_per_cpu_mb | MEM_PER_CPU;
	cluster_apply_counts(d, res);
	if (res->exclusive)
		d->shared = JOB_SHARED_NONE;
	if (res->reservation != NULL)
		d->reservation = res->reservation;
	if (res->licenses != NULL)
		d->licenses = res->licenses;
	if (res->comment != NULL)
		d->comment = res->comment;
	if (res->mail_user != NULL)
		d->mail_user = res->mail_user;
	if (res->mail_type != 0) {
		d->mail_type = 0;
		for (i = 0; i < sizeof slurm_mail_bits /
		    sizeof slurm_mail_bits[0]; i++) {
			if (res->mail_type & slurm_mail_bits[i].ours)
				d->mail_type |= slurm_mail_bits[i].slurm;
		}
	}
	if (res->nice != 0)
		d->nice = (uint32_t)((int64_t)NICE_OFFSET + res->nice);
	if (res->signal.num > 0) {
		d->warn_signal = (uint16_t)res->signal.num;
		d->warn_time = (uint16_t)res->signal.secs;
		if (res->signal.batch_only)
			d->warn_flags = KILL_JOB_BATCH;
	}
}

/*
 * Submit one batch job: CLUSTER_SUBMITTED with its id, CLUSTER_REJECTED when it
 * can never run as asked, CLUSTER_LATER when it may be accepted later; both
 * with a cause.
 */
int
cluster_submit(const struct cluster_request *rq, int64_t *job_id, char **cause)
{
	job_desc_msg_t		 d;
	submit_response_msg_t	*resp = NULL;
	char			*gpus, *said, *reason;
	size_t			 n;
	int			 err, rc, kind;

	if (cluster_start(cause) != 0)
		return (CLUSTER_LATER);
	slurm_init_job_desc_msg(&d);
	d.name = (char *)rq->name;
	d.script = (char *)rq->script;
	d.work_dir = (char *)rq->work_dir;
	d.std_out = (char *)rq->std_out;
	if (rq->begin > 0)
		d.begin_time = (time_t)rq->begin;
	if (rq->dependency != NULL)
		d.dependency = (char *)rq->dependency;
	if (rq->append)
		d.open_mode = OPEN_MODE_APPEND;
	if (rq->no_requeue)
		d.requeue = 0;
	d.user_id = getuid();
	d.group_id = getgid();
	for (n = 0; rq->env[n] != NULL; n++)
		;
	d.environment = rq->env;
	d.array_inx = (char *)rq->array;
	d.env_size = (uint32_t)n;
	cluster_apply_resources(&d, rq->res, &gpus);

	cluster_rpcs++;
	cluster_submits++;
	cluster_said_begin();
	rc = slurm_submit_batch_job(&d, &resp);
	err = cluster_errno();
	said = cluster_said_end();
	free(gpus);
	if (rc != SLURM_SUCCESS) {
		kind = cluster_error_kind(err);
		/*
		 * One error for every association or QOS limit: the
		 * controller's words say which. A limit on the job itself
		 * (its time above MaxWall) will never clear.
		 */
		if (err == ESLURM_ACCOUNTING_POLICY && said != NULL) {
			reason = cluster_said_reason(said);
			xasprintf(cause, "Slurm: %s: %s", slurm_strerror(err),
			    reason);
			if (cluster_limit_never_clears(reason))
				kind = CLUSTER_REJECTED;
			free(reason);
		} else {
			xasprintf(cause, "Slurm: %s", slurm_strerror(err));
			if (said != NULL)
				fputs(said, stderr);
		}
		free(said);
		return (kind);
	}
	if (said != NULL)
		fputs(said, stderr);	/* not ours to swallow */
	free(said);
	*job_id = cluster_resp_job_id(resp);
	slurm_free_submit_response_response_msg(resp);
	return (CLUSTER_SUBMITTED);
}

/*
 * Why a pending job waits, if it is for something a person must lift:
 * Slurm's name for it, or its details when it gives some (it does for
 * drained nodes: "Nodes required for job are DOWN, DRAINED or reserved
 * for jobs in higher priority partitions"); else NULL.
 */
static char *
cluster_wait_reason(const slurm_job_info_t *j)
{
	size_t	i;

	if (j->state_desc != NULL && *j->state_desc != '\0')
		return (xstrdup(j->state_desc));
	for (i = 0; i < sizeof cluster_wait_reasons /
	    sizeof cluster_wait_reasons[0]; i++) {
		if (cluster_wait_reasons[i].reason == j->state_reason)
			return (xstrdup(cluster_wait_reasons[i].name));
	}
	return (NULL);
}

/*
 * Load every job of this user in one RPC, never one per job. -1 with a
 * cause when the controller cannot be reached.
 */
int
cluster_jobs_load(struct cluster_job **jobs, size_t *n, char **cause)
{
	job_info_msg_t	*msg = NULL;
	slurm_job_info_t *j;
	struct cluster_job *sj;
	uint32_t	 i, base;

	*jobs = NULL;
	*n = 0;
	if (cluster_start(cause) != 0)
		return (-1);
	cluster_rpcs++;
	if (slurm_load_job_user(&msg, getuid(), SHOW_ALL) != SLURM_SUCCESS) {
		xasprintf(cause, "cannot load jobs from Slurm: %s",
		    slurm_strerror(cluster_errno()));
		return (-1);
	}
	*jobs = xcalloc(msg->record_count ? msg->record_count : 1,
	    sizeof **jobs);
	for (i = 0; i < msg->record_count; i++) {
		j = &msg->job_array[i];
		sj = &(*jobs)[(*n)++];
		sj->job_id = j->job_id;
		sj->name = xstrdup(j->name != NULL ? j->name : "");
		base = j->job_state & JOB_STATE_BASE;
		if (base == JOB_PENDING)
			sj->phase = CLUSTER_PENDING;
		else if (base == JOB_RUNNING || base == JOB_SUSPENDED)
			sj->phase = CLUSTER_RUNNING;
		else
			sj->phase = CLUSTER_DONE;
		sj->success = base == JOB_COMPLETE;
		sj->state = xstrdup(base < JOB_END &&
		    cluster_state_names[base] != NULL ?
		    cluster_state_names[base] : "UNKNOWN");
		/* exit_code is a wait(2) status. */
		if (sj->phase == CLUSTER_DONE && WIFEXITED(j->exit_code)) {
			sj->has_exit_code = 1;
			sj->exit_code = WEXITSTATUS(j->exit_code);
		} else if (sj->phase == CLUSTER_DONE &&
		    WIFSIGNALED(j->exit_code)) {
			sj->has_exit_code = 1;
			sj->exit_code = 128 + WTERMSIG(j->exit_code);
		}
		sj->node = j->nodes != NULL ? xstrdup(j->nodes) : NULL;
		sj->partition = j->partition != NULL ?
		    xstrdup(j->partition) : NULL;
		sj->start = sj->phase != CLUSTER_PENDING ? j->start_time : 0;
		sj->end = sj->phase == CLUSTER_DONE ? j->end_time : 0;
		sj->time_limit = j->time_limit == INFINITE ? 0 : j->time_limit;
		sj->array_task_id = -1;
		sj->restarts = j->restart_cnt;
		sj->preempted = j->preempt_time != 0;
		if (sj->phase == CLUSTER_PENDING)
			sj->wait_reason = cluster_wait_reason(j);
		if (j->array_job_id != 0 && j->array_job_id != NO_VAL) {
			sj->array_job_id = j->array_job_id;
			if (j->array_task_id != NO_VAL)
				sj->array_task_id = (int)j->array_task_id;
			else if (j->array_task_str != NULL)
				sj->array_tasks = xstrdup(j->array_task_str);
		}
	}
	slurm_free_job_info_msg(msg);
	return (0);
}

void
cluster_jobs_free(struct cluster_job *jobs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(jobs[i].name);
		free(jobs[i].state);
		free(jobs[i].node);
		free(jobs[i].partition);
		free(jobs[i].array_tasks);
		free(jobs[i].wait_reason);
	}
	free(jobs);
}

/* Cancel a job, or one element of a job array (index >= 0). */
int
cluster_cancel(int64_t job_id, int index, char **cause)
{
	char	id[48];

	if (cluster_start(cause) != 0)
		return (-1);
	if (index >= 0)
		snprintf(id, sizeof id, "%lld_%d", (long long)job_id, index);
	else
		snprintf(id, sizeof id, "%lld", (long long)job_id);
	cluster_rpcs++;
	if (slurm_kill_job2(id, SIGKILL, 0, NULL) != SLURM_SUCCESS) {
		xasprintf(cause, "cannot cancel job %s: %s", id,
		    slurm_strerror(cluster_errno()));
		return (-1);
	}
	return (0);
}

/* The controller's configuration: one RPC. 0, or -1 with a cause. */
static int
cluster_load_conf(slurm_conf_t **conf, char **cause)
{
	*conf = NULL;
	if (cluster_start(cause) != 0)
		return (-1);
	cluster_rpcs++;
	if (slurm_load_ctl_conf(0, conf) != SLURM_SUCCESS) {
		xasprintf(cause, "cannot load Slurm's configuration: %s",
		    slurm_strerror(cluster_errno()));
		return (-1);
	}
	return (0);
}

/*
 * The cluster's MaxArraySize: array indexes go from 0 to one less. One RPC.
 * UPDRAFT_TEST_MAX_ARRAY_SIZE stands in for it, for tests only.
 */
int
cluster_max_array_size(long *size, char **cause)
{
	slurm_conf_t	*conf;
	const char	*test;

	if ((test = getenv("UPDRAFT_TEST_MAX_ARRAY_SIZE")) != NULL &&
	    atol(test) > 0) {
		*size = atol(test);
		return (0);
	}
	if (cluster_load_conf(&conf, cause) != 0)
		return (-1);
	*size = (long)conf->max_array_sz;
	cluster_free_conf(conf);
	return (0);
}

/*
 * The release the controller runs ("24.11.7"), allocated, from its
 * configuration: one RPC. UPDRAFT_TEST_CONTROLLER_VERSION stands in for
 * it in tests, which have only one release at a time.
 */
int
cluster_controller_version(char **version, char **cause)
{
	slurm_conf_t	*conf;
	const char	*test;

	if ((test = getenv("UPDRAFT_TEST_CONTROLLER_VERSION")) != NULL &&
	    *test != '\0') {
		*version = xstrdup(test);
		return (0);
	}
	if (cluster_load_conf(&conf, cause) != 0)
		return (-1);
	*version = xstrdup(conf->version != NULL ? conf->version : "");
	cluster_free_conf(conf);
	return (0);
}

/*
 * Whether two releases ("24.11.7") are of one series ("24.11"): libslurm
 * speaks its own series' protocol and the two before it, and a client of
 * another series may not talk to the controller at all.
 */
int
cluster_same_series(const char *a, const char *b)
{
	size_t	la, lb;

	la = strcspn(a, ".");
	la += a[la] == '.' ? 1 + strcspn(a + la + 1, ".") : 0;
	lb = strcspn(b, ".");
	lb += b[lb] == '.' ? 1 + strcspn(b + lb + 1, ".") : 0;
	return (la == lb && strncmp(a, b, la) == 0);
}

/*
 * Whether a pending array's task string ("0-5,7,9-11:2%4") holds index.
 * A string cut short ("0,2,4,6,...", where SLURM_BITSTR_LEN was not
 * heeded) may hold any index above the last one it shows.
 */
int
cluster_array_has(const char *tasks, int index)
{
	const char	*p = tasks;
	char		*end;
	long		 lo = -1, hi, step;

	while (p != NULL && *p != '\0' && *p != '%') {
		if (strncmp(p, "...", 3) == 0)
			return (index > lo);
		lo = strtol(p, &end, 10);
		if (end == p)
			return (0);
		hi = lo;
		step = 1;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (*end == ':') {
				p = end + 1;
				step = strtol(p, &end, 10);
				if (step < 1)
					step = 1;
			}
		}
		if (index >= lo && index <= hi && (index - lo) % step == 0)
			return (1);
		p = *end == ',' ? end + 1 : end;
	}
	return (0);
}

/* Whether a node's GRES string offers GPUs ("gpu:2", "gpu:a100:4(S:0)"). */
static int
cluster_gres_has_gpu(const char *gres)
{
	const char	*p;

	for (p = gres; p != NULL && (p = strstr(p, "gpu")) != NULL; p += 3) {
		if ((p == gres || p[-1] == ',') && (p[3] == ':' ||
		    p[3] == '\0' || p[3] == ','))
			return (1);
	}
	return (0);
}

/* Add a GRES name (or name:type) to a partition's set, once. */
static void
cluster_gres_add(struct cluster_partition *sp, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < sp->ngres; i++) {
		if (strlen(sp->gres[i]) == len &&
		    strncmp(sp->gres[i], s, len) == 0)
			return;
	}
	sp->gres = xreallocarray(sp->gres, sp->ngres + 1, sizeof *sp->gres);
	sp->gres[sp->ngres++] = xstrndup(s, len);
}

/*
 * Add a node's GRES to its partition's: "gpu:2,nvme:1" or
 * "gpu:a100:4(S:0)" gives gpu, nvme, and gpu and gpu:a100.
 */
static void
cluster_gres_collect(struct cluster_partition *sp, const char *gres)
{
	char	*copy, *elem, *next, *type, *rest;

	if (gres == NULL)
		return;
	copy = xstrdup(gres);
	for (elem = copy; elem != NULL; elem = next) {
		if ((next = strchr(elem, ',')) != NULL)
			*next++ = '\0';
		elem[strcspn(elem, "(")] = '\0';	/* (S:0): sockets */
		if ((type = strchr(elem, ':')) != NULL)
			*type++ = '\0';
		if (*elem == '\0')
			continue;
		cluster_gres_add(sp, elem, strlen(elem));
		if (type == NULL)
			continue;
		if ((rest = strchr(type, ':')) != NULL)
			*rest = '\0';
		/* name:type[:count]; a type is not a number. */
		if (*type != '\0' && strspn(type, "0123456789") < strlen(type)) {
			type[-1] = ':';
			cluster_gres_add(sp, elem, strlen(elem));
		}
	}
	free(copy);
}

static char *
cluster_list_copy(const char *list)
{
	return (list != NULL && *list != '\0' ? xstrdup(list) : NULL);
}

/*
 * The partitions, whether each is the default and has nodes with GPUs: two
 * RPCs (partitions, nodes). -1 with a cause when Slurm does not answer.
 */
int
cluster_partitions_load(struct cluster_partition **parts, size_t *n,
    char **cause)
{
	partition_info_msg_t	*pm = NULL;
	node_info_msg_t		*nm = NULL;
	partition_info_t	*pi;
	struct cluster_partition	*sp;
	uint32_t		 i;
	int32_t			 k, j;

	*parts = NULL;
	*n = 0;
	if (cluster_start(cause) != 0)
		return (-1);
	cluster_rpcs += 2;
	if (slurm_load_partitions(0, &pm, SHOW_ALL) != SLURM_SUCCESS ||
	    slurm_load_node(0, &nm, SHOW_ALL) != SLURM_SUCCESS) {
		xasprintf(cause, "cannot load partitions from Slurm: %s",
		    slurm_strerror(cluster_errno()));
		if (pm != NULL)
			slurm_free_partition_info_msg(pm);
		return (-1);
	}
	*parts = xcalloc(pm->record_count + 1, sizeof **parts);
	for (i = 0; i < pm->record_count; i++) {
		pi = &pm->partition_array[i];
		sp = &(*parts)[(*n)++];
		sp->name = xstrdup(pi->name != NULL ? pi->name : "");
		sp->is_default = (pi->flags & PART_FLAG_DEFAULT) != 0;
		sp->allow_accounts = cluster_list_copy(pi->allow_accounts);
		sp->deny_accounts = cluster_list_copy(pi->deny_accounts);
		sp->allow_qos = cluster_list_copy(pi->allow_qos);
		sp->deny_qos = cluster_list_copy(pi->deny_qos);
		/* node_inx: pairs of indexes into the node table, then -1. */
		for (k = 0; pi->node_inx != NULL && pi->node_inx[k] >= 0;
		    k += 2) {
			for (j = pi->node_inx[k]; j <= pi->node_inx[k + 1] &&
			    (uint32_t)j < nm->record_count; j++) {
				if (cluster_gres_has_gpu(
				    nm->node_array[j].gres))
					sp->has_gpus = 1;
				cluster_gres_collect(sp, nm->node_array[j].gres);
			}
		}
	}
	slurm_free_partition_info_msg(pm);
	slurm_free_node_info_msg(nm);
	return (0);
}

void
cluster_partitions_free(struct cluster_partition *parts, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		free(parts[i].name);
		for (k = 0; k < parts[i].ngres; k++)
			free(parts[i].gres[k]);
		free(parts[i].gres);
		free(parts[i].allow_accounts);
		free(parts[i].deny_accounts);
		free(parts[i].allow_qos);
		free(parts[i].deny_qos);
	}
	free(parts);
}

/*
 * Accounting, through slurmdbd (the slurmdb_* calls of libslurm, as sacct
 * and sacctmgr use them). A cluster without slurmdbd has
 * AccountingStorageType other than accounting_storage/slurmdbd: then
 * nothing here is asked, and what the job wrapper measured stays.
 */
static int	 cluster_acct_known = -1;	/* -1: not asked yet */
static char	*cluster_acct_name;		/* ClusterName */

/* 1 when the cluster keeps accounting in slurmdbd, 0 not, -1 with a cause. */
int
cluster_acct_enabled(char **cause)
{
	slurm_conf_t	*conf;

	if (cluster_acct_known != -1)
		return (cluster_acct_known);
	if (cluster_load_conf(&conf, cause) != 0)
		return (-1);
	cluster_acct_known = conf->accounting_storage_type != NULL &&
	    strcmp(conf->accounting_storage_type,
	    "accounting_storage/slurmdbd") == 0;
	free(cluster_acct_name);
	cluster_acct_name = xstrdup(conf->cluster_name != NULL ?
	    conf->cluster_name : "");
	cluster_free_conf(conf);
	return (cluster_acct_known);
}

/* A connection to slurmdbd, or NULL with a cause (what libslurm said). */
static void *
cluster_acct_open(char **cause)
{
	void	*db;
	char	*said, *reason;

	cluster_rpcs++;
	cluster_said_begin();
	db = slurmdb_connection_get(NULL);
	said = cluster_said_end();
	if (db == NULL) {
		reason = said != NULL ? cluster_said_reason(said) : NULL;
		xasprintf(cause, "cannot reach slurmdbd: %s", reason != NULL ?
		    reason : slurm_strerror(cluster_errno()));
		free(reason);
	}
	free(said);
	return (db);
}

static void
cluster_acct_close(void *db)
{
	cluster_said_begin();
	slurmdb_connection_close(&db);
	free(cluster_said_end());
}

/* The TRES of the database by id ("gres/gpu" for 1001), for the names. */
struct cluster_tres {
	uint32_t	 id;
	char		*name;
};

static void
cluster_tres_load(void *db, struct cluster_tres **tres, size_t *n)
{
	slurmdb_tres_cond_t	 cond;
	slurmdb_tres_rec_t	*tr;
	void			*list, *it;

	*tres = NULL;
	*n = 0;
	memset(&cond, 0, sizeof cond);
	cluster_rpcs++;
	if ((list = slurmdb_tres_get(db, &cond)) == NULL)
		return;
	it = slurm_list_iterator_create(list);
	while ((tr = slurm_list_next(it)) != NULL) {
		*tres = xreallocarray(*tres, *n + 1, sizeof **tres);
		(*tres)[*n].id = tr->id;
		if (tr->name != NULL && *tr->name != '\0')
			xasprintf(&(*tres)[*n].name, "%s/%s", tr->type,
			    tr->name);
		else
			(*tres)[*n].name = xstrdup(tr->type != NULL ?
			    tr->type : "?");
		(*n)++;
	}
	slurm_list_iterator_destroy(it);
	slurm_list_destroy(list);
}

static void
cluster_tres_free(struct cluster_tres *tres, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(tres[i].name);
	free(tres);
}

static const char *
cluster_tres_name(const struct cluster_tres *tres, size_t n, uint32_t id)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (tres[i].id == id)
			return (tres[i].name);
	}
	return (NULL);
}

/* The value of TRES name in a "1=2,2=256,1001=1" string, or -1. */
static int64_t
cluster_tres_value(const struct cluster_tres *tres, size_t n,
    const char *str, const char *name)
{
	const char	*p, *tn;
	char		*end;
	unsigned long	 id;
	long long	 v;

	for (p = str; p != NULL && *p != '\0'; ) {
		id = strtoul(p, &end, 10);
		if (*end != '=')
			break;
		v = strtoll(end + 1, &end, 10);
		tn = cluster_tres_name(tres, n, (uint32_t)id);
		if (tn != NULL && strcmp(tn, name) == 0)
			return (v);
		p = *end == ',' ? end + 1 : NULL;
	}
	return (-1);
}

/* "1=2,2=256,4=1,1001=1" as "cpu=2,mem=256M,node=1,gres/gpu=1". */
static char *
cluster_tres_names(const struct cluster_tres *tres, size_t n,
    const char *str)
{
	const char	*p, *tn;
	char		*end, *out = NULL, *tmp;
	unsigned long	 id;
	long long	 v;

	for (p = str; p != NULL && *p != '\0'; ) {
		id = strtoul(p, &end, 10);
		if (*end != '=')
			break;
		v = strtoll(end + 1, &end, 10);
		if ((tn = cluster_tres_name(tres, n, (uint32_t)id)) != NULL) {
			xasprintf(&tmp, "%s%s%s=%lld%s", out != NULL ? out : "",
			    out != NULL ? "," : "", tn, v,
			    strcmp(tn, "mem") == 0 ? "M" : "");
			free(out);
			out = tmp;
		}
		p = *end == ',' ? end + 1 : NULL;
	}
	return (out);
}

static const char *
cluster_acct_state(uint32_t state)
{
	uint32_t	base = state & JOB_STATE_BASE;

	return (base < JOB_END && cluster_state_names[base] != NULL ?
	    cluster_state_names[base] : "UNKNOWN");
}

/* A wait(2) status as an exit code: 128 + the signal for a signal. */
static int
cluster_acct_exit(uint32_t status)
{
	if (WIFSIGNALED(status))
		return (128 + WTERMSIG(status));
	return (WEXITSTATUS(status));
}

/* One step's figures from its record. */
static void
cluster_acct_step(const struct cluster_tres *tres, size_t ntres,
    slurmdb_step_rec_t *sr, struct cluster_acct_step *st)
{
	int64_t	v;

	memset(st, 0, sizeof *st);
	switch (sr->step_id.step_id) {
	case SLURM_BATCH_SCRIPT:
		st->step = xstrdup("batch");
		break;
	case SLURM_EXTERN_CONT:
		st->step = xstrdup("extern");
		break;
	case SLURM_INTERACTIVE_STEP:
		st->step = xstrdup("interactive");
		break;
	default:
		xasprintf(&st->step, "%u", sr->step_id.step_id);
		break;
	}
	st->state = xstrdup(cluster_acct_state(sr->state));
	st->exit_code = cluster_acct_exit((uint32_t)sr->exitcode);
	st->nodes = sr->nodes != NULL ? xstrdup(sr->nodes) : NULL;
	st->elapsed = sr->elapsed;
	st->cpu_s = (double)sr->user_cpu_sec + sr->user_cpu_usec / 1e6 +
	    (double)sr->sys_cpu_sec + sr->sys_cpu_usec / 1e6;
	/* Usage of memory is in bytes. */
	v = cluster_tres_value(tres, ntres, sr->stats.tres_usage_in_max,
	    "mem");
	st->max_rss_kb = v >= 0 ? v / 1024 : -1;
	v = cluster_tres_value(tres, ntres, sr->stats.tres_usage_in_max,
	    "vmem");
	st->max_vmsize_kb = v >= 0 ? v / 1024 : -1;
	st->tres = cluster_tres_names(tres, ntres, sr->tres_alloc_str);
}

/* Fill aj from a job's record and its steps. */
static void
cluster_acct_fill(const struct cluster_tres *tres, size_t ntres,
    slurmdb_job_rec_t *jr, struct cluster_acct_job *aj)
{
	slurmdb_step_rec_t	*sr;
	struct cluster_acct_step *st;
	uint32_t		 base = jr->state & JOB_STATE_BASE;
	void			*it;
	int64_t			 v;

	cluster_acct_jobs_clear(aj, 1);
	aj->found = 1;
	aj->done = base != JOB_PENDING && base != JOB_RUNNING &&
	    base != JOB_SUSPENDED;
	aj->success = base == JOB_COMPLETE;
	aj->state = xstrdup(cluster_acct_state(jr->state));
	/* Only accounting keeps who asked: job info a client loads has not. */
	aj->cancelled_uid = base == JOB_CANCELLED && jr->requid != NO_VAL &&
	    jr->requid != (uint32_t)-1 ? (int64_t)jr->requid : -1;
	if (aj->done) {
		aj->has_exit_code = 1;
		aj->exit_code = cluster_acct_exit(jr->exitcode);
	}
	aj->nodes = jr->nodes != NULL ? xstrdup(jr->nodes) : NULL;
	aj->start = jr->start;
	aj->end = jr->end;
	aj->elapsed = jr->elapsed;
	aj->tres = cluster_tres_names(tres, ntres, jr->tres_alloc_str);
	v = cluster_tres_value(tres, ntres, jr->tres_alloc_str, "gres/gpu");
	aj->gpus = v > 0 ? (int)v : 0;
	aj->max_rss_kb = aj->max_vmsize_kb = -1;
	if (jr->steps == NULL)
		return;
	it = slurm_list_iterator_create(jr->steps);
	while ((sr = slurm_list_next(it)) != NULL) {
		aj->steps = xreallocarray(aj->steps, aj->nsteps + 1,
		    sizeof *aj->steps);
		st = &aj->steps[aj->nsteps++];
		cluster_acct_step(tres, ntres, sr, st);
		aj->user_s += (double)sr->user_cpu_sec +
		    sr->user_cpu_usec / 1e6;
		aj->system_s += (double)sr->sys_cpu_sec +
		    sr->sys_cpu_usec / 1e6;
		if (st->max_rss_kb > aj->max_rss_kb)
			aj->max_rss_kb = st->max_rss_kb;
		if (st->max_vmsize_kb > aj->max_vmsize_kb)
			aj->max_vmsize_kb = st->max_vmsize_kb;
	}
	slurm_list_iterator_destroy(it);
}

/*
 * What accounting recorded of each job asked for (job_id, and
 * array_index for an element of an array), all in one query: found is set
 * for those it has. 0, or -1 with a cause when slurmdbd does not answer.
 */
int
cluster_acct_jobs(struct cluster_acct_job *jobs, size_t n, char **cause)
{
	slurmdb_job_cond_t	 cond;
	slurm_selected_step_t	*sel;
	slurmdb_job_rec_t	*jr;
	struct cluster_tres	*tres;
	void			*db, *list, *it;
	size_t			 i, ntres;
	int			 index;

	if (n == 0)
		return (0);
	if (cluster_acct_enabled(cause) < 0)
		return (-1);
	if ((db = cluster_acct_open(cause)) == NULL)
		return (-1);
	cluster_tres_load(db, &tres, &ntres);
	memset(&cond, 0, sizeof cond);
	cond.flags = JOBCOND_FLAG_NO_TRUNC;
	/* 0 would ask for jobs whose flags are 0. */
	cond.db_flags = SLURMDB_JOB_FLAG_NOTSET;
	cond.cluster_list = slurm_list_create(NULL);
	slurm_list_append(cond.cluster_list, cluster_acct_name);
	cond.step_list = slurm_list_create(NULL);
	sel = xcalloc(n, sizeof *sel);
	for (i = 0; i < n; i++) {
		sel[i].step_id.job_id = (uint32_t)jobs[i].job_id;
		sel[i].step_id.step_id = NO_VAL;
		sel[i].step_id.step_het_comp = NO_VAL;
		sel[i].het_job_offset = NO_VAL;
		sel[i].array_task_id = jobs[i].array_index >= 0 ?
		    (uint32_t)jobs[i].array_index : NO_VAL;
		slurm_list_append(cond.step_list, &sel[i]);
	}
	cluster_rpcs++;
	cluster_said_begin();
	list = slurmdb_jobs_get(db, &cond);
	free(cluster_said_end());
	slurm_list_destroy(cond.step_list);
	slurm_list_destroy(cond.cluster_list);
	free(sel);
	if (list == NULL) {
		xasprintf(cause, "cannot load jobs from slurmdbd: %s",
		    slurm_strerror(cluster_errno()));
		cluster_tres_free(tres, ntres);
		cluster_acct_close(db);
		return (-1);
	}
	it = slurm_list_iterator_create(list);
	while ((jr = slurm_list_next(it)) != NULL) {
		index = jr->array_task_id != NO_VAL &&
		    jr->array_job_id != 0 ? (int)jr->array_task_id : -1;
		for (i = 0; i < n; i++) {
			if ((index >= 0 && jobs[i].array_index == index &&
			    jobs[i].job_id == jr->array_job_id) ||
			    (jobs[i].array_index < 0 &&
			    jobs[i].job_id == jr->jobid))
				cluster_acct_fill(tres, ntres, jr, &jobs[i]);
		}
	}
	slurm_list_iterator_destroy(it);
	slurm_list_destroy(list);
	cluster_tres_free(tres, ntres);
	cluster_acct_close(db);
	return (0);
}

/* Free what cluster_acct_jobs filled in; job_id and array_index stay. */
void
cluster_acct_jobs_clear(struct cluster_acct_job *jobs, size_t n)
{
	struct cluster_acct_job	*aj;
	size_t			 i, k;
	int64_t			 id;
	int			 index;

	for (i = 0; i < n; i++) {
		aj = &jobs[i];
		free(aj->state);
		free(aj->nodes);
		free(aj->tres);
		for (k = 0; k < aj->nsteps; k++) {
			free(aj->steps[k].step);
			free(aj->steps[k].state);
			free(aj->steps[k].nodes);
			free(aj->steps[k].tres);
		}
		free(aj->steps);
		id = aj->job_id;
		index = aj->array_index;
		memset(aj, 0, sizeof *aj);
		aj->job_id = id;
		aj->array_index = index;
	}
}

/* A limit of a QOS: INFINITE and NO_VAL mean none (0). */
static long
cluster_acct_limit(uint32_t v)
{
	return (v == INFINITE || v == NO_VAL ? 0 : (long)v);
}

static const char *
cluster_acct_qos_name(const struct cluster_acct *a, const char *id)
{
	size_t		i;
	long		n = strtol(id, NULL, 10);

	for (i = 0; i < a->nqos; i++) {
		if (a->qos[i].id == n)
			return (a->qos[i].name);
	}
	return (NULL);
}

/*
 * The cluster's associations and QOS from slurmdbd: 1, 0 when the cluster
 * keeps no accounting in slurmdbd, -1 with a cause.
 */
int
cluster_acct_load(struct cluster_acct **acct, char **cause)
{
	slurmdb_assoc_cond_t	 acond;
	slurmdb_qos_cond_t	 qcond;
	slurmdb_assoc_rec_t	*ar;
	slurmdb_qos_rec_t	*qr;
	struct cluster_acct	*a;
	struct cluster_acct_assoc *as;
	struct cluster_acct_qos	*q;
	struct cluster_tres	*tres;
	const char		*qn;
	char			*id;
	void			*db, *list, *it, *qit;
	size_t			 ntres;
	int			 rc;

	*acct = NULL;
	if ((rc = cluster_acct_enabled(cause)) <= 0)
		return (rc);
	if ((db = cluster_acct_open(cause)) == NULL)
		return (-1);
	cluster_tres_load(db, &tres, &ntres);
	a = xcalloc(1, sizeof *a);

	memset(&qcond, 0, sizeof qcond);
	cluster_rpcs++;
	if ((list = slurmdb_qos_get(db, &qcond)) == NULL)
		goto fail;
	it = slurm_list_iterator_create(list);
	while ((qr = slurm_list_next(it)) != NULL) {
		a->qos = xreallocarray(a->qos, a->nqos + 1, sizeof *a->qos);
		q = &a->qos[a->nqos++];
		q->name = xstrdup(qr->name != NULL ? qr->name : "");
		q->id = (long)qr->id;
		q->max_wall = cluster_acct_limit(qr->max_wall_pj);
		q->max_gpus_job = cluster_tres_value(tres, ntres,
		    qr->max_tres_pj, "gres/gpu");
		q->max_gpus_user = cluster_tres_value(tres, ntres,
		    qr->max_tres_pu, "gres/gpu");
	}
	slurm_list_iterator_destroy(it);
	slurm_list_destroy(list);

	memset(&acond, 0, sizeof acond);
	acond.cluster_list = slurm_list_create(NULL);
	slurm_list_append(acond.cluster_list, cluster_acct_name);
	cluster_rpcs++;
	list = slurmdb_associations_get(db, &acond);
	slurm_list_destroy(acond.cluster_list);
	if (list == NULL)
		goto fail;
	it = slurm_list_iterator_create(list);
	while ((ar = slurm_list_next(it)) != NULL) {
		a->assocs = xreallocarray(a->assocs, a->nassocs + 1,
		    sizeof *a->assocs);
		as = &a->assocs[a->nassocs++];
		memset(as, 0, sizeof *as);
		as->account = xstrdup(ar->acct != NULL ? ar->acct : "");
		if (ar->user != NULL && *ar->user != '\0')
			as->user = xstrdup(ar->user);
		if (ar->partition != NULL && *ar->partition != '\0')
			as->partition = xstrdup(ar->partition);
		as->is_default = ar->is_def == 1;
		if (ar->qos_list == NULL)
			continue;
		qit = slurm_list_iterator_create(ar->qos_list);
		while ((id = slurm_list_next(qit)) != NULL) {
			if ((qn = cluster_acct_qos_name(a, id)) == NULL)
				continue;
			as->qos = xreallocarray(as->qos, as->nqos + 1,
			    sizeof *as->qos);
			as->qos[as->nqos++] = xstrdup(qn);
		}
		slurm_list_iterator_destroy(qit);
	}
	slurm_list_iterator_destroy(it);
	slurm_list_destroy(list);
	cluster_tres_free(tres, ntres);
	cluster_acct_close(db);
	*acct = a;
	return (1);

fail:
	xasprintf(cause, "cannot load associations from slurmdbd: %s",
	    slurm_strerror(cluster_errno()));
	cluster_tres_free(tres, ntres);
	cluster_acct_close(db);
	cluster_acct_free(a);
	return (-1);
}

void
cluster_acct_free(struct cluster_acct *a)
{
	size_t	i, k;

	if (a == NULL)
		return;
	for (i = 0; i < a->nassocs; i++) {
		free(a->assocs[i].account);
		free(a->assocs[i].user);
		free(a->assocs[i].partition);
		for (k = 0; k < a->assocs[i].nqos; k++)
			free(a->assocs[i].qos[k]);
		free(a->assocs[i].qos);
	}
	free(a->assocs);
	for (i = 0; i < a->nqos; i++)
		free(a->qos[i].name);
	free(a->qos);
	free(a);
}
