/* Trigger a manual run of a DAG, now. */

#include <time.h>

#include "cmd.h"
#include "wake.h"
#include "scheduler.h"

static int	cmd_trigger_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_trigger_entry = {
	.name = "trigger",
	.usage = "DAG",
	.summary = "create a manual run of a DAG with the current time as its "
	    "logical date",
	.help = "The run waits in state queued until the scheduler starts it "
	    "(a paused DAG's\nruns wait until it is unpaused).\n",
	.flags = CMD_DAGS,
	.exec = cmd_trigger_exec,
};

static int
cmd_trigger_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dag	*dag;
	struct interval	 iv;
	int64_t		 now;
	char		 iso[40];
	int		 rc = 1, i;

	if (argc != 2 || argv[1][0] == '-')
		return (cmd_usage(&cmd_trigger_entry));
	if ((dag = dagbag_find(&ctx->bag, argv[1])) == NULL)
		return (cmd_error("cannot find dag '%s'", argv[1]));
	/*
	 * A logical date never has two runs: two triggers in one second
	 * (scripts do that) take the next free second.
	 */
	now = time(NULL);
	for (i = 0; i < 60; i++) {
		iv.logical = iv.start = iv.end = iv.due = now + i;
		if ((rc = scheduler_create_run(ctx->store, dag, "manual", &iv,
		    now, 0)) != 1)
			break;
	}
	tz_format(NULL, iv.logical, iso, sizeof iso);
	if (rc == 1)
		return (cmd_error("dag '%s' already has runs at every second "
		    "of the next minute", dag->id));
	if (rc != 0)
		return (cmd_error("cannot create run: %s",
		    store_error(ctx->store)));
	wake_poke(&ctx->cfg);
	printf("manual__%s\n", iso);
	return (0);
}
