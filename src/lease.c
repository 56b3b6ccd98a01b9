/* The scheduler's lease: one scheduler acts on a database at a time. */

/*
 * Two guards keep a second scheduler from acting on a database: a flock on
 * scheduler.lock beside it, which only processes of this host see, and the
 * lease in the database (store-lease.c), which every host sees. A lease
 * held by a process of this host is dead when the flock can be had.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "lease.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* The lease being taken, for lease_holder_dead (the store's callback). */
static const struct lease *lease_self;

/* Try the flock once, without waiting: 0 held (or held already), -1 not. */
static int
lease_lock(struct lease *l, char **cause)
{
	char	*path, buf[32];
	ssize_t	 len;

	if (l->locked)
		return (0);
	if (l->fd == -1) {
		xasprintf(&path, "%s/scheduler.lock", l->cfg->state_dir);
		l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (l->fd == -1) {
			xasprintf(cause, "cannot open lock '%s': %s", path,
			    strerror(errno));
			free(path);
			return (-1);
		}
		free(path);
	}
	if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
		len = pread(l->fd, buf, sizeof buf - 1, 0);
		buf[len > 0 ? len : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(l->lockpid, sizeof l->lockpid, "%s", buf);
		return (-1);
	}
	l->locked = 1;
	snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, buf, strlen(buf), 0) < 0)
		log_warn("cannot write lock file");
	return (0);
}

/* Whether a live lease's holder is a process of this host that is gone. */
static int
lease_holder_dead(const struct store_lease *holder)
{
	return (strcmp(holder->host, lease_self->me.host) == 0 &&
	    lease_self->locked);
}

/* "(pid P)" for this host, "(host H, pid P, Slurm job J)" for another. */
static char *
lease_holder(const struct lease *l, const struct store_lease *holder)
{
	char	*s;

	if (strcmp(holder->host, l->me.host) == 0)
		xasprintf(&s, "(pid %ld)", holder->pid);
	else if (holder->job_id != NULL)
		xasprintf(&s, "(host %s, pid %ld, Slurm job %s)", holder->host,
		    holder->pid, holder->job_id);
	else
		xasprintf(&s, "(host %s, pid %ld)", holder->host, holder->pid);
	return (s);
}

/* Ours: this host, this process, and the Slurm job we run in, if any. */
void
lease_init(struct lease *l, const struct config *cfg, struct store *st)
{
	memset(l, 0, sizeof *l);
	l->cfg = cfg;
	l->st = st;
	l->fd = -1;
	l->me.host = xstrdup(cfg->host_name);
	l->me.pid = (long)getpid();
	l->me.job_id = getenv("SLURM_JOB_ID");
	if (l->me.job_id != NULL && *l->me.job_id == '\0')
		l->me.job_id = NULL;
}

/* Say whom we take over from, when a lease was held before. */
static void
lease_took_over(const struct lease *l, const struct store_lease *holder,
    int64_t now)
{
	char	*who;

	if (holder->host == NULL || holder->heartbeat == 0 ||
	    (strcmp(holder->host, l->me.host) == 0 &&
	    holder->pid == l->me.pid))
		return;
	who = lease_holder(l, holder);
	if (holder->expires > now)
		log_info("taking over from the scheduler %s, which is gone",
		    who);
	else
		log_info("taking over from the scheduler %s, whose lease "
		    "expired %lld s ago", who,
		    (long long)(now - holder->expires));
	free(who);
}

/*
 * Take the lease, and the flock: 0, or -1 with a cause. While a scheduler
 * of another host holds a live lease, standby waits for it to expire (or
 * for *stop: then -1 with no cause); without standby, or when the holder
 * is of this host, a live lease is an error.
 */
int
lease_take(struct lease *l, int standby, const volatile sig_atomic_t *stop,
    char **cause)
{
	struct store_lease	 holder;
	char			*who;
	int64_t			 now, len;
	int			 rc, waiting = 0;

	*cause = NULL;
	lease_self = l;
	for (;;) {
		if (lease_lock(l, cause) != 0 && l->fd == -1)
			return (-1);
		now = time(NULL);
		len = config_lease_length(l->cfg);
		l->me.expires = now + len;
		rc = store_lease_take(l->st, &l->me, now, lease_holder_dead,
		    &holder);
		if (rc < 0 && !waiting) {
			xasprintf(cause, "database: %s", store_error(l->st));
			return (-1);
		}
		if (rc == 1)
			break;
		if (rc < 0) {
			/* Read beside a writer we cannot lock out: again. */
			log_warnx("standby: cannot read the lease: %s",
			    store_error(l->st));
			store_lease_clear(&holder);
			sleep(1);
			continue;
		}
		who = lease_holder(l, &holder);
		if (!standby || strcmp(holder.host, l->me.host) == 0) {
			xasprintf(cause, "another scheduler is running on '%s' "
			    "%s", l->cfg->db_path, who);
			free(who);
			store_lease_clear(&holder);
			return (-1);
		}
		if (!waiting)
			log_info("standby: another scheduler is running on "
			    "'%s' %s; taking over if its lease expires (%lld "
			    "s after its last heartbeat)", l->cfg->db_path,
			    who, (long long)len);
		waiting = 1;
		free(who);
		/* Look again every poll interval: a clean stop lets go. */
		now = MIN(holder.expires - time(NULL) + 1,
		    l->cfg->poll_interval);
		store_lease_clear(&holder);
		while (now-- > 0 && !*stop)
			sleep(1);
		if (*stop)
			return (-1);
	}
	lease_took_over(l, &holder, now);
	store_lease_clear(&holder);
	/* A process of this host holds the flock but no lease: an old one. */
	if (lease_lock(l, cause) != 0) {
		if (store_lease_release(l->st, &l->me) != 0)
			log_warnx("database: %s", store_error(l->st));
		xasprintf(cause, "another scheduler is running on '%s' (pid "
		    "%s)", l->cfg->db_path, *l->lockpid != '\0' ?
		    l->lockpid : "unknown");
		return (-1);
	}
	return (0);
}

/*
 * Renew the lease, recording a pass when pass is set (the next one due by
 * next): 0, or -1 when another scheduler has taken it, which ends this one.
 */
int
lease_renew(struct lease *l, int pass, int64_t next)
{
	struct store_lease	 holder;
	char			*who;
	int64_t			 now = time(NULL);
	int			 rc;

	l->me.expires = now + config_lease_length(l->cfg);
	if ((rc = store_lease_renew(l->st, &l->me, now, pass, next)) == 1)
		return (0);
	if (rc < 0) {
		/* Busy or failing: the lease has time left; try again. */
		log_warnx("cannot renew the lease: %s", store_error(l->st));
		return (0);
	}
	if (store_lease_get(l->st, &holder) == 1) {
		who = lease_holder(l, &holder);
		log_warnx("the scheduler %s has taken the lease: stopping",
		    who);
		free(who);
	} else
		log_warnx("the lease is gone: stopping");
	store_lease_clear(&holder);
	return (-1);
}

/* Let the lease go: the next scheduler takes it at once. */
void
lease_release(struct lease *l)
{
	if (store_lease_release(l->st, &l->me) != 0)
		log_warnx("database: %s", store_error(l->st));
}

/* Drop the flock, and what lease_init took. */
void
lease_free(struct lease *l)
{
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	l->locked = 0;
	free(l->me.host);
	l->me.host = NULL;
	if (lease_self == l)
		lease_self = NULL;
}
