/* Stop the scheduler chain: cancel every link, pending or running. */

#include <stdlib.h>

#include "chain.h"

static int	cmd_stop_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.usage = "",
	.summary = "stop the scheduler chain of 'scheduler --in-slurm'",
	.help = "Turns the chain off, so that no link submits another, then "
	    "cancels every link of\nthis state directory's chain, pending "
	    "or running (a running link gets\nSIGTERM and finishes its "
	    "pass). A scheduler started by hand or by systemd\nis not "
	    "touched: stop it with SIGTERM.\n",
	.flags = CMD_CONFIG,
	.exec = cmd_stop_exec,
};

static int
cmd_stop_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	status;

	if ((status = cmd_args(&cmd_stop_entry, argc, argv, 0, 0)) != 0)
		return (status);
	return (chain_stop(ctx));
}
