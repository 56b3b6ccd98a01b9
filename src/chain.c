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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "cluster.h"

extern char **environ;

/* What a link runs: this binary, told by the environment what to do. */
static const char chain_script[] =
	"#!/bin/sh\n"
	"# Updraft scheduler chain link: submit the next link, then passes.\n"
	"exec \"$UPDRAFT_SCHEDULER_BIN\" scheduler --in-slurm-job\n";

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

void
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

/* What the chain keeps of one of its links. */
static struct chain_job
chain_job_of(const struct cluster_job *j)
{
	struct chain_job	cj;

	cj.job_id = j->job_id;
	cj.pending = j->phase == CLUSTER_PENDING;
	cj.start = cj.pending ? 0 : j->start;
	return (cj);
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
 * `scheduler --in-slurm` on a login node: submit the first link with want's
 * settings, unless a link of this home's chain is pending or running
 * already. 0 with its job id, or -1 with a cause.
 */
int
chain_start(const struct config *cfg, struct chain *want, int64_t *job_id,
    char **cause)
{
	struct cluster_job	*jobs = NULL;
	struct chain		 old;
	char			*name, *why = NULL, *ignored;
	size_t			 n = 0, i;
	int			 fd, rc = -1;

	*cause = NULL;
	name = chain_name(cfg);
	if ((fd = chain_lock(cfg, &why)) == -1)
		goto out;
	if (cluster_jobs_load(&jobs, &n, &why) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (!chain_is_live(&jobs[i], name))
			continue;
		xasprintf(cause, "a scheduler chain already runs for '%s': "
		    "job %lld is %s; stop it first with 'updraft stop'",
		    cfg->home, (long long)jobs[i].job_id,
		    jobs[i].phase == CLUSTER_PENDING ? "pending" : "running");
		goto out;
	}
	if (chain_read(cfg, &old, &why) < 0)
		goto out;
	want->on = 1;
	want->started = time(NULL);
	want->link_job = old.link_job;
	want->link_start = old.link_start;
	chain_clear(&old);
	if (chain_submit(cfg, want, 0, job_id, &why) != 0)
		goto out;
	want->next_job = *job_id;
	if (chain_write(cfg, want, &why) != 0) {
		if (cluster_cancel(*job_id, -1, &ignored) != 0)
			free(ignored);
		goto out;
	}
	rc = 0;
out:
	if (why != NULL) {
		xasprintf(cause, "cannot start the scheduler chain: %s", why);
		free(why);
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
	if (cluster_jobs_load(&jobs, &n, cause) != 0)
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
 * `scheduler --in-slurm-job`, in the link's job self: submit the
 * successor, then leave the passes to the scheduler until *until. 1, or 0
 * when the chain is off (the link just ends), or -1 with a cause.
 */
int
chain_link(const struct config *cfg, int64_t self, int64_t *until,
    char **cause)
{
	struct chain	 ch;
	char		*why = NULL;
	int64_t		 now, next = 0;
	int		 fd, rc, try;

	chain_forget_job_env();
	if ((fd = chain_lock(cfg, &why)) == -1 ||
	    (rc = chain_read(cfg, &ch, &why)) < 0) {
		xasprintf(cause, "link job %lld: %s", (long long)self, why);
		free(why);
		if (fd != -1)
			close(fd);
		return (-1);
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
		if (chain_successor(cfg, &ch, self, now, &next, &why) == 0)
			break;
		log_warnx("link job %lld: cannot submit the next link (try %d "
		    "of %d): %s", (long long)self, try, CHAIN_TRIES, why);
		free(why);
		why = NULL;
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
	if (chain_write(cfg, &ch, &why) != 0) {
		log_warnx("link job %lld: %s", (long long)self, why);
		free(why);
	}
	*until = now + ch.every;
	chain_clear(&ch);
	close(fd);
	return (1);
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

/*
 * `updraft stop`: turn the chain off, then cancel its links until none is
 * pending or running (a link that started meanwhile may have submitted
 * one more before it saw the chain off). 0 with the links cancelled (in
 * *done, allocated), or -1 with a cause.
 */
int
chain_stop(const struct config *cfg, struct chain_job **done, size_t *ndone,
    char **cause)
{
	struct cluster_job	*jobs;
	struct chain		 ch;
	char			*name, *why = NULL;
	size_t			 n, i, k;
	int			 fd, rc, round, live;

	*done = NULL;
	*ndone = 0;
	if ((fd = chain_lock(cfg, &why)) == -1 ||
	    (rc = chain_read(cfg, &ch, &why)) < 0)
		goto fail;
	if (rc == 0 && ch.on) {
		ch.on = 0;
		ch.stopped = time(NULL);
		if (chain_write(cfg, &ch, &why) != 0) {
			chain_clear(&ch);
			goto fail;
		}
	}
	chain_clear(&ch);
	close(fd);
	fd = -1;

	name = chain_name(cfg);
	for (round = 0; round < 20; round++) {
		if (cluster_jobs_load(&jobs, &n, &why) != 0) {
			free(name);
			goto fail;
		}
		for (i = 0, live = 0; i < n; i++) {
			if (!chain_is_live(&jobs[i], name))
				continue;
			live++;
			if (cluster_cancel(jobs[i].job_id, -1, &why) != 0) {
				log_warnx("%s", why);
				free(why);
				why = NULL;
				continue;
			}
			for (k = 0; k < *ndone &&
			    (*done)[k].job_id != jobs[i].job_id; k++)
				;
			if (k < *ndone)
				continue;
			*done = xreallocarray(*done, *ndone + 1, sizeof **done);
			(*done)[(*ndone)++] = chain_job_of(&jobs[i]);
		}
		cluster_jobs_free(jobs, n);
		if (live == 0)
			break;
		usleep(250000);
	}
	free(name);
	return (0);

fail:
	xasprintf(cause, "cannot stop the scheduler chain: %s", why);
	free(why);
	free(*done);
	*done = NULL;
	*ndone = 0;
	if (fd != -1)
		close(fd);
	return (-1);
}

/* Load what `updraft status` shows: 0, or 1 when there never was a chain. */
int
chain_view_load(const struct config *cfg, struct chain_view *v)
{
	struct cluster_job	*jobs;
	size_t			 n, i;
	int			 rc;

	memset(v, 0, sizeof *v);
	if ((rc = chain_read(cfg, &v->ch, &v->error)) == 1)
		return (1);
	v->name = chain_name(cfg);
	if (rc < 0 || !v->ch.on)
		return (0);
	if (cluster_jobs_load(&jobs, &n, &v->error) != 0)
		return (0);
	v->links = xcalloc(n + 1, sizeof *v->links);
	for (i = 0; i < n; i++) {
		if (!chain_is_live(&jobs[i], v->name))
			continue;
		v->links[v->nlinks] = chain_job_of(&jobs[i]);
		if (v->links[v->nlinks++].pending)
			v->pending++;
		else
			v->running++;
	}
	cluster_jobs_free(jobs, n);
	return (0);
}

void
chain_view_free(struct chain_view *v)
{
	chain_clear(&v->ch);
	free(v->error);
	free(v->links);
	free(v->name);
}

/* One word for the chain: stopped, running, ending, broken or unknown. */
const char *
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
