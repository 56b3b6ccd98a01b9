/* Run the scheduler: in the foreground until SIGTERM, or one pass. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "cmd.h"
#include "notify.h"
#include "scheduler.h"
#include "cluster.h"
#include "spool.h"
#include "wake.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static int	cmd_scheduler_exec(struct cmd_ctx *, int, char **);
static int64_t	cmd_scheduler_now(void);

static const struct cmd_opt cmd_scheduler_opts[] = {
	{ "once", 'o', NULL, "make one pass and exit (for cron)", 0 },
	{ "in-slurm", 'S', NULL, "start the chain of Slurm jobs", 0 },
	{ "in-slurm-job", 'J', NULL, NULL, 0 },
	{ "every", 'e', "DURATION", "a link's length (default 5m)", 0 },
	{ "qos", 'q', "QOS", "the links' QOS", 0 },
	{ "account", 'a', "ACCOUNT", "the links' account", 0 },
	{ "partition", 'p', "PARTITION", "the links' partition", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_scheduler_entry = {
	.name = "scheduler",
	.usage = "[--once] | --in-slurm [--every] [--qos] [--account] "
	    "[--partition]",
	.summary = "run the scheduler in the foreground (or one pass, for "
	    "cron)",
	.help = "Each pass loads the DAG files, creates the runs that are "
	    "due, polls Slurm once\n"
	    "for every job and submits the tasks that are ready. "
	    "SIGTERM finishes the pass\n"
	    "and exits 0. Only one scheduler runs on a database at a "
	    "time.\n"
	    "--in-slurm runs it as a chain of Slurm jobs instead, "
	    "nothing on this host: it\n"
	    "submits the first link (job name updraft-sched__SUFFIX, "
	    "one per state\n"
	    "directory) and exits. Each link first submits the next "
	    "one\n"
	    "('sbatch --begin=now+DURATION --dependency=singleton'), "
	    "then makes passes until\n"
	    "nothing is in flight or DURATION has passed. 'updraft "
	    "stop' cancels the chain;\n"
	    "'updraft status' shows it, and says when it is broken.\n",
	.opts = cmd_scheduler_opts,
	.flags = CMD_STORE | CMD_OWNER,
	.exec = cmd_scheduler_exec,
};

static volatile sig_atomic_t cmd_scheduler_stop;
static volatile sig_atomic_t cmd_scheduler_reload;

static void
cmd_scheduler_signal(int sig)
{
	if (sig == SIGHUP)
		cmd_scheduler_reload = 1;
	else
		cmd_scheduler_stop = 1;
}

/*
 * Two guards keep a second scheduler from acting on a database: a flock on
 * scheduler.lock beside it, which only processes of this host see, and the
 * lease in the database (store-lease.c), which every host sees. A lease
 * held by a process of this host is dead when the flock can be had.
 */
static int	cmd_scheduler_lockfd = -1;
static int	cmd_scheduler_locked;	/* we hold the flock */
static char	cmd_scheduler_lockpid[32];	/* else: who does, or "" */
static const char *cmd_scheduler_host;

/* Try the flock once, without waiting: 0 held (or held already), -1 not. */
static int
cmd_scheduler_lock(const struct config *cfg)
{
	char	*path, buf[32];
	ssize_t	 len;

	if (cmd_scheduler_locked)
		return (0);
	if (cmd_scheduler_lockfd == -1) {
		xasprintf(&path, "%s/scheduler.lock", cfg->state_dir);
		cmd_scheduler_lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
		    0644);
		if (cmd_scheduler_lockfd == -1) {
			cmd_error("cannot open lock '%s': %s", path,
			    strerror(errno));
			free(path);
			return (-1);
		}
		free(path);
	}
	if (flock(cmd_scheduler_lockfd, LOCK_EX | LOCK_NB) != 0) {
		len = pread(cmd_scheduler_lockfd, buf, sizeof buf - 1, 0);
		buf[len > 0 ? len : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(cmd_scheduler_lockpid, sizeof cmd_scheduler_lockpid,
		    "%s", buf);
		return (-1);
	}
	cmd_scheduler_locked = 1;
	snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(cmd_scheduler_lockfd, 0) != 0 ||
	    pwrite(cmd_scheduler_lockfd, buf, strlen(buf), 0) < 0)
		log_warn("cannot write lock file");
	return (0);
}

