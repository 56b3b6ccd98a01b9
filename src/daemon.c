/* The scheduler's loop: passes until SIGTERM, or one pass. */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "cluster.h"
#include "daemon.h"
#include "lease.h"
#include "notify.h"
#include "scheduler.h"
#include "spool.h"
#include "wake.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static volatile sig_atomic_t daemon_stop;
static volatile sig_atomic_t daemon_reload;

static void
daemon_signal(int sig)
{
	if (sig == SIGHUP)
		daemon_reload = 1;
	else
		daemon_stop = 1;
}

/*
 * The wall clock, read once per pass. Tests set UPDRAFT_FAKE_NOW (an
 * ISO-8601 instant) to stand at a fixed time: then exact logical dates can
 * be checked for any "now". Nothing else in updraft reads it.
 */
static int64_t
daemon_now(void)
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
 * Sleep until the wall clock reaches wake_at, something changes or a signal
 * comes, in steps of at most a minute: the monotonic clock bounds the
 * sleep, and the wall clock is read again after each step, so a suspended
 * laptop or a clock set forward wakes on time instead of a day late.
 */
static int
daemon_sleep(int fd, int64_t wake_at, int64_t longest, struct notify *nt)
{
	struct timespec	start, now;
	int64_t		ms, left;
	int		woken;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!daemon_stop && !daemon_reload) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = longest * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000);
		left = (wake_at - daemon_now()) * 1000;
		if (left < ms)
			ms = left;
		if (ms <= 0)
			break;
		/* Deliveries move on while we wait (notify.c). */
		if (nt != NULL) {
			woken = notify_wait(nt, fd, ms > 60000 ? 60000 :
			    (int)ms, daemon_now());
			notify_step(nt, daemon_now());
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
 * Sleep as daemon_sleep does, for at most longest seconds, renewing the
 * lease every poll_interval meanwhile: -1 when the lease was lost.
 */
static int
daemon_wait(const struct daemon *d, struct lease *l, int fd, int64_t wake_at,
    int64_t longest, struct notify *nt)
{
	struct timespec	start, now;
	int64_t		left;
	int		woken;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!daemon_stop && !daemon_reload) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = longest - (now.tv_sec - start.tv_sec);
		if (left <= 0 || daemon_now() >= wake_at)
			break;
		woken = daemon_sleep(fd, wake_at,
		    MIN(left, d->cfg->poll_interval), nt);
		if (lease_renew(l, 0, 0) != 0)
			return (-1);
		if (woken)
			break;
	}
	return (0);
}

/*
 * Where locks cannot be trusted, readers read a snapshot (cmd.c): refresh
 * it after a pass that changed something, or when forced (requests from
 * the spool, written by other connections).
 */
