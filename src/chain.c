/* The scheduler as a chain of Slurm jobs, each submitting the next. */

/*
 * How the chain stays exactly one chain. Every link is a batch job named
 * updraft-sched__SUFFIX (one name per state directory, see config.c) and
 * submitted with --dependency=singleton: Slurm starts no job of that name
 * and user while another one runs. A link, as soon as it starts and before
 * its first pass, submits its successor with --begin=now+EVERY, unless a
 * link other than itself is already pending; then it runs passes until
 * nothing is in flight and nothing falls due before EVERY has passed, or
 * until EVERY has passed. So whatever ends the running link (its own end,
 * scancel, SIGKILL, its node failing, its time limit), one link is left
 * pending, and singleton keeps that one from running beside its
 * predecessor. What breaks the chain is a link that dies in the moment
 * between starting and submitting, or a successor Slurm refuses: then no
 * link is pending or running, and `updraft status` says so.
 *
 * The chain's file (state_dir/scheduler-chain) keeps its settings, whether
 * it is on, and its latest links. It changes only under a flock on
 * scheduler-chain.lock, and `updraft stop` turns it off there before it
 * cancels, so a link starting meanwhile submits no successor.
 */

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "output.h"
#include "cluster.h"
#include "view.h"

extern char **environ;

/* What a link runs: this binary, told by the environment what to do. */
static const char chain_script[] =
	"#!/bin/sh\n"
	"# Updraft scheduler chain link: submit the next link, then passes.\n"
	"exec \"$UPDRAFT_SCHEDULER_BIN\" scheduler --in-slurm-job\n";

/* The chain's file, and the settings every link is submitted with. */
struct chain {
	int	 on;
	long	 every;		/* seconds */
	char	*qos;
	char	*account;
	char	*partition;
	int64_t	 started;	/* by `scheduler --in-slurm` */
	int64_t	 stopped;	/* by `updraft stop` */
	int64_t	 link_job;	/* the latest link that started */
	int64_t	 link_start;
	int64_t	 next_job;	/* the latest link submitted */
};

/* Submitting a successor: how often to try, and how long between tries. */
#define CHAIN_TRIES	3
#define CHAIN_RETRY_S	2

/* The Slurm job name of every link of this state directory's chain. */
char *
chain_name(const struct config *cfg)
{
	char	*name;

	xasprintf(&name, "updraft-sched__%s", cfg->job_suffix);
	return (name);
}

static char *
chain_path(const struct config *cfg, const char *leaf)
{
	char	*path;

	xasprintf(&path, "%s/%s", cfg->state_dir, leaf);
	return (path);
}

static void
chain_clear(struct chain *ch)
{
	free(ch->qos);
	free(ch->account);
	free(ch->partition);
	memset(ch, 0, sizeof *ch);
}

/* Read the chain's file: 0, 1 when there is none, -1 with a cause. */
static int
chain_read(const struct config *cfg, struct chain *ch, char **cause)
{
	FILE	*f;
	char	*path, *line = NULL, *v;
	size_t	 size = 0;
	ssize_t	 len;

	memset(ch, 0, sizeof *ch);
	path = chain_path(cfg, "scheduler-chain");
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT) {
			free(path);
			return (1);
		}
		xasprintf(cause, "cannot read '%s': %s", path,
		    strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	while ((len = getline(&line, &size, f)) != -1) {
		line[strcspn(line, "\n")] = '\0';
		if ((v = strchr(line, ' ')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "on") == 0)
			ch->on = atoi(v);
		else if (strcmp(line, "every") == 0)
			ch->every = atol(v);
		else if (strcmp(line, "qos") == 0 && *v != '\0')
			ch->qos = xstrdup(v);
		else if (strcmp(line, "account") == 0 && *v != '\0')
			ch->account = xstrdup(v);
		else if (strcmp(line, "partition") == 0 && *v != '\0')
			ch->partition = xstrdup(v);
		else if (strcmp(line, "started") == 0)
			ch->started = atoll(v);
		else if (strcmp(line, "stopped") == 0)
			ch->stopped = atoll(v);
		else if (strcmp(line, "link_job") == 0)
			ch->link_job = atoll(v);
		else if (strcmp(line, "link_start") == 0)
			ch->link_start = atoll(v);
		else if (strcmp(line, "next_job") == 0)
			ch->next_job = atoll(v);
	}
	free(line);
	fclose(f);
	if (ch->every < 1)
		ch->every = 300;
	return (0);
}

