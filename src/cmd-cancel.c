/* Cancel a run: its Slurm jobs are cancelled and it fails. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "intervene.h"
#include "wake.h"

static int	cmd_cancel_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_cancel_entry = {
	.name = "cancel",
	.usage = "DAG RUN",
	.summary = "cancel a queued or running run",
	.help = "Its running and queued tasks fail with the reason "
	    "\"cancelled by USER\" and their\nSlurm jobs are cancelled; tasks "
	    "that never started are skipped; the run fails.\n",
	.flags = CMD_STORE | CMD_WRITES,
	.exec = cmd_cancel_exec,
};

static int
cmd_cancel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct intervene	 iv;
	struct run		 r;
	char			*cause;
	int			 status = 0, n;

	if ((status = cmd_args(&cmd_cancel_entry, argc, argv, 2, 2)) != 0)
		return (status);
	argv += optind - 1;
	if ((status = cmd_find_run(ctx, argv[1], argv[2], &r)) != 0)
		return (status);
	memset(&iv, 0, sizeof iv);
	if (intervene_cancel_run(ctx->store, &r, cmd_user(), time(NULL), &iv,
	    &cause) != 0) {
		status = cmd_error("%s", cause);
		free(cause);
	} else {
		n = cmd_cancel_jobs(&iv);
		wake_poke(&ctx->cfg);
		printf("run '%s' cancelled: %d task instance%s stopped, %d "
		    "Slurm job%s cancelled\n", r.run_id, iv.count,
		    iv.count == 1 ? "" : "s", n, n == 1 ? "" : "s");
	}
	intervene_free(&iv);
	store_run_clear(&r);
	return (status);
}