static void
daemon_snapshot(const struct daemon *d, int force)
{
	static int64_t	 taken = -1;
	char		*cause;

	if (d->fs->locks_trusted || (!force && store_changes(d->st) == taken))
		return;
	if (store_snapshot(d->st, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return;
	}
	taken = store_changes(d->st);
}

static void
daemon_settled(void *arg)
{
	daemon_snapshot(arg, 1);
}

/* Apply what verbs left in the spool (spool.c), before a pass. */
static void
daemon_spool(const struct daemon *d)
{
	spool_apply(d->cfg, d->config_file, d->spool_verb, daemon_settled,
	    (void *)d);
}

/*
 * SIGHUP: read the configuration again (DAG files are read at every pass
 * anyway). A bad file keeps the old configuration, with a warning. The
 * database and the lock stay: a new state_dir needs a restart.
 */
static void
daemon_reconfigure(const struct daemon *d)
{
	struct config	 cfg;
	char		*cause;

	if (config_load(&cfg, d->config_file, &cause) != 0) {
		log_warnx("reload: %s; keeping the configuration", cause);
		free(cause);
		return;
	}
	if (strcmp(cfg.db_path, d->cfg->db_path) != 0)
		log_warnx("reload: state_dir changed: restart to use it");
	free(cfg.db_path);
	cfg.db_path = xstrdup(d->cfg->db_path);
	free(cfg.host_name);
	cfg.host_name = xstrdup(d->cfg->host_name);
	free(cfg.state_dir);
	cfg.state_dir = xstrdup(d->cfg->state_dir);
	free(cfg.logs_dir);
	cfg.logs_dir = xstrdup(d->cfg->logs_dir);
	memcpy(cfg.job_suffix, d->cfg->job_suffix, sizeof cfg.job_suffix);
	config_free(d->cfg);
	*d->cfg = cfg;
	log_info("configuration reloaded");
}

/* Say what the database's filesystem means for its locks. */
static void
daemon_fs_note(const struct daemon *d)
{
	if (!d->fs->locks_trusted)
		log_warnx("database '%s' is on %s, whose locks cannot be "
		    "trusted (%s): only the scheduler writes it; other verbs "
		    "leave requests in '%s/spool' and read a snapshot",
		    d->cfg->db_path, d->fs->name != NULL ? d->fs->name :
		    "a local disk", d->fs->why, d->cfg->state_dir);
	else if (d->fs->name != NULL)
		log_info("database '%s' is on %s: rollback journal, POSIX "
		    "locks", d->cfg->db_path, d->fs->name);
}

/* Handlers only set a flag: the loop acts on it between passes. */
static void
daemon_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = daemon_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * When to wake after a pass at now: for the next due interval or retry;
 * while jobs are in flight also every poll_interval (a job that dies
 * without its wrapper saying so is only seen by polling); while Slurm does
 * not answer, backing off up to five minutes; a chain link at its end.
 */
static int64_t
daemon_wake_at(const struct daemon *d, const struct scheduler *sched,
    int64_t now)
{
	int64_t	wake_at;

	wake_at = sched->wake != 0 ? sched->wake : now + 3600;
	if (sched->inflight > 0 || sched->capped)
		wake_at = MIN(wake_at, now + d->cfg->poll_interval);
	if (sched->slurm_down_since != 0)
		wake_at = MIN(wake_at, now + MIN(300,
		    5 << MIN(sched->slurm_failures, 6)));
	if (d->until != 0)
		wake_at = MIN(wake_at, d->until);
	return (wake_at);
}

/* One pass at now, timed for the debug log. */
static void
daemon_pass(struct scheduler *sched, int64_t now)
{
	struct timespec	t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	scheduler_pass(sched, now);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_debug("pass took %lld ms", (long long)((t1.tv_sec - t0.tv_sec) *
	    1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
}

/*
 * Run the scheduler: take the lease, then make passes until SIGTERM, the
 * lease is lost or a chain link is done, or one pass with once. The exit
 * status: 0, or 1 (with a cause to print when there is one). Without
 * once, a live scheduler of another host is waited for; a chain's link
 * gives way at once.
 */
int
daemon_run(const struct daemon *d, char **cause)
{
	struct scheduler	 sched;
	struct lease		 l;
	struct notify		*nt;
	int64_t			 now, wake_at;
	unsigned long		 rpcs, submits;
	int			 watch = -1, lost = 0;

	*cause = NULL;
	if (!d->once)
		daemon_signals();
	lease_init(&l, d->cfg, d->st);
	if (lease_take(&l, !d->once && d->until == 0, &daemon_stop,
	    cause) != 0) {
		lease_free(&l);
		return (daemon_stop ? 0 : 1);
	}
	daemon_fs_note(d);
	memset(&sched, 0, sizeof sched);
	sched.cfg = d->cfg;
	sched.st = d->st;
	if (!d->once) {
		log_info("scheduler started (host %s, pid %ld, database '%s', "
		    "dags '%s')", l.me.host, l.me.pid, d->cfg->db_path,
		    d->cfg->dags_folder);
		watch = wake_watch(d->cfg);
	}
	/* With once, only to deliver what is due: the rest waits. */
	nt = !d->once || d->cfg->notify != NULL ? notify_init(d->cfg, d->st) :
	    NULL;
	if (!d->once && d->until == 0)
		notify_scheduler_event(d->st, d->cfg, NOTIFY_STARTED, NULL,
		    daemon_now());
	while (!daemon_stop) {
		if (daemon_reload) {
			daemon_reload = 0;
			daemon_reconfigure(d);
			scheduler_forget_dags(&sched);
		}
		daemon_spool(d);
		now = daemon_now();
		daemon_pass(&sched, now);
		if (d->once) {
			lease_renew(&l, 1, 0);
			break;
		}
		notify_step(nt, now);
		if (d->until != 0 && chain_link_done(daemon_now(), d->until,
		    sched.inflight, sched.capped, sched.wake))
			break;
		wake_at = daemon_wake_at(d, &sched, now);
		if (lease_renew(&l, 1, time(NULL) + (wake_at - now)) != 0) {
			lost = 1;
			break;
		}
		daemon_snapshot(d, 0);
		if (daemon_wait(d, &l, watch, wake_at, wake_at - now,
		    nt) != 0) {
			lost = 1;
			break;
		}
	}

	if (!d->once) {
		if (watch != -1)
			close(watch);
		cluster_rpc_counts(&rpcs, &submits);
		log_info("%lu requests to Slurm, %lu of them submissions",
		    rpcs, submits);
		log_info("scheduler stopped");
		if (d->until == 0)
			notify_scheduler_event(d->st, d->cfg, NOTIFY_STOPPED,
			    NULL, daemon_now());
	}
	notify_flush(nt, 3000);
	notify_free(nt);
	scheduler_free(&sched);
	if (!lost) {
		lease_release(&l);
		daemon_snapshot(d, 0);
	}
	lease_free(&l);
	return (lost);
}
