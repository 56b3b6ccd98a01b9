/* Reading files that a user or a job could have replaced, and private state. */

/*
 * The scheduler reads files that others could have put in its way: markers
 * and results its jobs write, the logs it shows, DAG files and the scripts
 * they name. Each is opened once, without following a symbolic link in its
 * last component (O_NOFOLLOW) and without blocking on a FIFO (O_NONBLOCK,
 * cleared once it is known to be a regular file); the descriptor itself is
 * checked with fstat (owner, type, size) and then read, so no one can swap
 * the file between the check and the read. Paths a job reports are never
 * stat()ed by path: they are opened O_PATH|O_NOFOLLOW and fstat()ed.
 *
 * The state folder holds the database (params, logs, DAG text with any
 * token in it): it is 0700, its files 0600, and one that others can write
 * is refused.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"
#include "safefile.h"

/*
 * Whether sb's owner is one flags accept: this process's effective uid,
 * or root unless SAFEFILE_MINE.
 */
static int
safefile_owner_ok(const struct stat *sb, int flags)
{
	if (sb->st_uid == geteuid())
		return (1);
	return (sb->st_uid == 0 && !(flags & SAFEFILE_MINE));
}

/*
 * Open path to read, and check what was opened: a regular file, not a
 * symbolic link, with an owner flags accept, and (max > 0) no bigger than
 * max bytes. Return the descriptor, its stat in sb when not NULL, or -1
 * with errno set (ELOOP a symbolic link, EISDIR or EINVAL not a regular
 * file, EPERM owner or mode, EFBIG too big) and, when cause is not NULL,
 * why in words, to follow "cannot open ... 'path': ".
 */
int
safefile_open(const char *path, int flags, off_t max, struct stat *sb,
    char **cause)
{
	struct stat	 st, lst;
	int		 fd, fl, saved;
	char		*why = NULL;

	if (sb == NULL)
		sb = &st;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1) {
		saved = errno;
		if (saved == ELOOP && lstat(path, &lst) == 0 &&
		    S_ISLNK(lst.st_mode))
			why = xstrdup("it is a symbolic link (name the file "
			    "it points to)");
		else
			why = xstrdup(strerror(saved));
		goto fail;
	}
	if (fstat(fd, sb) != 0) {
		saved = errno;
		why = xstrdup(strerror(saved));
		goto fail;
	}
	if (!S_ISREG(sb->st_mode)) {
		saved = S_ISDIR(sb->st_mode) ? EISDIR : EINVAL;
		why = xstrdup(saved == EISDIR ? strerror(saved) :
		    "not a regular file");
		goto fail;
	}
	if (!safefile_owner_ok(sb, flags)) {
		saved = EPERM;
		xasprintf(&why, "it belongs to uid %lu, not to uid %lu",
		    (unsigned long)sb->st_uid, (unsigned long)geteuid());
		goto fail;
	}
	if ((flags & SAFEFILE_PRIVATE) && (sb->st_mode & (S_IWGRP | S_IWOTH))) {
		saved = EPERM;
		xasprintf(&why, "it is writable by group or others (chmod "
		    "go-w '%s')", path);
		goto fail;
	}
	if (max > 0 && sb->st_size > max) {
		saved = EFBIG;
		xasprintf(&why, "file too large (%lld bytes, more than %lld)",
		    (long long)sb->st_size, (long long)max);
		goto fail;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		saved = errno;
		why = xstrdup(strerror(saved));
		goto fail;
	}
	return (fd);

fail:
	if (fd != -1)
		close(fd);
	if (cause != NULL)
		*cause = why;
	else
		free(why);
	errno = saved;
	return (-1);
}

/* safefile_open as a stdio stream; NULL as it fails. */
FILE *
safefile_fopen(const char *path, int flags, off_t max, char **cause)
{
	FILE	*f;
	int	 fd, saved;

	if ((fd = safefile_open(path, flags, max, NULL, cause)) == -1)
		return (NULL);
	if ((f = fdopen(fd, "r")) == NULL) {
		saved = errno;
		close(fd);
		if (cause != NULL)
			*cause = xstrdup(strerror(saved));
		errno = saved;
	}
	return (f);
}

/*
 * Read the whole of a file safefile_open accepts into a NUL-terminated
 * buffer: never more than max bytes (max > 0), even if it grows while it
 * is read. 0, or -1 as safefile_open.
 */
