/* Run the scheduler: in the foreground until SIGTERM, or one pass. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "cmd.h"
#include "daemon.h"
#include "units.h"
#include "view.h"

static int	cmd_scheduler_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_scheduler_opts[] = {
	{ "once", 'o', NULL, "make one pass and exit (for cron)", 0 },
	{ "in-slurm", 'S', NULL, "start the chain of Slurm jobs", 0 },
	{ "in-slurm-job", 'J', NULL, NULL, 0 },
	{ "every", 'e', "DURATION", "a link's length (default 5m)", 0 },
	{ "qos", 'q', "QOS", "the links' QOS", 0 },
	{ "account", 'a', "ACCOUNT", "the links' account", 0 },
	{ "partition", 'p', "PARTITION", "the links' partition", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_scheduler_entry = {
	.name = "scheduler",
	.usage = "[--once] | --in-slurm [--every] [--qos] [--account] "
	    "[--partition]",
	.summary = "run the scheduler in the foreground (or one pass, for "
	    "cron)",
	.help = "Each pass loads the DAG files, creates the runs that are "
	    "due, polls Slurm once\n"
	    "for every job and submits the tasks that are ready. "
	    "SIGTERM finishes the pass\n"
	    "and exits 0. Only one scheduler runs on a database at a "
	    "time.\n"
	    "--in-slurm runs it as a chain of Slurm jobs instead, "
	    "nothing on this host: it\n"
	    "submits the first link (job name updraft-sched__SUFFIX, "
	    "one per state\n"
	    "directory) and exits. Each link first submits the next "
	    "one\n"
	    "('sbatch --begin=now+DURATION --dependency=singleton'), "
	    "then makes passes until\n"
	    "nothing is in flight or DURATION has passed. 'updraft "
	    "stop' cancels the chain;\n"
	    "'updraft status' shows it, and says when it is broken.\n",
	.opts = cmd_scheduler_opts,
	.flags = CMD_STORE | CMD_OWNER,
	.exec = cmd_scheduler_exec,
};

/* Run the scheduler on this host: the loop (daemon.c), or one pass. */
static int
cmd_scheduler_run(struct cmd_ctx *ctx, struct daemon *d)
{
	char	*cause;
	int	 rc;

	d->cfg = &ctx->cfg;
	d->config_file = ctx->config_file;
	d->spool_verb = cmd_writes;
	d->st = ctx->store;
	d->fs = &ctx->fs;
	if ((rc = daemon_run(d, &cause)) != 0 && cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	return (rc);
}

/* --in-slurm: submit the chain's first link with want's settings. */
static int
cmd_scheduler_chain(struct cmd_ctx *ctx, struct chain *want)
{
	char	*cause, *name, every[32];
	int64_t	 job_id;
	int	 rc;

	if (chain_start(&ctx->cfg, want, &job_id, &cause) != 0) {
		rc = cmd_error("%s", cause);
		free(cause);
		return (rc);
	}
	name = chain_name(&ctx->cfg);
	view_duration(every, sizeof every, want->every);
	printf("scheduler chain started: job %lld (%s), a link every %s\n",
	    (long long)job_id, name, every);
	printf("its log: %s/scheduler-chain.log\n", ctx->cfg.state_dir);
	free(name);
	return (0);
}

/* --in-slurm-job, in a link's job: the successor, then passes for a while. */
static int
cmd_scheduler_link(struct cmd_ctx *ctx, struct daemon *d)
{
	const char	*id;
	char		*end, *cause;
	int64_t		 self;
	int		 rc;

	if ((id = getenv("SLURM_JOB_ID")) == NULL ||
	    (self = strtoll(id, &end, 10)) <= 0 || *end != '\0') {
		return (cmd_bad_value("--in-slurm-job", NULL, "only in the "
		    "chain's own jobs: use 'updraft scheduler --in-slurm'"));
	}
	if ((rc = chain_link(&ctx->cfg, self, &d->until, &cause)) < 0) {
		rc = cmd_error("%s", cause);
		free(cause);
		return (rc);
	}
	if (rc == 0)
		return (0);	/* the chain is off: this link just ends */
	return (cmd_scheduler_run(ctx, d));
}

/* A --qos, --account or --partition value: one line, not empty. */
static int
cmd_scheduler_value(const char *opt, const char *v, char **out)
{
	if (*v == '\0' || strpbrk(v, "\n ") != NULL)
		return (cmd_bad_value(opt, v, "expected a name"));
	free(*out);
	*out = xstrdup(v);
	return (0);
}

static int
cmd_scheduler_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct chain	 want;
	struct daemon	 d;
	long		 every;
	int		 ch, start = 0, link = 0, other = 0, rc = 0;

	memset(&want, 0, sizeof want);
	want.every = 300;
	memset(&d, 0, sizeof d);
	while ((ch = cmd_getopt(&cmd_scheduler_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'o':
			d.once = 1;
			break;
		case 'S':
			start = 1;
			break;
		case 'J':
			link = 1;
			break;
		case 'e':
			other = 1;
			if (units_parse_duration(optarg, &every) != 0 ||
			    every < 1)
				rc = cmd_bad_value("--every", optarg,
				    "expected a duration such as 30s, 5m or "
				    "1h");
			want.every = every;
			break;
		case 'q':
			other = 1;
			rc = cmd_scheduler_value("--qos", optarg, &want.qos);
			break;
		case 'a':
			other = 1;
			rc = cmd_scheduler_value("--account", optarg,
			    &want.account);
			break;
		case 'p':
			other = 1;
			rc = cmd_scheduler_value("--partition", optarg,
			    &want.partition);
			break;
		default:
			rc = cmd_usage(&cmd_scheduler_entry);
			break;
		}
		if (rc != 0)
			goto out;
	}
	if (optind != argc || (start && (link || d.once)) ||
	    (link && (d.once || other)) || (other && !start))
		rc = cmd_usage(&cmd_scheduler_entry);
	else if (start)
		rc = cmd_scheduler_chain(ctx, &want);
	else if (link)
		rc = cmd_scheduler_link(ctx, &d);
	else
		rc = cmd_scheduler_run(ctx, &d);
out:
	chain_clear(&want);
	return (rc);
}
