/* Mark a task instance success, failed or skipped by hand. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "intervene.h"
#include "wake.h"

static int	cmd_mark_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_mark_entry = {
	.name = "mark",
	.usage = "DAG RUN TASK success|failed|skipped",
	.summary = "set a task instance's state by hand",
	.help = "A job the task has in Slurm is cancelled. The reason reads "
	    "\"marked STATE by USER\".\nThe scheduler then settles the run: "
	    "what waited on the task runs, or does not.\n",
	.flags = CMD_STORE | CMD_WRITES,
	.exec = cmd_mark_exec,
};

static int
cmd_mark_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct intervene	 iv;
	struct run		 r;
	char			*cause;
	int			 status = 0;

	if ((status = cmd_args(&cmd_mark_entry, argc, argv, 4, 4)) != 0)
		return (status);
	argv += optind - 1;
	if (strcmp(argv[4], "success") != 0 &&
	    strcmp(argv[4], "failed") != 0 &&
	    strcmp(argv[4], "skipped") != 0)
		return (cmd_bad_value("state", argv[4], "expected success, "
		    "failed or skipped"));
	if ((status = cmd_find_run(ctx, argv[1], argv[2], &r)) != 0)
		return (status);
	memset(&iv, 0, sizeof iv);
	if (intervene_mark(ctx->store, &r, argv[3], argv[4], cmd_user(),
	    time(NULL), &iv, &cause) != 0) {
		status = cmd_error("%s", cause);
		free(cause);
	} else {
		cmd_cancel_jobs(&iv);
		wake_poke(&ctx->cfg);
		printf("%s %s %s: %s\n", argv[1], r.run_id, argv[3], argv[4]);
	}
	intervene_free(&iv);
	store_run_clear(&r);
	return (status);
}