int
safefile_read(const char *path, int flags, size_t max, char **out,
    size_t *outlen, char **cause)
{
	char	*buf = NULL;
	size_t	 len = 0, size = 0;
	ssize_t	 n;
	int	 fd, saved;

	*out = NULL;
	*outlen = 0;
	if ((fd = safefile_open(path, flags, (off_t)max, NULL, cause)) == -1)
		return (-1);
	for (;;) {
		if (len == size) {
			if (max > 0 && size > max) {
				saved = EFBIG;
				if (cause != NULL)
					xasprintf(cause, "file too large "
					    "(more than %zu bytes)", max);
				goto fail;
			}
			size = size == 0 ? 8192 : size * 2;
			buf = xreallocarray(buf, 1, size + 1);
		}
		n = read(fd, buf + len, size - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			if (cause != NULL)
				*cause = xstrdup(strerror(saved));
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (max > 0 && len > max) {
		saved = EFBIG;
		if (cause != NULL)
			xasprintf(cause, "file too large (more than %zu "
			    "bytes)", max);
		goto fail;
	}
	close(fd);
	if (buf == NULL)
		buf = xmalloc(1);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return (0);

fail:
	free(buf);
	close(fd);
	errno = saved;
	return (-1);
}

/*
 * stat(2) for a path a job or a user named: the file itself, never where
 * a symbolic link points (a link's own stat), found with this process's
 * rights. 0, or -1 with errno.
 */
int
safefile_stat(const char *path, struct stat *sb)
{
	int	fd, rc, saved;

	if ((fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return (-1);
	rc = fstat(fd, sb);
	saved = errno;
	close(fd);
	errno = saved;
	return (rc);
}

/*
 * Whether the folders above path keep others out: each, up to the root,
 * must belong to this process's effective uid or to root, and be writable
 * by no one else, unless it is sticky (like /tmp: then others cannot
 * rename or remove what is ours in it). Otherwise whoever may write one
 * could put another file in the place of path. 0, or -1 with why in
 * *cause.
 */
int
safefile_folders(const char *path, char **cause)
{
	struct stat	 sb;
	char		*dir, *slash, real[PATH_MAX];

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (realpath(dir, real) == NULL) {
		xasprintf(cause, "cannot find folder '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return (-1);
	}
	free(dir);
	for (;;) {
		if (stat(real, &sb) != 0) {
			xasprintf(cause, "cannot stat folder '%s': %s", real,
			    strerror(errno));
			return (-1);
		}
		if (!safefile_owner_ok(&sb, 0)) {
			xasprintf(cause, "folder '%s' belongs to uid %lu: "
			    "another user could replace what is in it",
			    real, (unsigned long)sb.st_uid);
			return (-1);
		}
		if ((sb.st_mode & (S_IWGRP | S_IWOTH)) &&
		    !(sb.st_mode & S_ISVTX)) {
			xasprintf(cause, "folder '%s' is writable by group or "
			    "others (chmod go-w '%s')", real, real);
			return (-1);
		}
		if (strcmp(real, "/") == 0)
			return (0);
		slash = strrchr(real, '/');
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* The folders updraft keeps in a state folder. */
static const char *safefile_state_folders[] = {
	"logs", "markers", "results", "versions", "arrays", "spool", NULL
};

/*
 * Make sure a state folder keeps its files to its owner. One that others
 * may write is refused (they could plant a database, a log, a marker); one
 * of ours that others may only read is made 0700, as Updraft now makes
 * them, with the folders updraft keeps in it (an older updraft made them
 * all 0755); a missing one is fine (fs_mkdirs makes it 0700). 0, or -1
 * with *cause.
 */
int
safefile_state_dir(const char *dir, char **cause)
{
	struct stat	  sb, sub;
	const char	**name;
	char		 *path;

	if (stat(dir, &sb) != 0)
		return (0);
	if (!S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "state folder '%s' is not a folder", dir);
		return (-1);
	}
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		xasprintf(cause, "state folder '%s' is writable by group or "
		    "others: run 'chmod go-w %s'", dir, dir);
		return (-1);
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 077) == 0)
		return (0);
	(void)chmod(dir, sb.st_mode & 07700);
	for (name = safefile_state_folders; *name != NULL; name++) {
		xasprintf(&path, "%s/%s", dir, *name);
		if (lstat(path, &sub) == 0 && S_ISDIR(sub.st_mode) &&
		    sub.st_uid == geteuid() && (sub.st_mode & 077) != 0)
			(void)chmod(path, sub.st_mode & 07700);
		free(path);
	}
	return (0);
}

/*
 * Keep a file of the state folder to its owner: make it 0600 if it is ours
 * and others may read it; with create, make it (empty, 0600) if it is not
 * there. Never follows a symbolic link. 0, or -1 with errno.
 */
int
safefile_private(const char *path, int create)
{
	struct stat	sb;
	int		fd, saved, rc = 0;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	if (fd == -1)
		return (!create && errno == ENOENT ? 0 : -1);
	if (fstat(fd, &sb) != 0)
		rc = -1;
	else if (S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
	    (sb.st_mode & 077) != 0)
		rc = fchmod(fd, sb.st_mode & 0700);
	saved = errno;
	close(fd);
	errno = saved;
	return (rc);
}
