/* Waking the scheduler: files it watches, and a nudge verbs give it. */

/*
 * The scheduler sleeps until its next due interval, but some things cannot
 * wait: a DAG file written, a verb's intent (unpause, trigger, backfill),
 * a job's wrapper writing its exit status. It watches the DAGs folder, the
 * markers folder and a "wake" file with inotify; a verb touches the wake
 * file after its transaction commits. On filesystems where inotify does not
 * see other hosts' writes (NFS), the poll interval still catches them.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "scheduler.h"
#include "wake.h"

/* Tell a scheduler, if one runs, that there is new intent to act on. */
void
wake_poke(const struct config *cfg)
{
	char	*path;
	int	 fd;

	xasprintf(&path, "%s/wake", cfg->state_dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) != -1)
		close(fd);
	free(path);
}

/* Start watching; -1 when inotify is not to be had (then poll only). */
int
wake_watch(const struct config *cfg)
{
	char	*markers;
	int	 fd;

	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return (-1);
	xasprintf(&markers, "%s/markers", cfg->state_dir);
	fs_mkdirs(markers);
	if (inotify_add_watch(fd, cfg->dags_folder, IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE) == -1)
		log_warn("cannot watch '%s'", cfg->dags_folder);
	if (inotify_add_watch(fd, markers, IN_MOVED_TO | IN_CLOSE_WRITE) == -1)
		log_warn("cannot watch '%s'", markers);
	if (inotify_add_watch(fd, cfg->state_dir, IN_CLOSE_WRITE) == -1)
		log_warn("cannot watch '%s'", cfg->state_dir);
	free(markers);
	return (fd);
}

/* Whether a changed file is one we wait for (the database is not). */
static int
wake_matters(const char *name)
{
	size_t	len = strlen(name);

	if (strcmp(name, "wake") == 0)
		return (1);
	return ((len > 4 && strcmp(name + len - 4, ".dag") == 0) ||
	    (len > 5 && strcmp(name + len - 5, ".exit") == 0));
}

/* Wait up to ms milliseconds for something to change; 1 if it did. */
int
wake_wait(int fd, int ms)
{
	struct pollfd			 pfd;
	char				 buf[4096];
	const struct inotify_event	*ev;
	ssize_t				 n, off;
	int				 woken = 0;

	if (fd == -1) {
		poll(NULL, 0, ms);
		return (0);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) <= 0)
		return (0);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (off = 0; off < n; off += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->len > 0 && wake_matters(ev->name))
				woken = 1;
		}
	}
	return (woken);
}
