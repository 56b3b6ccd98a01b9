/* Requests of verbs that may not write the database, for the scheduler. */

/*
 * Where the filesystem's locks cannot be trusted (fs.c), two hosts writing
 * one SQLite file would corrupt it, so only the scheduler writes. A verb
 * that would write (pause, trigger, clear...) leaves its command line in
 * STATE/spool/ID.req instead, written to ID.req.tmp first and renamed into
 * place, so the scheduler never reads half a request. At its next pass the
 * scheduler runs each request as a child process of its own host (whose
 * locks it can trust), with the requester's name, and leaves what it
 * printed in ID.out and ID.err, then ID.done with its exit status, renamed
 * into place last. It renames ID.req to ID.taken before it runs it: a
 * request runs at most once, even when the scheduler is killed. The verb waits for ID.done while a scheduler holds the
 * lease, prints what the request printed and exits as it did; without a
 * scheduler the request waits in the spool for the next one.
 *
 * The scheduler runs a request with its own rights, so it runs only what
 * its own user could have written: a regular file (not a link, a FIFO or
 * a device: opened O_NONBLOCK | O_NOFOLLOW and checked with fstat on the
 * descriptor, read from it) owned by the scheduler's uid, mode 0600,
 * naming a verb that writes (the caller's verb_ok) first, followed only
 * by that verb's arguments. Anything else is renamed to ID.refused, never
 * run, with a log line; a legitimate requester gets exit status 2 and
 * the reason.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_MAGIC	"updraft-request 1\n"
#define SPOOL_KEEP	86400	/* seconds an unclaimed answer is kept */
#define SPOOL_MAX_SIZE	(1024 * 1024)	/* bytes of a request, at most */

static char *
spool_dir(const struct config *cfg)
{
	char	*dir;

	xasprintf(&dir, "%s/spool", cfg->state_dir);
	return (dir);
}

/*
 * Write data to path.tmp and rename it to path: 0, or -1 with errno. The
 * file is created afresh, mode 0600 whatever the umask, never through a
 * link left in its place.
 */
static int
spool_write(const char *path, const char *data, size_t len)
{
	char	*tmp;
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd, saved;

	xasprintf(&tmp, "%s.tmp", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		free(tmp);
		return (-1);
	}
	if (fchmod(fd, 0600) != 0)
		goto fail;
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		fd = -1;
		goto fail;
	}
	free(tmp);
	return (0);

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return (-1);
}

/*
 * Leave a request: the verb's argv (argv[0] its name) on behalf of user.
 * 0 with *id allocated, or -1 with *cause.
 */
int
spool_request(const struct config *cfg, const char *user, int argc,
    char **argv, char **id, char **cause)
{
	static int	 counter;
	char		*dir, *path, *buf, host[64];
	size_t		 len;
	FILE		*f;
	int		 i;

	dir = spool_dir(cfg);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot create spool '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return (-1);
	}
	/* The name sorts by time, then tells whose it is. */
	snprintf(host, sizeof host, "%s", cfg->host_name);
	for (i = 0; host[i] != '\0'; i++) {
		if (host[i] == '/' || host[i] == '.')
			host[i] = '_';
	}
	xasprintf(id, "%lld-%s-%ld-%d", (long long)time(NULL), host,
	    (long)getpid(), counter++);
	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "%suser %zu:%s\nargc %d\n", SPOOL_MAGIC, strlen(user),
	    user, argc);
	for (i = 0; i < argc; i++)
		fprintf(f, "%zu:%s\n", strlen(argv[i]), argv[i]);
	fclose(f);
	xasprintf(&path, "%s/%s.req", dir, *id);
	if (spool_write(path, buf, len) != 0) {
		xasprintf(cause, "cannot write request '%s': %s", path,
		    strerror(errno));
		free(path);
		free(buf);
		free(dir);
		free(*id);
		*id = NULL;
		return (-1);
	}
	free(path);
	free(buf);
	free(dir);
	return (0);
}

/* Read one "LEN:TEXT\n" field at *p; NULL when malformed. */
static char *
spool_field(const char **p, const char *end)
{
	char		*stop, *s;
	unsigned long	 len;

	len = strtoul(*p, &stop, 10);
	if (stop == *p || *stop != ':' || len > (size_t)(end - stop - 1) ||
	    stop[1 + len] != '\n')
		return (NULL);
	s = xstrndup(stop + 1, len);
	*p = stop + 2 + len;
	return (s);
}