static void
cmd_scheduler_unlock(void)
{
	if (cmd_scheduler_lockfd != -1)
		close(cmd_scheduler_lockfd);
	cmd_scheduler_lockfd = -1;
	cmd_scheduler_locked = 0;
}

/* Whether a live lease's holder is a process of this host that is gone. */
static int
cmd_scheduler_holder_dead(const struct store_lease *l)
{
	return (strcmp(l->host, cmd_scheduler_host) == 0 &&
	    cmd_scheduler_locked);
}

/* "(pid P)" for this host, "(host H, pid P, Slurm job J)" for another. */
static char *
cmd_scheduler_holder(const struct store_lease *l)
{
	char	*s;

	if (strcmp(l->host, cmd_scheduler_host) == 0)
		xasprintf(&s, "(pid %ld)", l->pid);
	else if (l->job_id != NULL)
		xasprintf(&s, "(host %s, pid %ld, Slurm job %s)", l->host,
		    l->pid, l->job_id);
	else
		xasprintf(&s, "(host %s, pid %ld)", l->host, l->pid);
	return (s);
}

/*
 * Take the lease for me, and the flock: 0, or -1 after saying why not.
 * While a scheduler of another host holds a live lease, standby waits
 * for it to expire (or for SIGTERM: then -1, silently); without standby,
 * or when the holder is of this host, a live lease is an error.
 */
static int
cmd_scheduler_take(struct cmd_ctx *ctx, struct store_lease *me, int standby)
{
	struct store_lease	 holder;
	char			*who;
	int64_t			 now, len;
	int			 rc, waiting = 0;

	for (;;) {
		if (cmd_scheduler_lock(&ctx->cfg) != 0 &&
		    cmd_scheduler_lockfd == -1)
			return (-1);
		now = time(NULL);
		len = config_lease_length(&ctx->cfg);
		me->expires = now + len;
		rc = store_lease_take(ctx->store, me, now,
		    cmd_scheduler_holder_dead, &holder);
		if (rc < 0 && !waiting) {
			cmd_error("database: %s", store_error(ctx->store));
			return (-1);
		}
		if (rc == 0)
			break;
		if (rc < 0) {
			/* Read beside a writer we cannot lock out: again. */
			log_warnx("standby: cannot read the lease: %s",
			    store_error(ctx->store));
			store_lease_clear(&holder);
			sleep(1);
			continue;
		}
		who = cmd_scheduler_holder(&holder);
		if (!standby || strcmp(holder.host, me->host) == 0) {
			cmd_error("another scheduler is running on '%s' %s",
			    ctx->cfg.db_path, who);
			free(who);
			store_lease_clear(&holder);
			return (-1);
		}
		if (!waiting)
			log_info("standby: another scheduler is running on "
			    "'%s' %s; taking over if its lease expires (%lld "
			    "s after its last heartbeat)", ctx->cfg.db_path,
			    who, (long long)len);
		waiting = 1;
		free(who);
		/* Look again every poll interval: a clean stop lets go. */
		now = MIN(holder.expires - time(NULL) + 1,
		    ctx->cfg.poll_interval);
		store_lease_clear(&holder);
		while (now-- > 0 && !cmd_scheduler_stop)
			sleep(1);
		if (cmd_scheduler_stop)
			return (-1);
	}

	if (holder.host != NULL && holder.heartbeat != 0 &&
	    !(strcmp(holder.host, me->host) == 0 && holder.pid == me->pid)) {
		who = cmd_scheduler_holder(&holder);
		if (holder.expires > now)
			log_info("taking over from the scheduler %s, which is "
			    "gone", who);
		else
			log_info("taking over from the scheduler %s, whose "
			    "lease expired %lld s ago", who,
			    (long long)(now - holder.expires));
		free(who);
	}
	store_lease_clear(&holder);
	/* A process of this host holds the flock but no lease: an old one. */
	if (cmd_scheduler_lock(&ctx->cfg) != 0) {
		store_lease_release(ctx->store, me);
		cmd_error("another scheduler is running on '%s' (pid %s)",
		    ctx->cfg.db_path, *cmd_scheduler_lockpid != '\0' ?
		    cmd_scheduler_lockpid : "unknown");
		return (-1);
	}
	return (0);
}