/* Write the chain's file whole, by rename: 0, or -1 with a cause. */
static int
chain_write(const struct config *cfg, const struct chain *ch, char **cause)
{
	FILE	*f;
	char	*path, *tmp;
	int	 rc = -1;

	path = chain_path(cfg, "scheduler-chain");
	xasprintf(&tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		xasprintf(cause, "cannot write '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	fprintf(f, "# updraft scheduler --in-slurm: the chain of scheduler "
	    "jobs\n");
	fprintf(f, "on %d\nevery %ld\nqos %s\naccount %s\npartition %s\n",
	    ch->on, ch->every, ch->qos != NULL ? ch->qos : "",
	    ch->account != NULL ? ch->account : "",
	    ch->partition != NULL ? ch->partition : "");
	fprintf(f, "started %lld\nstopped %lld\nlink_job %lld\nlink_start "
	    "%lld\nnext_job %lld\n", (long long)ch->started,
	    (long long)ch->stopped, (long long)ch->link_job,
	    (long long)ch->link_start, (long long)ch->next_job);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	return (rc);
}

/* Take the lock every change to the chain's file is made under. */
static int
chain_lock(const struct config *cfg, char **cause)
{
	char	*path;
	int	 fd;

	path = chain_path(cfg, "scheduler-chain.lock");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1 ||
	    flock(fd, LOCK_EX) != 0) {
		xasprintf(cause, "cannot lock '%s': %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	free(path);
	return (fd);
}

/* Whether a job is a link of the chain that is pending or running. */
static int
chain_is_live(const struct cluster_job *j, const char *name)
{
	return (j->phase != CLUSTER_DONE && strcmp(j->name, name) == 0);
}

/*
 * A link's environment: ours (as sbatch --export=ALL passes it), less
 * Updraft's own variables and what Slurm set for the job we may be
 * running in, with the home, the configuration file and this binary.
 */
static char **
chain_env(const struct config *cfg, const char *self)
{
	char	**env, **p, *file;
	size_t	  n = 0;

	for (p = environ; *p != NULL; p++)
		n++;
	env = xcalloc(n + 4, sizeof *env);
	n = 0;
	for (p = environ; *p != NULL; p++) {
		if (strncmp(*p, "UPDRAFT_", 8) == 0 ||
		    (strncmp(*p, "SLURM_", 6) == 0 &&
		    strncmp(*p, "SLURM_CONF=", 11) != 0))
			continue;
		env[n++] = xstrdup(*p);
	}
	xasprintf(&env[n++], "UPDRAFT_HOME=%s", cfg->home);
	if (cfg->file != NULL) {
		if ((file = realpath(cfg->file, NULL)) == NULL)
			file = xstrdup(cfg->file);
		xasprintf(&env[n++], "UPDRAFT_CONFIG=%s", file);
		free(file);
	}
	xasprintf(&env[n++], "UPDRAFT_SCHEDULER_BIN=%s", self);
	env[n] = NULL;
	return (env);
}

/* Submit one link, to begin at begin (0: now): 0 with its id, or -1. */
static int
chain_submit(const struct config *cfg, const struct chain *ch,
    int64_t begin, int64_t *job_id, char **cause)
{
	struct cluster_request	 rq;
	struct resources	 res;
	char			 self[PATH_MAX], *name, *log, **env, **p;
	ssize_t			 len;
	int			 rc;

	if ((len = readlink("/proc/self/exe", self, sizeof self - 1)) < 0) {
		xasprintf(cause, "cannot find this program "
		    "(/proc/self/exe): %s", strerror(errno));
		return (-1);
	}
	self[len] = '\0';
	memset(&res, 0, sizeof res);
	res.qos = ch->qos;
	res.account = ch->account;
	res.partition = ch->partition;
	/* A link ends on its own after EVERY: this only bounds a hang. */
	res.time_limit = (ch->every + 59) / 60 + 10;
	name = chain_name(cfg);
	log = chain_path(cfg, "scheduler-chain.log");
	env = chain_env(cfg, self);
	memset(&rq, 0, sizeof rq);
	rq.name = name;
	rq.script = chain_script;
	rq.env = env;
	rq.work_dir = cfg->state_dir;
	rq.std_out = log;
	rq.res = &res;
	rq.uid = rq.gid = -1;
	rq.begin = begin;
	rq.dependency = "singleton";
	rq.append = 1;
	/* Requeued after a node failure, it would pend beside its successor. */
	rq.no_requeue = 1;
	rc = cluster_submit(&rq, job_id, cause) == CLUSTER_SUBMITTED ? 0 : -1;
	for (p = env; *p != NULL; p++)
		free(*p);
	free(env);
	free(log);
	free(name);
	return (rc);
}

/*
 * `scheduler --in-slurm` on a login node: submit the first link, unless a
 * link of this home's chain is pending or running already.
 */
static int
chain_start(struct cmd_ctx *ctx, struct chain *want)
{
	struct cluster_job	*jobs = NULL;
	struct chain		 old;
	char			*name, *cause = NULL, *why, every[32];
	size_t			 n = 0, i;
	int64_t			 job_id;
	int			 fd, rc = 1;

	name = chain_name(&ctx->cfg);
	if ((fd = chain_lock(&ctx->cfg, &cause)) == -1)
		goto out;
	if (cluster_jobs_load(0, &jobs, &n, &cause) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (!chain_is_live(&jobs[i], name))
			continue;
		rc = cmd_error("a scheduler chain already runs for '%s': job "
		    "%lld is %s; stop it first with 'updraft stop'",
		    ctx->cfg.home, (long long)jobs[i].job_id,
		    jobs[i].phase == CLUSTER_PENDING ? "pending" : "running");
		goto out;
	}
	if (chain_read(&ctx->cfg, &old, &cause) < 0)
		goto out;
	want->on = 1;
	want->started = time(NULL);
	want->link_job = old.link_job;
	want->link_start = old.link_start;
	chain_clear(&old);
	if (chain_submit(&ctx->cfg, want, 0, &job_id, &cause) != 0)
		goto out;
	want->next_job = job_id;
	if (chain_write(&ctx->cfg, want, &cause) != 0) {
		if (cluster_cancel(job_id, -1, &why) != 0)
			free(why);
		goto out;
	}
	view_duration(every, sizeof every, want->every);
	printf("scheduler chain started: job %lld (%s), a link every %s\n",
	    (long long)job_id, name, every);
	printf("its log: %s/scheduler-chain.log\n", ctx->cfg.state_dir);
	rc = 0;
out:
	if (cause != NULL) {
		rc = cmd_error("cannot start the scheduler chain: %s", cause);
		free(cause);
	}
	if (fd != -1)
		close(fd);
	cluster_jobs_free(jobs, n);
	free(name);
	return (rc);
}

/*
 * Slurm sets SLURM_* for the link's job; the task jobs it submits must not
 * inherit them (sbatch run inside a job would pass them on).
 */
static void
chain_forget_job_env(void)
{
	char	**p, *name;

	for (p = environ; *p != NULL; ) {
		if (strncmp(*p, "SLURM_", 6) != 0 ||
		    strncmp(*p, "SLURM_CONF=", 11) == 0) {
			p++;
			continue;
		}
		name = xstrndup(*p, strcspn(*p, "="));
		unsetenv(name);
		free(name);
	}
}

/*
 * Submit the successor unless a link other than self is pending already:
 * 0 (with *next 0 when there was one), or -1 with a cause.
 */
static int
chain_successor(const struct config *cfg, const struct chain *ch,
    int64_t self, int64_t now, int64_t *next, char **cause)
{
	struct cluster_job	*jobs;
	char			*name;
	size_t			 n, i;
	int			 rc = 0;

	*next = 0;
	if (cluster_jobs_load(0, &jobs, &n, cause) != 0)
		return (-1);
	name = chain_name(cfg);
	for (i = 0; i < n; i++) {
		if (jobs[i].job_id != self && chain_is_live(&jobs[i], name) &&
		    jobs[i].phase == CLUSTER_PENDING) {
			log_info("link job %lld: job %lld is pending already",
			    (long long)self, (long long)jobs[i].job_id);
			break;
		}
	}
	if (i == n)
		rc = chain_submit(cfg, ch, now + ch->every, next, cause);
	cluster_jobs_free(jobs, n);
	free(name);
	return (rc);
}

/*
 * `scheduler --in-slurm-job`, in a link's job: submit the successor, then
 * leave the passes to the scheduler until *until. CHAIN_LINK, or 0 when
 * the chain is off (the link just ends).
 */
static int
chain_link(struct cmd_ctx *ctx, int64_t *until)
{
	struct chain	 ch;
	const char	*id;
	char		*cause = NULL, *end;
	int64_t		 self, now, next = 0;
	int		 fd, rc, try;

	if ((id = getenv("SLURM_JOB_ID")) == NULL ||
	    (self = strtoll(id, &end, 10)) <= 0 || *end != '\0') {
		return (cmd_bad_value("--in-slurm-job", NULL, "only in the "
		    "chain's own jobs: use 'updraft scheduler --in-slurm'"));
	}
	chain_forget_job_env();
	if ((fd = chain_lock(&ctx->cfg, &cause)) == -1 ||
	    (rc = chain_read(&ctx->cfg, &ch, &cause)) < 0) {
		cmd_error("link job %lld: %s", (long long)self, cause);
		free(cause);
		if (fd != -1)
			close(fd);
		return (1);
	}
	if (rc == 1 || !ch.on) {
		log_info("link job %lld: the scheduler chain is stopped",
		    (long long)self);
		chain_clear(&ch);
		close(fd);
		return (0);
	}
	now = time(NULL);
	for (try = 1; try <= CHAIN_TRIES; try++) {
		if (chain_successor(&ctx->cfg, &ch, self, now, &next,
		    &cause) == 0)
			break;
		log_warnx("link job %lld: cannot submit the next link (try %d "
		    "of %d): %s", (long long)self, try, CHAIN_TRIES, cause);
		free(cause);
		cause = NULL;
		if (try < CHAIN_TRIES)
			sleep(CHAIN_RETRY_S);
	}
	if (next != 0) {
		log_info("link job %lld: next link is job %lld",
		    (long long)self, (long long)next);
		ch.next_job = next;
	}
	ch.link_job = self;
	ch.link_start = now;
	if (chain_write(&ctx->cfg, &ch, &cause) != 0) {
		log_warnx("link job %lld: %s", (long long)self, cause);
		free(cause);
	}
	*until = now + ch.every;
	chain_clear(&ch);
	close(fd);
	return (CHAIN_LINK);
}

/*
 * Whether a link is done after a pass at now: at until, or when nothing is
 * in flight and nothing falls due (wake; 0: nothing) before until.
 */
int
chain_link_done(int64_t now, int64_t until, int inflight, int capped,
    int64_t wake)
{
	if (now >= until)
		return (1);
	if (inflight > 0 || capped)
		return (0);
	return (wake == 0 || wake >= until);
}

/* A --qos, --account or --partition value: one line, not empty. */
static int
chain_value(const char *opt, const char *v, char **out)
{
	if (*v == '\0' || strpbrk(v, "\n ") != NULL)
		return (cmd_bad_value(opt, v, "expected a name"));
	free(*out);
	*out = xstrdup(v);
	return (0);
}

/*
 * The scheduler verb's options, when they ask for the chain: start it
 * (--in-slurm) or be one of its links (--in-slurm-job). CHAIN_NOT_OURS
 * when they do not (getopt is reset for the verb), CHAIN_LINK for a link
 * that should now run passes until *until, else the verb's exit status.
 */
int
chain_scheduler(struct cmd_ctx *ctx, int argc, char **argv, int64_t *until)
{
	struct chain	 want;
	long		 every;
	int		 ch, once = 0, start = 0, link = 0, other = 0, rc;

	memset(&want, 0, sizeof want);
	want.every = 300;
	*until = 0;
	while ((ch = cmd_getopt(&cmd_scheduler_entry, argc, argv)) != -1) {
		rc = 0;
		switch (ch) {
		case 'o':
			once = 1;
			break;
		case 'S':
			start = 1;
			break;
		case 'J':
			link = 1;
			break;
		case 'e':
			other = 1;
			if (dagfile_parse_duration(optarg, &every) != 0 ||
			    every < 1)
				rc = cmd_bad_value("--every", optarg,
				    "expected a duration such as 30s, 5m or "
				    "1h");
			want.every = every;
			break;
		case 'q':
			other = 1;
			rc = chain_value("--qos", optarg, &want.qos);
			break;
		case 'a':
			other = 1;
			rc = chain_value("--account", optarg, &want.account);
			break;
		case 'p':
			other = 1;
			rc = chain_value("--partition", optarg,
			    &want.partition);
			break;
		default:
			rc = cmd_usage(&cmd_scheduler_entry);
			break;
		}
		if (rc != 0)
			goto out;
	}
	rc = 0;
	if (optind != argc || (start && (link || once)) ||
	    (link && (once || other)) || (other && !start))
		rc = cmd_usage(&cmd_scheduler_entry);
	else if (start)
		rc = chain_start(ctx, &want);
	else if (link)
		rc = chain_link(ctx, until);
	else {
		optind = 0;
		rc = CHAIN_NOT_OURS;
	}
out:
	chain_clear(&want);
	return (rc);
}

/*
 * `updraft stop`: turn the chain off, then cancel its links until none is
 * pending or running (a link that started meanwhile may have submitted
 * one more before it saw the chain off).
 */
int
chain_stop(struct cmd_ctx *ctx)
{
	struct cluster_job	*jobs;
	struct chain		 ch;
	char			*name, *cause = NULL;
	int64_t			*done = NULL;
	size_t			 n, i, k, ndone = 0;
	int			 fd, rc, round, live;

	if ((fd = chain_lock(&ctx->cfg, &cause)) == -1 ||
	    (rc = chain_read(&ctx->cfg, &ch, &cause)) < 0)
		goto fail;
	if (rc == 0 && ch.on) {
		ch.on = 0;
		ch.stopped = time(NULL);
		if (chain_write(&ctx->cfg, &ch, &cause) != 0) {
			chain_clear(&ch);
			goto fail;
		}
	}
	chain_clear(&ch);
	close(fd);
	fd = -1;

	name = chain_name(&ctx->cfg);
	for (round = 0; round < 20; round++) {
		if (cluster_jobs_load(0, &jobs, &n, &cause) != 0) {
			free(name);
			free(done);
			goto fail;
		}
		for (i = 0, live = 0; i < n; i++) {
			if (!chain_is_live(&jobs[i], name))
				continue;
			live++;
			if (cluster_cancel(jobs[i].job_id, -1, &cause) != 0) {
				log_warnx("%s", cause);
				free(cause);
				cause = NULL;
				continue;
			}
			for (k = 0; k < ndone && done[k] != jobs[i].job_id; k++)
				;
			if (k < ndone)
				continue;
			done = xreallocarray(done, ndone + 1, sizeof *done);
			done[ndone++] = jobs[i].job_id;
			printf("cancelled scheduler job %lld (%s)\n",
			    (long long)jobs[i].job_id,
			    jobs[i].phase == CLUSTER_PENDING ? "pending" :
			    "running");
		}
		cluster_jobs_free(jobs, n);
		if (live == 0)
			break;
		usleep(250000);
	}
	if (ndone == 0)
		printf("no scheduler chain was running\n");
	free(name);
	free(done);
	return (0);

fail:
	rc = cmd_error("cannot stop the scheduler chain: %s", cause);
	free(cause);
	if (fd != -1)
		close(fd);
	return (rc);
}

/* What `updraft status` shows of the chain. */
struct chain_view {
	struct chain		 ch;
	char			*error;		/* the file or Slurm failed */
	struct cluster_job	*jobs;		/* every job of ours */
	size_t			 njobs;
	char			*name;
	size_t			 pending;
	size_t			 running;
};

/* Load the view: 0, or 1 when this home never had a chain. */
static int
chain_view_load(struct cmd_ctx *ctx, struct chain_view *v)
{
	size_t	i;
	int	rc;

	memset(v, 0, sizeof *v);
	if ((rc = chain_read(&ctx->cfg, &v->ch, &v->error)) == 1)
		return (1);
	v->name = chain_name(&ctx->cfg);
	if (rc < 0 || !v->ch.on)
		return (0);
	if (cluster_jobs_load(0, &v->jobs, &v->njobs, &v->error) != 0)
		return (0);
	for (i = 0; i < v->njobs; i++) {
		if (!chain_is_live(&v->jobs[i], v->name))
			continue;
		if (v->jobs[i].phase == CLUSTER_PENDING)
			v->pending++;
		else
			v->running++;
	}
	return (0);
}

static void
chain_view_free(struct chain_view *v)
{
	chain_clear(&v->ch);
	free(v->error);
	cluster_jobs_free(v->jobs, v->njobs);
	free(v->name);
}

/* One word for the chain: stopped, running, ending, broken or unknown. */
static const char *
chain_view_state(const struct chain_view *v)
{
	if (v->error != NULL)
		return ("unknown");
	if (!v->ch.on)
		return ("stopped");
	if (v->pending > 0)
		return ("running");
	return (v->running > 0 ? "ending" : "broken");
}

/*
 * The chain's section of `updraft status`, when this home ever had one:
 * its links pending or running, or that it is broken (on, with none).
 */
void
chain_status(struct cmd_ctx *ctx, int utc)
{
	struct chain_view	 v;
	struct view_table	 t;
	const struct cluster_job	*j;
	const char		*state;
	char			 every[32], since[32], id[24];
	size_t			 i;

	if (chain_view_load(ctx, &v) == 1)
		return;
	state = chain_view_state(&v);
	view_duration(every, sizeof every, v.ch.every);
	printf("\nscheduler chain (a link every %s):\n", every);
	if (v.ch.link_job != 0) {
		view_time(since, sizeof since, "%Y-%m-%d %H:%M:%S",
		    v.ch.link_start, utc);
		printf("  last link: job %lld, started %s\n",
		    (long long)v.ch.link_job, since);
	}
	if (strcmp(state, "unknown") == 0)
		printf("  unknown: %s\n", v.error);
	else if (strcmp(state, "stopped") == 0) {
		view_time(since, sizeof since, "%Y-%m-%d %H:%M:%S",
		    v.ch.stopped, utc);
		printf("  stopped by 'updraft stop' at %s\n", since);
	} else if (strcmp(state, "broken") == 0)
		printf("  broken: no link is pending or running; restart it "
		    "with 'updraft scheduler --in-slurm'\n");
	else {
		view_table_init(&t, 3);
		view_table_add(&t, "JOB_ID", "STATE", "SINCE");
		for (i = 0; i < v.njobs; i++) {
			j = &v.jobs[i];
			if (!chain_is_live(j, v.name))
				continue;
			snprintf(id, sizeof id, "%lld", (long long)j->job_id);
			if (j->phase == CLUSTER_PENDING)
				snprintf(since, sizeof since, "-");
			else
				view_time(since, sizeof since,
				    "%Y-%m-%d %H:%M:%S", j->start, utc);
			view_table_add(&t, id, j->phase == CLUSTER_PENDING ?
			    "pending" : "running", since);
		}
		view_table_print(stdout, &t, "  ");
		view_table_free(&t);
		if (strcmp(state, "ending") == 0)
			printf("  broken: no next link is pending; the chain "
			    "ends with this link\n");
	}
	chain_view_free(&v);
}

/*
 * The chain in `updraft status --json`: ",\n \"chain\": {...}" when this
 * home ever had one, else nothing.
 */
void
chain_status_json(struct cmd_ctx *ctx)
{
	struct chain_view	 v;
	const struct cluster_job	*j;
	size_t			 i, k = 0;

	if (chain_view_load(ctx, &v) == 1)
		return;
	printf(",\n \"chain\": {\"name\": ");
	output_json_string(stdout, v.name);
	printf(", \"state\": \"%s\", \"every\": %ld, \"error\": ",
	    chain_view_state(&v), v.ch.every);
	if (v.error != NULL)
		output_json_string(stdout, v.error);
	else
		printf("null");
	printf(", \"last_link\": ");
	if (v.ch.link_job != 0) {
		printf("{\"job_id\": %lld, \"start\": ",
		    (long long)v.ch.link_job);
		output_json_time(stdout, v.ch.link_start);
		printf("}");
	} else
		printf("null");
	printf(", \"stopped\": ");
	output_json_time(stdout, v.ch.on ? 0 : v.ch.stopped);
	printf(", \"links\": [");
	for (i = 0; i < v.njobs; i++) {
		j = &v.jobs[i];
		if (!chain_is_live(j, v.name))
			continue;
		printf("%s{\"job_id\": %lld, \"state\": \"%s\", "
		    "\"start\": ", k++ ? ", " : "", (long long)j->job_id,
		    j->phase == CLUSTER_PENDING ? "pending" : "running");
		output_json_time(stdout, j->phase == CLUSTER_PENDING ? 0 :
		    j->start);
		printf("}");
	}
	printf("]}");
	chain_view_free(&v);
}