/* Parse a request: 0 with *user and argv (NULL-terminated), or -1. */
static int
spool_parse(const char *data, size_t len, char **user, char ***argv)
{
	const char	*p = data, *end = data + len;
	char		*stop;
	long		 argc, i;

	*user = NULL;
	*argv = NULL;
	if (len < strlen(SPOOL_MAGIC) || strncmp(p, SPOOL_MAGIC,
	    strlen(SPOOL_MAGIC)) != 0)
		return (-1);
	p += strlen(SPOOL_MAGIC);
	if (end - p < 5 || strncmp(p, "user ", 5) != 0)
		return (-1);
	p += 5;
	if ((*user = spool_field(&p, end)) == NULL)
		return (-1);
	if (end - p < 5 || strncmp(p, "argc ", 5) != 0)
		goto fail;
	argc = strtol(p + 5, &stop, 10);
	if (stop == p + 5 || *stop != '\n' || argc < 1 || argc > 4096)
		goto fail;
	p = stop + 1;
	*argv = xcalloc(argc + 1, sizeof **argv);
	for (i = 0; i < argc; i++) {
		if (((*argv)[i] = spool_field(&p, end)) == NULL)
			goto fail;
	}
	if (p != end)
		goto fail;
	return (0);

fail:
	free(*user);
	*user = NULL;
	for (i = 0; *argv != NULL && (*argv)[i] != NULL; i++)
		free((*argv)[i]);
	free(*argv);
	*argv = NULL;
	return (-1);
}

/*
 * Read what is left of descriptor fd, up to SPOOL_MAX_SIZE bytes:
 * allocated and NUL-terminated, with *len, or NULL.
 */
static char *
spool_read_fd(int fd, size_t *len)
{
	char	*buf = NULL;
	ssize_t	 n;
	char	 chunk[4096];

	*len = 0;
	for (;;) {
		if ((n = read(fd, chunk, sizeof chunk)) == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			return (NULL);
		}
		if (n == 0)
			break;
		if (*len + n > SPOOL_MAX_SIZE) {
			free(buf);
			return (NULL);
		}
		buf = xreallocarray(buf, *len + n + 1, 1);
		memcpy(buf + *len, chunk, n);
		*len += n;
	}
	if (buf == NULL)
		buf = xstrdup("");
	else
		buf[*len] = '\0';
	return (buf);
}

/* Read a whole regular file, not through a link: allocated, or NULL. */
static char *
spool_read(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	int		 fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return (NULL);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return (NULL);
	}
	buf = spool_read_fd(fd, len);
	close(fd);
	return (buf);
}

/* Copy a file to a stream, and remove it. */
static void
spool_copy_out(const char *path, FILE *to)
{
	char	*data;
	size_t	 len;

	if ((data = spool_read(path, &len)) != NULL) {
		fwrite(data, 1, len, to);
		free(data);
	}
	unlink(path);
}

/*
 * Wait up to seconds for request id to be done: then print what it printed
 * and set *status to its exit status, and return 0; 1 if not done yet.
 */
int
spool_wait(const struct config *cfg, const char *id, int seconds, int *status)
{
	char	*dir, *path, *data;
	size_t	 len;
	int	 tenths;

	dir = spool_dir(cfg);
	xasprintf(&path, "%s/%s.done", dir, id);
	for (tenths = 0; tenths < seconds * 10; tenths++) {
		if ((data = spool_read(path, &len)) != NULL)
			break;
		usleep(100000);
	}
	if (data == NULL) {
		free(path);
		free(dir);
		return (1);
	}
	*status = atoi(data);
	free(data);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/%s.out", dir, id);
	spool_copy_out(path, stdout);
	free(path);
	fflush(stdout);
	xasprintf(&path, "%s/%s.err", dir, id);
	spool_copy_out(path, stderr);
	free(path);
	free(dir);
	return (0);
}

/*
 * A request taken by a scheduler that died while it ran (applying runs
 * one at a time, so any taken one found is such): answer that nobody knows
 * whether it was applied.
 */
static void
spool_abandoned(const char *dir, const char *name, size_t len)
{
	char		*path, *id;
	const char	*msg = "updraft: the scheduler stopped while it applied "
			    "this request: look whether it took effect\n";

	id = xstrndup(name, len);
	log_warnx("spool: %s: the scheduler stopped while it applied it", id);
	xasprintf(&path, "%s/%s.err", dir, id);
	if (spool_write(path, msg, strlen(msg)) != 0)
		log_warn("spool: cannot write '%s'", path);
	free(path);
	xasprintf(&path, "%s/%s.done", dir, id);
	if (spool_write(path, "1\n", 2) != 0)
		log_warn("spool: cannot write '%s'", path);
	free(path);
	xasprintf(&path, "%s/%s", dir, name);
	unlink(path);
	free(path);
	free(id);
}

