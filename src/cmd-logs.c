/* Print the log of one try of a task instance. */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int	cmd_logs_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_logs_entry = {
	.name = "logs",
	.usage = "DAG RUN TASK [--try N]",
	.summary = "print the job log of a task instance (default: its "
	    "latest try)",
	.flags = CMD_STORE,
	.exec = cmd_logs_exec,
};

static int
cmd_logs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "try", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct run	 r;
	struct ti	*tis, *ti = NULL;
	size_t		 n, i, len;
	char		*cause, *path, *end, buf[8192];
	long		 try = 0;
	int		 ch;
	FILE		*f;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 't')
			return (cmd_usage(&cmd_logs_entry));
		try = strtol(optarg, &end, 10);
		if (*end != '\0' || try < 1)
			return (cmd_error("bad try number '%s'", optarg));
	}
	if (argc - optind != 3)
		return (cmd_usage(&cmd_logs_entry));
	argv += optind;

	if (store_run_find(ctx->store, argv[0], argv[1], &r, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return (1);
	}
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
	xasprintf(&path, "%s/logs/%s/%s/%s.%ld.log", ctx->cfg.state_dir,
	    r.dag_id, r.run_id, ti->task_id, try);
	store_ti_free_list(tis, n);
	store_run_clear(&r);

	if ((f = fopen(path, "r")) == NULL) {
		cmd_error("cannot open log '%s': %s", path, strerror(errno));
		free(path);
		return (1);
	}
	while ((len = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, len, stdout);
	fclose(f);
	free(path);
	return (0);
}
