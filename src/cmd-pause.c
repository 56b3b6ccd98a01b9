/* Pause and unpause a DAG: the scheduler creates runs only when unpaused. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "intervene.h"
#include "wake.h"

static int	cmd_pause_exec(struct cmd_ctx *, int, char **);
static int	cmd_unpause_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_pause_opts[] = {
	{ "cancel-running", 'c', NULL,
	  "cancel the running runs (their Slurm jobs too)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.usage = "DAG [--cancel-running]",
	.summary = "stop creating runs for a DAG",
	.help = "Runs already running finish; queued runs wait until the "
	    "DAG is unpaused.\n",
	.opts = cmd_pause_opts,
	.flags = CMD_DAGS | CMD_WRITES,
	.exec = cmd_pause_exec,
};

const struct cmd_entry cmd_unpause_entry = {
	.name = "unpause",
	.usage = "DAG",
	.summary = "resume a DAG: catch up its missed intervals",
	.help = "With catchup = true the scheduler creates a run for every "
	    "complete interval since\nstart_date that has none, oldest first; "
	    "with catchup = false, only the latest.\n",
	.flags = CMD_DAGS | CMD_WRITES,
	.exec = cmd_unpause_exec,
};

/* Cancel every running run of a DAG; the number cancelled, or -1. */
static int
cmd_pause_cancel_running(struct cmd_ctx *ctx, const char *dag_id)
{
	struct intervene	 iv;
	struct run		*runs;
	size_t			 n, i;
	char			*cause;
	int			 done = 0;

	if (store_run_list(ctx->store, dag_id, "running", &runs, &n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)), -1);
	memset(&iv, 0, sizeof iv);
	for (i = 0; i < n; i++) {
		if (intervene_cancel_run(ctx->store, &runs[i], cmd_user(),
		    time(NULL), &iv, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			continue;
		}
		done++;
	}
	cmd_cancel_jobs(&iv);
	intervene_free(&iv);
	store_run_free_list(runs, n);
	return (done);
}

/* Pause (paused 1) or unpause a DAG. */
static int
cmd_pause_set(struct cmd_ctx *ctx, int argc, char **argv, int paused)
{
	const struct cmd_entry	*e = paused ? &cmd_pause_entry :
				    &cmd_unpause_entry;
	int			 ch, cancel = 0, n;

	while ((ch = cmd_getopt(e, argc, argv)) != -1) {
		if (ch != 'c')
			return (cmd_usage(e));
		cancel = 1;
	}
	if (argc - optind != 1)
		return (cmd_usage(e));
	argv += optind - 1;
	if ((n = store_dag_set_paused(ctx->store, argv[1], paused)) < 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	if (n == 0)
		return (cmd_no_dag(ctx, argv[1]));
	wake_poke(&ctx->cfg);
	printf("dag '%s' %s\n", argv[1], paused ? "paused" : "unpaused");
	if (cancel) {
		if ((n = cmd_pause_cancel_running(ctx, argv[1])) < 0)
			return (1);
		printf("%d running run%s cancelled\n", n, n == 1 ? "" : "s");
	}
	return (0);
}

static int
cmd_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (cmd_pause_set(ctx, argc, argv, 1));
}

static int
cmd_unpause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (cmd_pause_set(ctx, argc, argv, 0));
}
