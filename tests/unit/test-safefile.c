/* safefile.c on real files: links, FIFOs, owners, modes, sizes, folders. */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"
#include "jobscript.h"
#include "safefile.h"
#include "unit.h"

static char	dir[] = "/tmp/test-safefile.XXXXXX";

static char *
at(const char *name)
{
	static char	buf[4][256];
	static int	i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return (buf[i]);
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE	*f;

	if ((f = fopen(at(name), "w")) == NULL)
		return;
	fputs(text, f);
	fclose(f);
	chmod(at(name), mode);
}

/* safefile_read of name: its errno (0 when read) and cause or text. */
static int
try_read(const char *name, int flags, size_t max, char **what)
{
	char	*buf, *cause;
	size_t	 len;

	if (safefile_read(at(name), flags, max, &buf, &len, &cause) == 0) {
		*what = buf;
		return (0);
	}
	*what = cause;
	return (errno);
}

static void
test_open(void)
{
	char	*what, want[512];
	int	 e;

	put("plain", "hello\n", 0644);
	e = try_read("plain", SAFEFILE_MINE | SAFEFILE_PRIVATE, 0, &what);
	CHECK(e == 0, "plain: errno %d", e);
	CHECK_STR(what, "hello\n");
	free(what);

	symlink(at("plain"), at("link"));
	e = try_read("link", 0, 0, &what);
	CHECK(e == ELOOP, "link: errno %d", e);
	CHECK_STR(what, "it is a symbolic link (name the file it points to)");
	free(what);

	mkfifo(at("fifo"), 0600);
	e = try_read("fifo", 0, 0, &what);
	CHECK(e == EINVAL, "fifo: errno %d", e);
	CHECK_STR(what, "not a regular file");
	free(what);

	mkdir(at("sub"), 0700);
	e = try_read("sub", 0, 0, &what);
	CHECK(e == EISDIR, "dir: errno %d", e);
	free(what);

	e = try_read("plain", 0, 5, &what);
	CHECK(e == EFBIG, "big: errno %d", e);
	CHECK_STR(what, "file too large (6 bytes, more than 5)");
	free(what);

	put("open", "x", 0666);
	e = try_read("open", SAFEFILE_PRIVATE, 0, &what);
	CHECK(e == EPERM, "writable: errno %d", e);
	snprintf(want, sizeof want, "it is writable by group or others "
	    "(chmod go-w '%s')", at("open"));
	CHECK_STR(what, want);
	free(what);
	e = try_read("open", 0, 0, &what);
	CHECK(e == 0, "writable, not asked: errno %d", e);
	free(what);

	if (geteuid() != 0)
		return;
	/* Root's file, read by another uid; and another uid's, by root. */
	put("theirs", "0\n", 0644);
	chown(at("theirs"), 65534, 65534);
	e = try_read("theirs", 0, 0, &what);
	CHECK(e == EPERM, "theirs: errno %d", e);
	CHECK_STR(what, "it belongs to uid 65534, not to uid 0");
	free(what);
	chmod(dir, 0755);
	if (seteuid(65534) != 0)
		return;
	e = try_read("plain", SAFEFILE_MINE, 0, &what);
	CHECK(e == EPERM, "root's, mine only: errno %d", e);
	CHECK_STR(what, "it belongs to uid 0, not to uid 65534");
	free(what);
	e = try_read("plain", 0, 0, &what);
	CHECK(e == 0, "root's, root allowed: errno %d", e);
	free(what);
	seteuid(0);
	chmod(dir, 0700);
}

static void
test_stat_and_folders(void)
{
	struct stat	 sb;
	char		*cause, want[512];

	CHECK(safefile_stat(at("link"), &sb) == 0 && S_ISLNK(sb.st_mode),
	    "stat of a link is the link's");
	CHECK(safefile_stat(at("plain"), &sb) == 0 && sb.st_size == 6,
	    "stat of a file");

	CHECK(safefile_folders(at("plain"), &cause) == 0, "%s",
	    cause != NULL ? cause : "");
	chmod(dir, 0777);
	CHECK(safefile_folders(at("plain"), &cause) == -1, "0777 folder");
	snprintf(want, sizeof want, "folder '%s' is writable by group or "
	    "others (chmod go-w '%s')", dir, dir);
	CHECK_STR(cause, want);
	free(cause);
	chmod(dir, 01777);
	CHECK(safefile_folders(at("plain"), &cause) == 0, "sticky folder");
	chmod(dir, 0700);
}

