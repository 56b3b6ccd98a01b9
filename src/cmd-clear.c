/* Clear task instances so that the scheduler runs them again. */

#include <getopt.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "cmd.h"
#include "intervene.h"
#include "wake.h"

static int	cmd_clear_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_clear_opts[] = {
	{ "downstream", 'd', NULL, "also the tasks after those named", 0 },
	{ "upstream", 'u', NULL, "also the tasks before those named", 0 },
	{ "failed-only", 'f', NULL, "only failed and upstream_failed ones", 0 },
	{ "from", 'F', "T1",
	  "with --to: every run whose logical date is in [T1, T2]", 0 },
	{ "to", 'T', "T2", "the end of that range", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_clear_entry = {
	.name = "clear",
	.usage = "DAG (RUN | --from --to) [TASK...] [--downstream] "
	    "[--upstream] [--failed-only]",
	.summary = "run task instances again (all of a run's, or those named)",
	.help = "Cleared task instances go back to waiting; a finished run "
	    "goes back to queued;\n"
	    "try numbers go on, with the task's retries on top. A job "
	    "a cleared task has in\n"
	    "Slurm is cancelled.\n",
	.opts = cmd_clear_opts,
	.flags = CMD_DAGS | CMD_WRITES,
	.exec = cmd_clear_exec,
};

static int
cmd_clear_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct intervene	 iv;
	struct dag		*dag;
	struct run		*runs, one;
	const char		*from = NULL, *to = NULL;
	char			*cause, **tasks;
	int64_t			 t1, t2;
	size_t			 nruns, ntasks, i;
	int			 ch, flags = 0, status = 0, cancelled;

	while ((ch = cmd_getopt(&cmd_clear_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'd':
			flags |= INTERVENE_DOWNSTREAM;
			break;
		case 'u':
			flags |= INTERVENE_UPSTREAM;
			break;
		case 'f':
			flags |= INTERVENE_FAILED_ONLY;
			break;
		case 'F':
			from = optarg;
			break;
		case 'T':
			to = optarg;
			break;
		default:
			return (cmd_usage(&cmd_clear_entry));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (from == NULL) != (to == NULL) ||
	    (from == NULL && argc < 2))
		return (cmd_usage(&cmd_clear_entry));
	if ((dag = dagbag_find(&ctx->bag, argv[0])) == NULL)
		return (cmd_no_dag(ctx, argv[0]));

	if (from != NULL) {
		if ((status = cmd_time_value("--from", from, dag->tz,
		    &t1)) != 0 || (status = cmd_time_value("--to", to,
		    dag->tz, &t2)) != 0)
			return (status);
		if (store_run_range(ctx->store, dag->id, t1, t2, &runs,
		    &nruns) != 0)
			return (cmd_error("database: %s",
			    store_error(ctx->store)));
		tasks = argv + 1;
		ntasks = (size_t)argc - 1;
	} else {
		if ((status = cmd_find_run(ctx, dag->id, argv[1],
		    &one)) != 0)
			return (status);
		runs = xmalloc(sizeof *runs);
		runs[0] = one;
		nruns = 1;
		tasks = argv + 2;
		ntasks = (size_t)argc - 2;
	}

	memset(&iv, 0, sizeof iv);
	for (i = 0; i < nruns && status == 0; i++) {
		if (intervene_clear(ctx->store, dag, &runs[i], tasks, ntasks,
		    flags, cmd_user(), time(NULL), &iv, &cause) != 0) {
			status = cmd_error("%s", cause);
			free(cause);
		}
	}
	cancelled = cmd_cancel_jobs(&iv);
	if (status == 0) {
		wake_poke(&ctx->cfg);
		printf("cleared %d task instance%s in %zu run%s",
		    iv.count, iv.count == 1 ? "" : "s", nruns,
		    nruns == 1 ? "" : "s");
		if (cancelled > 0)
			printf(", cancelled %d Slurm job%s", cancelled,
			    cancelled == 1 ? "" : "s");
		printf("\n");
	}
	intervene_free(&iv);
	store_run_free_list(runs, nruns);
	return (status);
}