static int
spool_compare(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Run one request, parsed, as a child; its exit status, or -1. */
static int
spool_run(const char *dir, const char *id, const char *config_file,
    const char *user, char **argv)
{
	char	*out, *err, **args, self[PATH_MAX];
	pid_t	 pid;
	int	 fd, status, n = 0, i;
	ssize_t	 len;

	if ((len = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return (-1);
	self[len] = '\0';
	for (i = 0; argv[i] != NULL; i++)
		n++;
	args = xcalloc(n + 4, sizeof *args);
	args[0] = (char *)"updraft";
	i = 1;
	if (config_file != NULL) {
		args[i++] = (char *)"-c";
		args[i++] = (char *)config_file;
	}
	memcpy(args + i, argv, n * sizeof *argv);
	xasprintf(&out, "%s/%s.out", dir, id);
	xasprintf(&err, "%s/%s.err", dir, id);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		free(args);
		free(out);
		free(err);
		return (-1);
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) != -1)
			dup2(fd, 0);
		unlink(out);
		unlink(err);
		if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
		    0600)) != -1)
			dup2(fd, 1);
		if ((fd = open(err, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
		    0600)) != -1)
			dup2(fd, 2);
		setenv("UPDRAFT_SPOOL_APPLY", "1", 1);
		setenv("UPDRAFT_REQUEST_USER", user, 1);
		execv(self, args);
		_exit(127);
	}
	free(args);
	free(out);
	free(err);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

/*
 * Set request id aside as ID.refused (from its name ending in suffix), log
 * why and leave the reason as its answer: a requester of ours who left a
 * bad file learns it, and nothing of the file is run.
 */
static void
spool_refuse(const char *dir, const char *id, const char *suffix,
    const char *why)
{
	char	*from, *to, *msg;

	xasprintf(&from, "%s/%s%s", dir, id, suffix);
	xasprintf(&to, "%s/%s.refused", dir, id);
	if (rename(from, to) != 0) {
		log_warn("spool: %s: refused (%s), and cannot set it aside",
		    id, why);
		unlink(from);
	} else
		log_warnx("spool: %s: refused (%s): set aside as '%s'", id,
		    why, to);
	free(from);
	free(to);
	xasprintf(&to, "%s/%s.err", dir, id);
	xasprintf(&msg, "updraft: the scheduler refused this request: %s\n",
	    why);
	if (spool_write(to, msg, strlen(msg)) != 0)
		log_warn("spool: cannot write '%s'", to);
	free(msg);
	free(to);
}

/*
 * Open request id (ID.req) for reading if the scheduler may run it: a
 * regular file of our own uid, mode 0600, not reached through a link, and
 * never blocking on a FIFO. The descriptor, or -1 with *why allocated (or
 * NULL when the request is gone).
 */