static void
test_state(void)
{
	struct stat	 sb;
	char		*cause, want[512];

	mkdir(at("state"), 0755);
	CHECK(safefile_state_dir(at("state"), &cause) == 0, "0755 state");
	CHECK(stat(at("state"), &sb) == 0 && (sb.st_mode & 07777) == 0700,
	    "tightened to %o", sb.st_mode & 07777);
	chmod(at("state"), 0775);
	CHECK(safefile_state_dir(at("state"), &cause) == -1, "0775 state");
	snprintf(want, sizeof want, "state folder '%s' is writable by group "
	    "or others: run 'chmod go-w %s'", at("state"), at("state"));
	CHECK_STR(cause, want);
	free(cause);
	CHECK(safefile_state_dir(at("none"), &cause) == 0, "missing state");

	CHECK(safefile_private(at("db"), 1) == 0, "create");
	CHECK(stat(at("db"), &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "created %o", sb.st_mode & 0777);
	put("old", "", 0644);
	CHECK(safefile_private(at("old"), 0) == 0, "tighten");
	CHECK(stat(at("old"), &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "tightened %o", sb.st_mode & 0777);
	CHECK(safefile_private(at("absent"), 0) == 0 &&
	    access(at("absent"), F_OK) != 0, "absent left absent");
}

/* Run the job wrapper with env; its output in out. Its exit status. */
static int
wrapper(const char *env, char *out, size_t len)
{
	FILE	*f;
	char	*cmd;
	size_t	 n;
	int	 st;

	put("wrapper", jobscript_text(), 0700);
	xasprintf(&cmd, "env -i PATH=/usr/bin:/bin %s UPDRAFT_COMMAND='echo "
	    "ran' bash %s 2>&1", env, at("wrapper"));
	f = popen(cmd, "r");
	free(cmd);
	n = f != NULL ? fread(out, 1, len - 1, f) : 0;
	out[n] = '\0';
	st = f != NULL ? pclose(f) : -1;
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
test_wrapper(void)
{
	char	env[1024], out[4096];
	int	st;

	/* An upstream marker of our own says 0: the task runs. */
	put("up.exit", "0\n", 0644);
	snprintf(env, sizeof env, "UPDRAFT_UPSTREAM=%s", at("up.exit"));
	st = wrapper(env, out, sizeof out);
	CHECK(st == 0 && strstr(out, "\nran\n") != NULL, "own marker: %d %s",
	    st, out);
	/* A link to it, or (as root) someone else's: not believed. */
	symlink(at("up.exit"), at("ln.exit"));
	snprintf(env, sizeof env, "UPDRAFT_UPSTREAM=%s", at("ln.exit"));
	st = wrapper(env, out, sizeof out);
	CHECK(st == 1 && strstr(out, "upstream ln did not succeed; not "
	    "running") != NULL && strstr(out, "\nran\n") == NULL,
	    "linked marker: %d %s", st, out);
	if (geteuid() == 0) {
		put("their.exit", "0\n", 0644);
		chown(at("their.exit"), 65534, 65534);
		snprintf(env, sizeof env, "UPDRAFT_UPSTREAM=%s",
		    at("their.exit"));
		st = wrapper(env, out, sizeof out);
		CHECK(st == 1 && strstr(out, "upstream their did not "
		    "succeed") != NULL, "their marker: %d %s", st, out);
	}
	/* An array element's manifest that is a link: refused. */
	mkdir(at("arr"), 0700);
	put("manifest", "UPDRAFT_COMMAND=echo forged", 0600);
	symlink(at("manifest"), at("arr/3"));
	snprintf(env, sizeof env, "UPDRAFT_ARRAY_DIR=%s SLURM_ARRAY_TASK_ID=3",
	    at("arr"));
	st = wrapper(env, out, sizeof out);
	CHECK(st == 1 && strstr(out, "not a file of ours") != NULL &&
	    strstr(out, "forged") == NULL, "linked manifest: %d %s", st, out);
}

int
main(void)
{
	char	*cmd;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	test_open();
	test_stat_and_folders();
	test_state();
	test_wrapper();
	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
	return (unit_done());
}