/*
 * Renew the lease, recording a pass when pass is set (the next one due by
 * next): 0, or -1 when another scheduler has taken it, which ends this one.
 */
static int
cmd_scheduler_renew(struct cmd_ctx *ctx, struct store_lease *me, int pass,
    int64_t next)
{
	struct store_lease	 holder;
	char			*who;
	int64_t			 now = time(NULL);
	int			 rc;

	me->expires = now + config_lease_length(&ctx->cfg);
	if ((rc = store_lease_renew(ctx->store, me, now, pass, next)) == 0)
		return (0);
	if (rc < 0) {
		/* Busy or failing: the lease has time left; try again. */
		log_warnx("cannot renew the lease: %s",
		    store_error(ctx->store));
		return (0);
	}
	if (store_lease_get(ctx->store, &holder) == 1) {
		who = cmd_scheduler_holder(&holder);
		log_warnx("the scheduler %s has taken the lease: stopping",
		    who);
		free(who);
	} else
		log_warnx("the lease is gone: stopping");
	store_lease_clear(&holder);
	return (-1);
}

/*
 * Sleep until the wall clock reaches wake_at, something changes or a signal
 * comes, in steps of at most a minute: the monotonic clock bounds the
 * sleep, and the wall clock is read again after each step, so a suspended
 * laptop or a clock set forward wakes on time instead of a day late.
 */
static int
cmd_scheduler_sleep(int fd, int64_t wake_at, int64_t longest,
    struct notify *nt)
{
	struct timespec	start, now;
	int64_t		ms, left;
	int		woken;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!cmd_scheduler_stop && !cmd_scheduler_reload) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = longest * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000);
		left = (wake_at - cmd_scheduler_now()) * 1000;
		if (left < ms)
			ms = left;
		if (ms <= 0)
			break;
		/* Deliveries move on while we wait (notify.c). */
		if (nt != NULL) {
			woken = notify_wait(nt, fd, ms > 60000 ? 60000 :
			    (int)ms, cmd_scheduler_now());
			notify_step(nt, cmd_scheduler_now());
			if (!woken)
				continue;
		}
		if (wake_wait(fd, nt != NULL ? 0 : ms > 60000 ? 60000 :
		    (int)ms))
			return (1);
	}
	return (0);
}

/*
 * Sleep as cmd_scheduler_sleep does, for at most longest seconds, renewing
 * the lease every poll_interval meanwhile: -1 when the lease was lost.
 */
static int
cmd_scheduler_wait(struct cmd_ctx *ctx, struct store_lease *me, int fd,
    int64_t wake_at, int64_t longest, struct notify *nt)
{
	struct timespec	start, now;
	int64_t		left;
	int		woken;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!cmd_scheduler_stop && !cmd_scheduler_reload) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = longest - (now.tv_sec - start.tv_sec);
		if (left <= 0 || cmd_scheduler_now() >= wake_at)
			break;
		woken = cmd_scheduler_sleep(fd, wake_at,
		    MIN(left, ctx->cfg.poll_interval), nt);
		if (cmd_scheduler_renew(ctx, me, 0, 0) != 0)
			return (-1);
		if (woken)
			break;
	}
	return (0);
}

/*
 * The wall clock, read once per pass. Tests set UPDRAFT_FAKE_NOW (an
 * ISO-8601 instant) to stand at a fixed time: then exact logical dates can
 * be checked for any "now". Nothing else in updraft reads it.
 */
static int64_t
cmd_scheduler_now(void)
{
	const char	*fake;
	char		*cause;
	int64_t		 t;

	if ((fake = getenv("UPDRAFT_FAKE_NOW")) == NULL || *fake == '\0')
		return (time(NULL));
	if (tz_parse_time(fake, NULL, &t, &cause) != 0)
		fatalx("UPDRAFT_FAKE_NOW: %s", cause);
	return (t);
}

