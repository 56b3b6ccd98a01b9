/* Run the scheduler: in the foreground until SIGTERM, or one pass. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "cmd.h"
#include "daemon.h"

static int	cmd_scheduler_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_scheduler_entry = {
	.name = "scheduler",
	.usage = "[--once] | --in-slurm [--every DURATION] [--qos QOS] "
	    "[--account ACCOUNT] [--partition PARTITION]",
	.summary = "run the scheduler in the foreground (or one pass, for "
	    "cron)",
	.help = "Each pass loads the DAG files, creates the runs that are due, "
	    "polls Slurm once\nfor every job and submits the tasks that are "
	    "ready. SIGTERM finishes the pass\nand exits 0. Only one scheduler "
	    "runs on a database at a time.\n"
	    "--in-slurm runs it as a chain of Slurm jobs instead, nothing on "
	    "this host: it\nsubmits the first link (job name "
	    "updraft-sched__SUFFIX, one per state\ndirectory) and exits. Each "
	    "link first submits the next one\n('sbatch --begin=now+DURATION "
	    "--dependency=singleton', DURATION 5m by\ndefault), then makes "
	    "passes until nothing is in flight or DURATION has\npassed. "
	    "'updraft stop' "
	    "cancels the chain;\n'updraft status' shows it, and says when it "
	    "is broken.\n",
	.flags = CMD_STORE | CMD_OWNER,
	.exec = cmd_scheduler_exec,
};

static int
cmd_scheduler_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon	 d;
	char		*cause;
	int		 ch, rc;

	memset(&d, 0, sizeof d);
	/* The chain (chain.c): start it, or be one of its links. */
	if ((ch = chain_scheduler(ctx, argc, argv, &d.until)) >= 0)
		return (ch);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'o')
			return (cmd_usage(&cmd_scheduler_entry));
		d.once = 1;
	}
	if (optind != argc)
		return (cmd_usage(&cmd_scheduler_entry));

	d.cfg = &ctx->cfg;
	d.config_file = ctx->config_file;
	d.st = ctx->store;
	d.fs = &ctx->fs;
	if ((rc = daemon_run(&d, &cause)) != 0 && cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	return (rc);
}
