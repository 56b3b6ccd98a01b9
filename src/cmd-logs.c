/* Print the log of one try of a task instance. */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "safefile.h"
#include "state.h"

static int	cmd_logs_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_logs_opts[] = {
	{ "try", 't', "N", "the log of try N (1 is the first)", 0 },
	{ "follow", 'f', NULL,
	  "keep printing what the job appends, as tail -f does, "
	  "until the task instance reaches a final state (success, "
	  "failed, upstream_failed, skipped, removed or "
	  "up_for_retry); the state is read again every second",
	  CMD_OPT_SHORT },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_logs_entry = {
	.name = "logs",
	.usage = "DAG RUN TASK [--try] [-f]",
	.summary = "print the job log of a task instance (default: its "
	    "latest try)",
	.help = "RUN is a run id, or a logical date that names one run.\n",
	.opts = cmd_logs_opts,
	.flags = CMD_STORE,
	.exec = cmd_logs_exec,
};

/* Copy what f has past where it was to standard output; 0, or -1. */
static int
cmd_logs_copy(FILE *f)
{
	char	buf[8192];
	size_t	len;

	clearerr(f);
	while ((len = fread(buf, 1, sizeof buf, f)) > 0) {
		if (fwrite(buf, 1, len, stdout) != len)
			return (-1);
	}
	if (ferror(f))
		return (-1);
	return (fflush(stdout) == 0 ? 0 : -1);
}

/*
 * Print the log at path as it grows, like tail -f, until the task instance
 * (run, task_id) is in a final state, then what is left of it. f is the
 * log, or NULL while the job has not created it yet. The state is read from
 * the database every second: the scheduler writes it there. Return the
 * verb's exit status.
 */
static int
cmd_logs_follow(struct cmd_ctx *ctx, FILE *f, const char *path,
    int64_t run, const char *task_id)
{
	char	*state, *why;
	int	 done = 0, try, rc;

	for (;;) {
		if (f == NULL && (f = safefile_fopen(path, SAFEFILE_MINE, 0,
		    &why)) == NULL) {
			if (errno != ENOENT) {
				rc = cmd_error("cannot open log '%s': %s",
				    path, why);
				free(why);
				return (rc);
			}
			free(why);
		}
		if (f != NULL && cmd_logs_copy(f) != 0) {
			fclose(f);
			return (cmd_error("cannot copy log '%s': %s", path,
			    strerror(errno)));
		}
		if (done)
			break;
		rc = store_query_ti_state(ctx->store, run, task_id, &state,
		    &try);
		if (rc < 0) {
			if (f != NULL)
				fclose(f);
			return (cmd_error("database: %s",
			    store_error(ctx->store)));
		}
		if (rc == 0)
			done = 1;	/* the run was deleted under us */
		/* After these the try writes no more to its log. */
		if (rc == 1 && (state_is_terminal(state) ||
		    strcmp(state, "up_for_retry") == 0))
			done = 1;
		free(state);
		/* Once more after the end: what the job wrote last. */
		if (!done)
			sleep(1);
	}
	if (f == NULL) {
		return (cmd_error("cannot open log '%s': %s", path,
		    strerror(ENOENT)));
	}
	fclose(f);
	return (0);
}

static int
cmd_logs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run	 r;
	struct ti	*tis, *ti = NULL;
	size_t		 n, i, len;
	char		*path, *task_id, *end, *why, buf[8192];
	long		 try = 0;
	int		 ch, follow = 0, status, rc;
	int64_t		 run;
	FILE		*f;

	while ((ch = cmd_getopt(&cmd_logs_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'f':
			follow = 1;
			break;
		case 't':
			try = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || try < 1)
				return (cmd_bad_value("--try", optarg,
				    "expected a number from 1"));
			break;
		default:
			return (cmd_usage(&cmd_logs_entry));
		}
	}
	if (argc - optind != 3)
		return (cmd_usage(&cmd_logs_entry));
	argv += optind;

	if ((rc = cmd_find_run(ctx, argv[0], argv[1], &r)) != 0)
		return (rc);
	if (store_ti_list(ctx->store, r.id, &tis, &n) != 0) {
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].task_id, argv[2]) == 0)
			ti = &tis[i];
	}
	if (ti == NULL || ti->try_number == 0) {
		cmd_error(ti == NULL ? "cannot find task '%s' in run '%s'" :
		    "task '%s' of run '%s' has not run yet", argv[2],
		    r.run_id);
		store_ti_free_list(tis, n);
		store_run_clear(&r);
		return (1);
	}
	if (try == 0)
		try = ti->try_number;
	/* Following an older try is only printing it: it is over. */
	if (try != 0 && try != ti->try_number)
		follow = 0;
	if (try == 0)
		try = ti->try_number;
	xasprintf(&path, "%s/logs/%s/%s/%s.%ld.log", ctx->cfg.state_dir,
	    r.dag_id, r.run_id, ti->task_id, try);
	xasprintf(&task_id, "%s", ti->task_id);
	run = r.id;
	store_ti_free_list(tis, n);
	store_run_clear(&r);

	f = safefile_fopen(path, SAFEFILE_MINE, 0, &why);
	if (f == NULL && !(follow && errno == ENOENT)) {
		cmd_error("cannot open log '%s': %s", path, why);
		free(why);
		free(path);
		free(task_id);
		return (1);
	}
	if (f == NULL)
		free(why);
	if (follow)
		status = cmd_logs_follow(ctx, f, path, run, task_id);
	else {
		while ((len = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, len, stdout);
		fclose(f);
		status = 0;
	}
	free(path);
	free(task_id);
	return (status);
}