/*
 * Where locks cannot be trusted, readers read a snapshot (cmd.c): refresh
 * it after a pass that changed something, or when forced (requests from
 * the spool, written by other connections).
 */
static void
cmd_scheduler_snapshot(struct cmd_ctx *ctx, int force)
{
	static int64_t	 taken = -1;
	char		*cause;

	if (ctx->fs.locks_trusted || (!force &&
	    store_changes(ctx->store) == taken))
		return;
	if (store_snapshot(ctx->store, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return;
	}
	taken = store_changes(ctx->store);
}

static void
cmd_scheduler_settled(void *arg)
{
	cmd_scheduler_snapshot(arg, 1);
}

/* Apply what verbs left in the spool (spool.c), before a pass. */
static void
cmd_scheduler_spool(struct cmd_ctx *ctx)
{
	spool_apply(&ctx->cfg, ctx->config_file, cmd_scheduler_settled, ctx);
}

/*
 * SIGHUP: read the configuration again (DAG files are read at every pass
 * anyway). A bad file keeps the old configuration, with a warning. The
 * database and the lock stay: a new state_dir needs a restart.
 */
static void
cmd_scheduler_reconfigure(struct cmd_ctx *ctx)
{
	struct config	 cfg;
	char		*cause;

	if (config_load(&cfg, ctx->config_file, &cause) != 0) {
		log_warnx("reload: %s; keeping the configuration", cause);
		free(cause);
		return;
	}
	if (strcmp(cfg.db_path, ctx->cfg.db_path) != 0)
		log_warnx("reload: state_dir changed: restart to use it");
	free(cfg.db_path);
	cfg.db_path = xstrdup(ctx->cfg.db_path);
	free(cfg.host_name);
	cfg.host_name = xstrdup(ctx->cfg.host_name);
	free(cfg.state_dir);
	cfg.state_dir = xstrdup(ctx->cfg.state_dir);
	free(cfg.logs_dir);
	cfg.logs_dir = xstrdup(ctx->cfg.logs_dir);
	memcpy(cfg.job_suffix, ctx->cfg.job_suffix, sizeof cfg.job_suffix);
	config_free(&ctx->cfg);
	ctx->cfg = cfg;
	log_info("configuration reloaded");
}

static int
cmd_scheduler_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sigaction	 sa;
	struct scheduler	 sched;
	struct store_lease	 me;
	int64_t			 wake_at, now;
	struct notify		*nt;
	struct timespec		 t0, t1;
	int			 ch, once = 0, watch, lost = 0;
	int64_t			 until;
	unsigned long		 rpcs, submits;

	/* The chain (chain.c): start it, or be one of its links. */
	if ((ch = chain_scheduler(ctx, argc, argv, &until)) >= 0)
		return (ch);
	while ((ch = cmd_getopt(&cmd_scheduler_entry, argc, argv)) != -1) {
		if (ch != 'o')
			return (cmd_usage(&cmd_scheduler_entry));
		once = 1;
	}
	if (optind != argc)
		return (cmd_usage(&cmd_scheduler_entry));

	/* Handlers only set a flag: the loop acts on it between passes. */
	if (!once) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = cmd_scheduler_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	memset(&me, 0, sizeof me);
	/* Ours: a reload frees the configuration's strings. */
	me.host = xstrdup(ctx->cfg.host_name);
	me.pid = (long)getpid();
	me.job_id = getenv("SLURM_JOB_ID");
	if (me.job_id != NULL && *me.job_id == '\0')
		me.job_id = NULL;
	cmd_scheduler_host = me.host;
	/* A link of the chain gives way to a live scheduler at once. */
	if (cmd_scheduler_take(ctx, &me, !once && until == 0) != 0) {
		cmd_scheduler_unlock();
		free(me.host);
		return (cmd_scheduler_stop ? 0 : 1);
	}

	if (!ctx->fs.locks_trusted)
		log_warnx("database '%s' is on %s, whose locks cannot be "
		    "trusted (%s): only the scheduler writes it; other verbs "
		    "leave requests in '%s/spool' and read a snapshot",
		    ctx->cfg.db_path, ctx->fs.name != NULL ? ctx->fs.name :
		    "a local disk", ctx->fs.why, ctx->cfg.state_dir);
	else if (ctx->fs.name != NULL)
		log_info("database '%s' is on %s: rollback journal, POSIX "
		    "locks", ctx->cfg.db_path, ctx->fs.name);
	memset(&sched, 0, sizeof sched);
	sched.cfg = &ctx->cfg;
	sched.st = ctx->store;
	if (once) {
		cmd_scheduler_spool(ctx);
		scheduler_pass(&sched, cmd_scheduler_now());
		cmd_scheduler_renew(ctx, &me, 1, 0);
		cmd_scheduler_snapshot(ctx, 0);
		/* Deliver what is due, a little: the rest waits in the outbox. */
		if (ctx->cfg.notify != NULL) {
			nt = notify_init(&ctx->cfg, ctx->store);
			notify_flush(nt, 3000);
			notify_free(nt);
		}
		scheduler_free(&sched);
		store_lease_release(ctx->store, &me);
		cmd_scheduler_snapshot(ctx, 0);
		cmd_scheduler_unlock();
		free(me.host);
		return (0);
	}

	log_info("scheduler started (host %s, pid %ld, database '%s', dags "
	    "'%s')", me.host, me.pid, ctx->cfg.db_path, ctx->cfg.dags_folder);
	watch = wake_watch(&ctx->cfg);
	nt = notify_init(&ctx->cfg, ctx->store);
	if (until == 0)
		notify_scheduler_event(ctx->store, &ctx->cfg, NOTIFY_STARTED,
		    NULL, cmd_scheduler_now());
	while (!cmd_scheduler_stop) {
		if (cmd_scheduler_reload) {
			cmd_scheduler_reload = 0;
			cmd_scheduler_reconfigure(ctx);
			scheduler_forget_dags(&sched);
		}
		cmd_scheduler_spool(ctx);
		now = cmd_scheduler_now();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		scheduler_pass(&sched, now);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_debug("pass took %lld ms", (long long)((t1.tv_sec -
		    t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
		notify_step(nt, now);
		if (until != 0 && chain_link_done(cmd_scheduler_now(), until,
		    sched.inflight, sched.capped, sched.wake))
			break;

		/*
		 * Wake for the next due interval or retry; while jobs are in
		 * flight also every poll_interval (a job that dies without
		 * its wrapper saying so is only seen by polling); while Slurm
		 * does not answer, back off up to five minutes.
		 */
		wake_at = sched.wake != 0 ? sched.wake : now + 3600;
		if (sched.inflight > 0 || sched.capped)
			wake_at = MIN(wake_at, now + ctx->cfg.poll_interval);
		if (sched.slurm_down_since != 0)
			wake_at = MIN(wake_at, now + MIN(300,
			    5 << MIN(sched.slurm_failures, 6)));
		if (until != 0)
			wake_at = MIN(wake_at, until);
		if (cmd_scheduler_renew(ctx, &me, 1, time(NULL) +
		    (wake_at - now)) != 0) {
			lost = 1;
			break;
		}
		cmd_scheduler_snapshot(ctx, 0);
		if (cmd_scheduler_wait(ctx, &me,
		    watch, wake_at, wake_at - now, nt) != 0) {
			lost = 1;
			break;
		}
	}
	if (watch != -1)
		close(watch);
	cluster_rpc_counts(&rpcs, &submits);
	log_info("%lu requests to Slurm, %lu of them submissions", rpcs,
	    submits);
	log_info("scheduler stopped");
	if (until == 0)
		notify_scheduler_event(ctx->store, &ctx->cfg, NOTIFY_STOPPED,
		    NULL, cmd_scheduler_now());
	notify_flush(nt, 3000);
	notify_free(nt);
	scheduler_free(&sched);
	if (!lost) {
		store_lease_release(ctx->store, &me);
		cmd_scheduler_snapshot(ctx, 0);
	}
	cmd_scheduler_unlock();
	free(me.host);
	return (lost ? 1 : 0);
}
