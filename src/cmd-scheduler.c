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

#include "cmd.h"
#include "notify.h"
#include "scheduler.h"
#include "slurm.h"
#include "wake.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static int	cmd_scheduler_exec(struct cmd_ctx *, int, char **);
static int64_t	cmd_scheduler_now(void);

const struct cmd_entry cmd_scheduler_entry = {
	.name = "scheduler",
	.usage = "[--once]",
	.summary = "run the scheduler in the foreground (or one pass, for "
	    "cron)",
	.help = "Each pass loads the DAG files, creates the runs that are due, "
	    "polls Slurm once\nfor every job and submits the tasks that are "
	    "ready. SIGTERM finishes the pass\nand exits 0. Only one scheduler "
	    "runs on a database at a time.\n",
	.flags = CMD_STORE,
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
 * Take the scheduler's lock beside the database; -1 with the holder's pid
 * in the message when another scheduler has it. The lock lasts as long as
 * the process, whatever way it ends.
 */
static int
cmd_scheduler_lock(const struct config *cfg)
{
	char	*path, buf[32];
	int	 fd;
	ssize_t	 len;

	xasprintf(&path, "%s/scheduler.lock", cfg->state_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		cmd_error("cannot open lock '%s': %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		len = read(fd, buf, sizeof buf - 1);
		buf[len > 0 ? len : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		cmd_error("another scheduler is running on '%s' (pid %s)",
		    cfg->db_path, *buf != '\0' ? buf : "unknown");
		free(path);
		close(fd);
		return (-1);
	}
	free(path);
	snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || write(fd, buf, strlen(buf)) < 0)
		log_warn("cannot write lock file");
	return (fd);
}

/*
 * Sleep until the wall clock reaches wake_at, something changes or a signal
 * comes, in steps of at most a minute: the monotonic clock bounds the
 * sleep, and the wall clock is read again after each step, so a suspended
 * laptop or a clock set forward wakes on time instead of a day late.
 */
static void
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
			break;
	}
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
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction	 sa;
	struct scheduler	 sched;
	int64_t			 wake_at, now;
	struct notify		*nt;
	struct timespec		 t0, t1;
	const char		*fs;
	int			 ch, once = 0, lock, watch;
	unsigned long		 rpcs, submits;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'o')
			return (cmd_usage(&cmd_scheduler_entry));
		once = 1;
	}
	if (optind != argc)
		return (cmd_usage(&cmd_scheduler_entry));
	if ((lock = cmd_scheduler_lock(&ctx->cfg)) == -1)
		return (1);

	memset(&sched, 0, sizeof sched);
	sched.cfg = &ctx->cfg;
	sched.st = ctx->store;
	if (once) {
		scheduler_pass(&sched, cmd_scheduler_now());
		/* Deliver what is due, a little: the rest waits in the outbox. */
		if (ctx->cfg.notify != NULL) {
			nt = notify_init(&ctx->cfg, ctx->store);
			notify_flush(nt, 3000);
			notify_free(nt);
		}
		scheduler_free(&sched);
		close(lock);
		return (0);
	}

	/* Handlers only set a flag: the loop acts on it between passes. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cmd_scheduler_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	log_info("scheduler started (pid %ld, database '%s', dags '%s')",
	    (long)getpid(), ctx->cfg.db_path, ctx->cfg.dags_folder);
	if ((fs = fs_network_of(ctx->cfg.state_dir)) != NULL)
		log_warnx("database '%s' is on %s, where SQLite's locks are "
		    "not to be trusted: set state_dir to a local disk",
		    ctx->cfg.db_path, fs);
	watch = wake_watch(&ctx->cfg);
	nt = notify_init(&ctx->cfg, ctx->store);
	notify_scheduler_event(ctx->store, &ctx->cfg, NOTIFY_STARTED, NULL,
	    cmd_scheduler_now());
	while (!cmd_scheduler_stop) {
		if (cmd_scheduler_reload) {
			cmd_scheduler_reload = 0;
			cmd_scheduler_reconfigure(ctx);
		}
		now = cmd_scheduler_now();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		scheduler_pass(&sched, now);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_debug("pass took %lld ms", (long long)((t1.tv_sec -
		    t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
		notify_step(nt, now);

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
		cmd_scheduler_sleep(watch, wake_at, wake_at - now, nt);
	}
	if (watch != -1)
		close(watch);
	slurm_rpc_counts(&rpcs, &submits);
	log_info("%lu requests to Slurm, %lu of them submissions", rpcs,
	    submits);
	log_info("scheduler stopped");
	notify_scheduler_event(ctx->store, &ctx->cfg, NOTIFY_STOPPED, NULL,
	    cmd_scheduler_now());
	notify_flush(nt, 3000);
	notify_free(nt);
	scheduler_free(&sched);
	close(lock);
	return (0);
}
