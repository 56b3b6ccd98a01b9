/* Print, or install, a scrontab entry that runs the scheduler in Slurm. */

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "cmd.h"
#include "units.h"
#include "view.h"

static int	cmd_scrontab_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_scrontab_opts[] = {
	{ "every", 'e', "DURATION",
	  "a 'scheduler --once' pass every DURATION (default 5m; "
	  "minutes that divide an hour, hours that divide a day, "
	  "or 1d)", 0 },
	{ "daemon", 'd', NULL,
	  "the scheduler itself, started again within DURATION "
	  "when it ends", 0 },
	{ "qos", 'q', "QOS", "the job's QOS", 0 },
	{ "account", 'a', "ACCOUNT", "the job's account", 0 },
	{ "time", 't', "TIME",
	  "the job's time limit (default 00:10:00, or 30-00:00:00 "
	  "with --daemon)", 0 },
	{ "install", 'i', NULL,
	  "add it with the scrontab command, in place of an entry "
	  "it added before for this state directory, keeping the "
	  "others", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_scrontab_entry = {
	.name = "scrontab",
	.usage = "[--every] [--daemon] [--qos] [--account] [--time] "
	    "[--install]",
	.summary = "print (or install) a scrontab entry that runs the "
	    "scheduler in Slurm",
	.help = "Prints an entry for the scrontab of Slurm, with its "
	    "#SCRON lines.\n",
	.opts = cmd_scrontab_opts,
	.flags = CMD_CONFIG,
	.exec = cmd_scrontab_exec,
};

/* The cron fields for a pass every secs seconds; NULL if cron cannot. */
static char *
cmd_scrontab_fields(long secs)
{
	char	*s = NULL;
	long	 m = secs / 60, h = secs / 3600;

	if (secs % 60 != 0 || secs == 0)
		return (NULL);
	if (m == 1)
		s = xstrdup("* * * * *");
	else if (m < 60 && 60 % m == 0)
		xasprintf(&s, "*/%ld * * * *", m);
	else if (secs % 3600 != 0)
		return (NULL);
	else if (h == 1)
		s = xstrdup("0 * * * *");
	else if (h < 24 && 24 % h == 0)
		xasprintf(&s, "0 */%ld * * *", h);
	else if (h == 24)
		s = xstrdup("0 0 * * *");
	return (s);
}

/* A path a crontab line can carry: cron reads % as a newline. */
static int
cmd_scrontab_path_ok(const char *what, const char *path, const char *bad)
{
	if (strpbrk(path, bad) == NULL)
		return (1);
	cmd_error("cannot write %s '%s' in a scrontab entry", what, path);
	return (0);
}

/* A --qos or --account value (NULL: not given) fit for an #SCRON line. */
static int
cmd_scrontab_name_ok(const char *opt, const char *v)
{
	if (v == NULL || (*v != '\0' && strpbrk(v, " \t\n") == NULL))
		return (1);
	cmd_bad_value(opt, v, "expected a name");
	return (0);
}

/* Write the entry: one block, its first and last lines marking it. */
static int
cmd_scrontab_entry_text(FILE *f, struct cmd_ctx *ctx, const char *fields,
    const char *every, int daemon, const char *qos, const char *account,
    const char *time_limit)
{
	const struct config	*cfg = &ctx->cfg;
	char			 self[PATH_MAX], *name, *file = NULL;
	const char		*env;
	ssize_t			 len;

	if ((len = readlink("/proc/self/exe", self, sizeof self - 1)) < 0)
		return (cmd_error("cannot find this program (/proc/self/exe): "
		    "%s", strerror(errno)));
	self[len] = '\0';
	/* The file named by -c or UPDRAFT_CONFIG; else the entry finds it. */
	if (ctx->config_file != NULL || ((env = getenv("UPDRAFT_CONFIG")) !=
	    NULL && *env != '\0')) {
		if ((file = realpath(cfg->file, NULL)) == NULL)
			file = xstrdup(cfg->file);
	}
	if (!cmd_scrontab_path_ok("home", cfg->home, "%\n") ||
	    !cmd_scrontab_path_ok("program", self, "%\n") ||
	    !cmd_scrontab_path_ok("state directory", cfg->state_dir,
	    "%\n \t") ||
	    (file != NULL && !cmd_scrontab_path_ok("configuration file",
	    file, "%\n"))) {
		free(file);
		return (1);
	}

	/* Not the chain's name (chain.c): the two are told apart. */
	xasprintf(&name, "updraft-cron__%s", cfg->job_suffix);
	fprintf(f, "# updraft begin: %s\n", cfg->home);
	if (daemon)
		fprintf(f, "# Updraft's scheduler as a daemon, started again "
		    "within %s when it ends\n", every);
	else
		fprintf(f, "# Updraft's scheduler: one pass every %s\n", every);
	fprintf(f, "#SCRON --job-name=%s\n", name);
	if (qos != NULL)
		fprintf(f, "#SCRON --qos=%s\n", qos);
	if (account != NULL)
		fprintf(f, "#SCRON --account=%s\n", account);
	fprintf(f, "#SCRON --time=%s\n", time_limit);
	fprintf(f, "#SCRON --open-mode=append\n");
	fprintf(f, "#SCRON --output=%s/scheduler-cron.log\n", cfg->state_dir);
	fprintf(f, "%s UPDRAFT_HOME=", fields);
	view_shell_word(f, cfg->home);
	if (file != NULL) {
		fputs(" UPDRAFT_CONFIG=", f);
		view_shell_word(f, file);
	}
	fputs(" exec ", f);
	view_shell_word(f, self);
	fprintf(f, " scheduler%s\n", daemon ? "" : " --once");
	fprintf(f, "# updraft end: %s\n", cfg->home);
	free(name);
	free(file);
	return (0);
}

/* The scrontab program in PATH, or NULL. */
static char *
cmd_scrontab_find(void)
{
	const char	*path = getenv("PATH"), *p, *end;
	char		*cand;

	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p = end) {
		end = p + strcspn(p, ":");
		xasprintf(&cand, "%.*s/scrontab", (int)(end - p), p);
		if (end > p && access(cand, X_OK) == 0)
			return (cand);
		free(cand);
		if (*end == ':')
			end++;
	}
	return (NULL);
}

/*
 * Run prog with argv (no shell), its standard output into *out and its
 * standard error into *err when they are not NULL: its exit status, or -1
 * with errno.
 */
static int
cmd_scrontab_run(const char *prog, const char *const argv[], char **out,
    char **err)
{
	FILE	*f;
	char	 buf[4096], *text;
	size_t	 len;
	ssize_t	 n;
	FILE	*errf;
	int	 fds[2], status;
	pid_t	 pid;

	if ((errf = tmpfile()) == NULL)
		return (-1);
	if (pipe(fds) != 0 || (pid = fork()) == -1) {
		fclose(errf);
		return (-1);
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (err != NULL)
			dup2(fileno(errf), STDERR_FILENO);
		execv(prog, (char *const *)argv);	/* it does not write them */
		_exit(127);
	}
	close(fds[1]);
	if ((f = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	while ((n = read(fds[0], buf, sizeof buf)) > 0 ||
	    (n == -1 && errno == EINTR)) {
		if (n > 0)
			fwrite(buf, 1, (size_t)n, f);
	}
	close(fds[0]);
	fclose(f);
	if (out != NULL)
		*out = text;
	else
		free(text);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (err != NULL) {
		rewind(errf);
		*err = xcalloc(1, 1024);
		len = fread(*err, 1, 1023, errf);
		(*err)[strcspn(*err, "\n")] = '\0';
	}
	fclose(errf);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status));
}

/* The user's scrontab less this home's block, then entry, into path. */
static int
cmd_scrontab_merge(const char *old, const char *entry, const char *home,
    FILE *f)
{
	char		*begin, *end;
	const char	*p, *nl;
	size_t		 len;
	int		 inside = 0;

	xasprintf(&begin, "# updraft begin: %s", home);
	xasprintf(&end, "# updraft end: %s", home);
	for (p = old; *p != '\0'; p = nl) {
		nl = p + strcspn(p, "\n");
		len = nl - p;
		if (*nl == '\n')
			nl++;
		if (len == strlen(begin) && strncmp(p, begin, len) == 0)
			inside = 1;
		else if (inside && len == strlen(end) &&
		    strncmp(p, end, len) == 0)
			inside = 0;
		else if (!inside)
			fprintf(f, "%.*s\n", (int)len, p);
	}
	fputs(entry, f);
	free(begin);
	free(end);
	return (fflush(f) == 0 && !ferror(f) ? 0 : -1);
}

/* Add the entry to the user's scrontab in place of this home's old one. */
static int
cmd_scrontab_install(struct cmd_ctx *ctx, const char *entry)
{
	char		*prog, *old = NULL, *err, *tmp;
	const char	*list[] = { "scrontab", "-l", NULL };
	const char	*load[] = { "scrontab", NULL, NULL };
	FILE		*f;
	int		 fd, rc;

	if ((prog = cmd_scrontab_find()) == NULL)
		return (cmd_error("cannot install the entry: this cluster's "
		    "Slurm has no scrontab command (none in PATH); add the "
		    "entry that 'updraft scrontab' prints on a cluster that "
		    "has one"));
	/* No table yet is an error that says "no crontab for USER". */
	if ((rc = cmd_scrontab_run(prog, list, &old, &err)) < 0) {
		rc = cmd_error("cannot run '%s': %s", prog, strerror(errno));
		free(prog);
		return (rc);
	}
	if (rc != 0 && (*old != '\0' || strstr(err, "no crontab") == NULL)) {
		rc = cmd_error("'scrontab -l' failed (exit status %d)%s%s",
		    rc, *err != '\0' ? ": " : "", err);
		free(err);
		free(old);
		free(prog);
		return (rc);
	}
	free(err);
	xasprintf(&tmp, "%s/scrontab.XXXXXX", ctx->cfg.state_dir);
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		rc = cmd_error("cannot write '%s': %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	rc = cmd_scrontab_merge(old, entry, ctx->cfg.home, f);
	if (fclose(f) != 0 || rc != 0) {
		rc = cmd_error("cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	load[1] = tmp;
	if ((rc = cmd_scrontab_run(prog, load, NULL, NULL)) != 0) {
		rc = cmd_error("'scrontab %s' failed (exit status %d)", tmp,
		    rc);
		goto out;
	}
	printf("installed in your scrontab (see 'scrontab -l')\n");
out:
	if (fd != -1)
		unlink(tmp);
	free(tmp);
	free(old);
	free(prog);
	return (rc);
}

static int
cmd_scrontab_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*every = "5m", *qos = NULL, *account = NULL;
	const char	*time_limit = NULL;
	char		*fields, *entry;
	size_t		 len;
	long		 secs, minutes;
	int		 ch, daemon = 0, install = 0, rc;
	FILE		*f;

	while ((ch = cmd_getopt(&cmd_scrontab_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'e':
			every = optarg;
			break;
		case 'd':
			daemon = 1;
			break;
		case 'q':
			qos = optarg;
			break;
		case 'a':
			account = optarg;
			break;
		case 't':
			time_limit = optarg;
			break;
		case 'i':
			install = 1;
			break;
		default:
			return (cmd_usage(&cmd_scrontab_entry));
		}
	}
	if (optind != argc)
		return (cmd_usage(&cmd_scrontab_entry));
	if (units_parse_duration(every, &secs) != 0)
		return (cmd_bad_value("--every", every, "expected a duration "
		    "such as 5m or 1h"));
	if ((fields = cmd_scrontab_fields(secs)) == NULL)
		return (cmd_bad_value("--every", every, "cron cannot keep it: "
		    "use minutes that divide an hour (1m, 5m, 10m, 15m, "
		    "30m...), hours that divide a day, or 1d"));
	if (time_limit == NULL)
		time_limit = daemon ? "30-00:00:00" : "00:10:00";
	rc = 0;
	if (units_parse_time_limit(time_limit, &minutes) != 0 ||
	    (minutes < 1 && minutes != UNITS_UNLIMITED))
		rc = cmd_bad_value("--time", time_limit, "expected minutes, "
		    "MM:SS, HH:MM:SS or D-HH:MM:SS");
	else if (!cmd_scrontab_name_ok("--qos", qos) ||
	    !cmd_scrontab_name_ok("--account", account))
		rc = 2;
	if (rc != 0) {
		free(fields);
		return (rc);
	}

	if ((f = open_memstream(&entry, &len)) == NULL)
		fatal("open_memstream");
	rc = cmd_scrontab_entry_text(f, ctx, fields, every, daemon, qos,
	    account, time_limit);
	fclose(f);
	if (rc == 0 && install)
		rc = cmd_scrontab_install(ctx, entry);
	else if (rc == 0)
		fputs(entry, stdout);
	free(entry);
	free(fields);
	return (rc);
}