static int
spool_open(const char *dir, const char *id, char **why)
{
	struct stat	 sb;
	char		*path;
	int		 fd = -1;

	*why = NULL;
	xasprintf(&path, "%s/%s.req", dir, id);
	/* Not even opened when it is not a regular file: a device may act. */
	if (lstat(path, &sb) != 0) {
		if (errno != ENOENT)
			xasprintf(why, "cannot stat it: %s", strerror(errno));
		free(path);
		return (-1);
	}
	if (S_ISREG(sb.st_mode) && (fd = open(path, O_RDONLY | O_NONBLOCK |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		xasprintf(why, "cannot open it: %s", strerror(errno));
	else if (fd != -1 && fstat(fd, &sb) != 0)
		xasprintf(why, "cannot stat it: %s", strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		xasprintf(why, "not a regular file");
	else if (sb.st_uid != geteuid())
		xasprintf(why, "owned by uid %lu, not the scheduler's %lu",
		    (unsigned long)sb.st_uid, (unsigned long)geteuid());
	else if ((sb.st_mode & 07777) != 0600)
		xasprintf(why, "mode %04o, not 0600",
		    (unsigned int)(sb.st_mode & 07777));
	else if (sb.st_size > SPOOL_MAX_SIZE)
		xasprintf(why, "larger than %d bytes", SPOOL_MAX_SIZE);
	free(path);
	if (*why != NULL && fd != -1) {
		close(fd);
		fd = -1;
	}
	return (fd);
}

static void
spool_free_argv(char *user, char **argv)
{
	size_t	i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	free(user);
}

/*
 * Take request id: check it (spool_open), claim it (ID.req becomes
 * ID.taken, so a scheduler killed while it runs never runs it again),
 * read and parse it, and check that it names a verb that writes. 0 with
 * *user and *argv, or the exit status to answer with.
 */
static int
spool_take(const char *dir, const char *id, int (*verb_ok)(const char *),
    char **user, char ***argv)
{
	char	*from, *to, *why, *data;
	size_t	 len;
	int	 fd;

	*user = NULL;
	*argv = NULL;
	if ((fd = spool_open(dir, id, &why)) == -1) {
		if (why == NULL)
			return (1);	/* gone */
		spool_refuse(dir, id, ".req", why);
		free(why);
		return (2);
	}
	xasprintf(&from, "%s/%s.req", dir, id);
	xasprintf(&to, "%s/%s.taken", dir, id);
	if (rename(from, to) != 0) {
		close(fd);
		free(from);
		free(to);
		return (1);
	}
	free(from);
	/* What was checked is what is read: the descriptor, not the name. */
	data = spool_read_fd(fd, &len);
	close(fd);
	if (data == NULL || spool_parse(data, len, user, argv) != 0) {
		log_warnx("spool: request '%s' is malformed: dropped", to);
		unlink(to);
		free(to);
		free(data);
		return (2);
	}
	free(data);
	free(to);
	if (verb_ok == NULL || !verb_ok((*argv)[0])) {
		xasprintf(&why, "'%s' is not a verb that writes", (*argv)[0]);
		spool_refuse(dir, id, ".taken", why);
		free(why);
		spool_free_argv(*user, *argv);
		*user = NULL;
		*argv = NULL;
		return (2);
	}
	return (0);
}

/*
 * Apply every request waiting in the spool, oldest first, then call
 * settled(arg) (the scheduler refreshes what readers see), then mark each
 * done. verb_ok says whether a name is that of a verb that writes: a
 * request must start with one. The number of requests answered.
 */
int
spool_apply(const struct config *cfg, const char *config_file,
    int (*verb_ok)(const char *), void (*settled)(void *), void *arg)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, **ids = NULL, *path, *user, **argv, buf[16];
	size_t		 n = 0, i, len;
	int		*statuses;
	struct stat	 sb;
	time_t		 now;

	dir = spool_dir(cfg);
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return (0);
	}
	now = time(NULL);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 6 && strcmp(de->d_name + len - 6, ".taken") == 0) {
			spool_abandoned(dir, de->d_name, len - 6);
			continue;
		}
		if (len > 4 && strcmp(de->d_name + len - 4, ".req") == 0) {
			ids = xreallocarray(ids, n + 1, sizeof *ids);
			ids[n++] = xstrndup(de->d_name, len - 4);
			continue;
		}
		if (de->d_name[0] == '.')
			continue;
		/* Answers nobody came for, and refused requests, after a day. */
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) == 0 && sb.st_mtime < now - SPOOL_KEEP)
			unlink(path);
		free(path);
	}
	closedir(d);
	if (n == 0) {
		free(dir);
		return (0);
	}
	qsort(ids, n, sizeof *ids, spool_compare);
	statuses = xcalloc(n, sizeof *statuses);
	for (i = 0; i < n; i++) {
		if ((statuses[i] = spool_take(dir, ids[i], verb_ok, &user,
		    &argv)) != 0)
			continue;
		log_info("spool: %s: updraft %s (for %s)", ids[i], argv[0],
		    user);
		statuses[i] = spool_run(dir, ids[i], config_file, user, argv);
		if (statuses[i] < 0) {
			log_warn("spool: cannot run request '%s'", ids[i]);
			statuses[i] = 1;
		}
		spool_free_argv(user, argv);
		xasprintf(&path, "%s/%s.taken", dir, ids[i]);
		unlink(path);
		free(path);
	}
	if (settled != NULL)
		settled(arg);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s.done", dir, ids[i]);
		snprintf(buf, sizeof buf, "%d\n", statuses[i]);
		if (spool_write(path, buf, strlen(buf)) != 0)
			log_warn("spool: cannot write '%s'", path);
		free(path);
		free(ids[i]);
	}
	free(ids);
	free(statuses);
	free(dir);
	return ((int)n);
}

/* Whom a request is applied for, when the scheduler runs it; else NULL. */
const char *
spool_user(void)
{
	const char	*user;

	if (getenv("UPDRAFT_SPOOL_APPLY") == NULL ||
	    (user = getenv("UPDRAFT_REQUEST_USER")) == NULL || *user == '\0')
		return (NULL);
	return (user);
}
