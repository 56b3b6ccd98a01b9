/* Trigger a manual run of a DAG, now, with params, labels and a note. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "record.h"
#include "runs.h"
#include "wake.h"
#include "scheduler.h"

static int	cmd_trigger_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_trigger_opts[] = {
	{ "date", 'd', "T", "the logical date T (ISO-8601, or wall-clock time "
	  "in the DAG's zone) instead of now; an error if it has a run", 0 },
	{ "param", 'p', "NAME=VALUE", "set a param the DAG declares (its "
	  "'params' key), checked against the type of its default; the "
	  "others keep theirs", 0 },
	{ "label", 'l', "LABEL", "label the run (see 'updraft label')", 0 },
	{ "note", 'n', "TEXT", "say why (see 'updraft note')", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_trigger_entry = {
	.name = "trigger",
	.usage = "DAG [--date] [--param]... [--label]... [--note]",
	.summary = "create a manual run of a DAG with the current time as its "
	    "logical date",
	.help = "The run waits in state queued until the scheduler starts it "
	    "(a paused DAG's\nruns wait until it is unpaused).\n",
	.opts = cmd_trigger_opts,
	.flags = CMD_DAGS | CMD_WRITES,
	.exec = cmd_trigger_exec,
};

/* Check one --param NAME=VALUE against the DAG: 0, or -1 after saying why. */
static int
cmd_trigger_param(const struct dag *dag, char *arg, const char **name,
    char **value)
{
	const struct dag_param	*p;
	const char		*like;
	char			*eq, *cause;

	if ((eq = strchr(arg, '=')) == NULL) {
		cmd_bad_value("--param", arg, "expected NAME=VALUE");
		return (-1);
	}
	*eq = '\0';
	if ((p = record_param_find(dag, arg)) == NULL) {
		if ((like = record_param_similar(dag, arg)) != NULL)
			cmd_bad_value("--param", arg, "dag '%s' has no such "
			    "param; did you mean '%s'?", dag->id, like);
		else if (dag->nparams == 0)
			cmd_bad_value("--param", arg, "dag '%s' declares no "
			    "params", dag->id);
		else
			cmd_bad_value("--param", arg, "dag '%s' has no such "
			    "param", dag->id);
		return (-1);
	}
	if (record_param_check(p, eq + 1, value, &cause) != 0) {
		cmd_bad_value("--param", NULL, "%s", cause);
		free(cause);
		return (-1);
	}
	*name = p->name;
	return (0);
}

static int
cmd_trigger_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run_context	 rc_ctx;
	struct dag		*dag;
	struct interval		 iv;
	int64_t			 now, at;
	const char		*date = NULL;
	char			 iso[40], **values = NULL, **labels = NULL;
	const char		**names = NULL;
	size_t			 nparams = 0, nlabels = 0, j;
	int			 rc = 1, i, ch, status = 2;

	memset(&rc_ctx, 0, sizeof rc_ctx);
	/* Options may follow the DAG: collect them all first. */
	while ((ch = cmd_getopt(&cmd_trigger_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'd':
			date = optarg;
			break;
		case 'l':
			labels = xreallocarray(labels, nlabels + 1,
			    sizeof *labels);
			labels[nlabels++] = optarg;
			break;
		case 'n':
			rc_ctx.note = optarg;
			break;
		case 'p':
			values = xreallocarray(values, nparams + 1,
			    sizeof *values);
			values[nparams++] = optarg;
			break;
		default:
			goto out_usage;
		}
	}
	if (argc - optind != 1 || argv[optind][0] == '-')
		goto out_usage;
	status = 1;
	if ((dag = dagbag_find(&ctx->bag, argv[optind])) == NULL) {
		cmd_no_dag(ctx, argv[optind]);
		goto out;
	}
	names = xcalloc(nparams + 1, sizeof *names);
	for (j = 0; j < nparams; j++) {
		if (cmd_trigger_param(dag, values[j], &names[j],
		    &values[j]) != 0) {
			nparams = j;
			status = 2;
			goto out;
		}
	}
	for (j = 0; j < nlabels; j++) {
		if (*labels[j] == '\0') {
			status = cmd_bad_value("--label", labels[j],
			    "expected a label");
			goto out;
		}
	}
	rc_ctx.names = names;
	rc_ctx.values = (const char **)values;
	rc_ctx.nparams = nparams;

	/*
	 * A logical date never has two runs: two triggers in one second
	 * (scripts do that) take the next free second.
	 */
	now = time(NULL);
	if (date != NULL) {
		/* A date asked for is that date, or an error: never the next. */
		if ((status = cmd_time_value("--date", date, dag->tz,
		    &at)) != 0)
			goto out;
		iv.logical = iv.start = iv.end = iv.due = at;
		rc = runs_create_with(ctx->store, dag, "manual", &iv,
		    now, 0, &rc_ctx);
		tz_format(NULL, at, iso, sizeof iso);
		if (rc == 1) {
			cmd_error("dag '%s' already has a run at %s", dag->id,
			    iso);
			goto out;
		}
	}
	for (i = 0; date == NULL && i < 60; i++) {
		iv.logical = iv.start = iv.end = iv.due = now + i;
		if ((rc = runs_create_with(ctx->store, dag, "manual",
		    &iv, now, 0, &rc_ctx)) != 1)
			break;
	}
	tz_format(NULL, iv.logical, iso, sizeof iso);
	if (rc == 1) {
		cmd_error("dag '%s' already has runs at every second of the "
		    "next minute", dag->id);
		goto out;
	}
	if (rc != 0) {
		cmd_error("cannot create run: %s", store_error(ctx->store));
		goto out;
	}
	for (j = 0; j < nlabels; j++) {
		if (store_record_label(ctx->store, rc_ctx.id, labels[j],
		    1) != 0) {
			cmd_error("cannot label run: %s",
			    store_error(ctx->store));
			goto out;
		}
	}
	wake_poke(&ctx->cfg);
	printf("manual__%s\n", iso);
	status = 0;
	goto out;

out_usage:
	status = cmd_usage(&cmd_trigger_entry);
out:
	/* Checked values were allocated in place of the arguments. */
	for (j = 0; names != NULL && j < nparams; j++)
		free(values[j]);
	free(names);
	free(values);
	free(labels);
	return (status);
}
