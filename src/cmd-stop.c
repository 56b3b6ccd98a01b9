/* Stop the scheduler chain: cancel every link, pending or running. */

#include <stdio.h>
#include <stdlib.h>

#include "chain.h"
#include "cmd.h"

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
	struct chain_job	*done;
	char			*cause;
	size_t			 n, i;
	int			 rc;

	if ((rc = cmd_args(&cmd_stop_entry, argc, argv, 0, 0)) != 0)
		return (rc);
	if (chain_stop(&ctx->cfg, &done, &n, &cause) != 0) {
		rc = cmd_error("%s", cause);
		free(cause);
		return (rc);
	}
	for (i = 0; i < n; i++)
		printf("cancelled scheduler job %lld (%s)\n",
		    (long long)done[i].job_id, done[i].pending ? "pending" :
		    "running");
	if (n == 0)
		printf("no scheduler chain was running\n");
	free(done);
	return (0);
}
