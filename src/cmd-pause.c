/* Pause and unpause a DAG: the scheduler creates runs only when unpaused. */

#include "cmd.h"
#include "wake.h"

static int	cmd_pause_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.usage = "DAG",
	.summary = "stop creating runs for a DAG",
	.flags = CMD_DAGS,
	.exec = cmd_pause_exec,
};

const struct cmd_entry cmd_unpause_entry = {
	.name = "unpause",
	.usage = "DAG",
	.summary = "resume a DAG: catch up its missed intervals",
	.help = "With catchup = true the scheduler creates a run for every "
	    "complete interval since\nstart_date that has none, oldest first; "
	    "with catchup = false, only the latest.\n",
	.flags = CMD_DAGS,
	.exec = cmd_pause_exec,
};

static int
cmd_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	paused = argv[0][0] == 'p';

	if (argc != 2 || argv[1][0] == '-')
		return (cmd_usage(paused ? &cmd_pause_entry :
		    &cmd_unpause_entry));
	if (store_dag_set_paused(ctx->store, argv[1], paused) != 0)
		return (cmd_error("cannot find dag '%s'", argv[1]));
	wake_poke(&ctx->cfg);
	printf("dag '%s' %s\n", argv[1], paused ? "paused" : "unpaused");
	return (0);
}
