/* Write one HTML file that shows DAGs, their runs, graphs, Gantt and logs. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "report.h"
#include "view.h"

static int	cmd_report_exec(struct cmd_ctx *, int, char **);
static int	cmd_report_beside(const char *, const char *);

/* How much of each log's end the page holds. */
#define CMD_REPORT_TAIL		4096
#define CMD_REPORT_LAST		50

static const struct cmd_opt cmd_report_opts[] = {
	{ "output", 'o', "FILE",
	  "write the page to FILE ('-': standard output) instead of "
	  "report.html in the state directory", CMD_OPT_SHORT },
	{ "since", 's', "T",
	  "only runs whose logical date is T or later (as for "
	  "'updraft runs')", 0 },
	{ "last", 'n', "N", "at most the newest N runs of each DAG "
	  "(default 50)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "[DAG...] [--since] [--last] [-o]",
	.summary = "write an HTML report of DAGs and their runs, to open in a "
	    "browser",
	.help = "One self-contained file (mode 0600) that needs no network: "
	    "for each DAG (every\n"
	    "DAG without arguments) the grid of its runs, its graph, the "
	    "runs with their\n"
	    "params, metrics, labels and notes (sortable and filterable), "
	    "lineage, and for\n"
	    "the chosen run a Gantt chart and each task's log path and "
	    "tail. Its address\n"
	    "takes #sort=FIELD, #filter=FIELD:VALUE and #run=DAG/RUN (see "
	    "updraft(1)).\n"
	    "Prints the path it wrote.\n",
	.opts = cmd_report_opts,
	.flags = CMD_DAGS,
	.exec = cmd_report_exec,
};

/*
 * 1 if the page at path is in the state directory: then its links to logs
 * (logs/DAG/...) lead to them, in a browser or a file browser alike.
 */
static int
cmd_report_beside(const char *path, const char *state_dir)
{
	char	*dir, *slash, *a, *b;
	int	 same;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else
		slash[slash == dir ? 1 : 0] = '\0';
	a = realpath(dir, NULL);
	b = realpath(state_dir, NULL);
	same = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);
	free(b);
	free(dir);
	return (same);
}

static int
cmd_report_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct report		 rep;
	struct report_opts	 o;
	const char		*out = NULL;
	char			*cause, *path = NULL, *end;
	int			 ch, i, status;

	memset(&o, 0, sizeof o);
	o.last = CMD_REPORT_LAST;
	while ((ch = cmd_getopt(&cmd_report_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'o':
			if (*optarg == '\0')
				return (cmd_bad_value("--output", optarg,
				    "expected a file name or '-'"));
			out = optarg;
			break;
		case 's':
			if (view_parse_since(optarg, &o.since, &cause) != 0) {
				status = cmd_bad_value("--since", NULL, "%s",
				    cause);
				free(cause);
				return (status);
			}
			o.has_since = 1;
			break;
		case 'n':
			o.last = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o.last < 1 ||
			    o.last > 100000)
				return (cmd_bad_value("--last", optarg,
				    "expected a number from 1 to 100000"));
			break;
		default:
			return (cmd_usage(&cmd_report_entry));
		}
	}
	for (i = optind; i < argc; i++) {
		if ((status = cmd_find_dag(ctx, argv[i])) != 0)
			return (status);
	}
	o.state_dir = ctx->cfg.state_dir;
	o.tail_bytes = CMD_REPORT_TAIL;
	o.now = time(NULL);

	if (report_load(&rep, ctx->store, &ctx->bag, argv + optind,
	    argc - optind, &o, &cause) != 0) {
		report_free(&rep);
		status = cmd_error("%s", cause);
		free(cause);
		return (status);
	}
	if (out != NULL && strcmp(out, "-") == 0) {
		/* cmd_run checks that standard output took it all. */
		report_write(stdout, &rep);
		report_free(&rep);
		return (0);
	}
	if (out == NULL)
		xasprintf(&path, "%s/report.html", ctx->cfg.state_dir);
	rep.opts.link_logs = cmd_report_beside(out != NULL ? out : path,
	    ctx->cfg.state_dir);
	if (report_save(&rep, out != NULL ? out : path, &cause) != 0) {
		status = cmd_error("%s", cause);
		free(cause);
	} else {
		printf("%s\n", out != NULL ? out : path);
		status = 0;
	}
	report_free(&rep);
	free(path);
	return (status);
}
