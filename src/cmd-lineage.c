/* Which runs fed a run through task inputs, and which read its outputs. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "cmd.h"
#include "output.h"

static int	cmd_lineage_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_lineage_opts[] = {
	{ "up", 'u', NULL, "only the runs this one read from", 0 },
	{ "down", 'd', NULL, "only the runs that read from it", 0 },
	{ "depth", 'D', "N", "follow edges N steps away (default 1)", 0 },
	{ "json", 'j', NULL,
	  "fields dag_id run_id logical_date, and \"up\" and "
	  "\"down\": lists of edges with dag_id run_id "
	  "logical_date src_task_id src_output task_id input path, "
	  "each with its own \"up\" or \"down\" list when --depth "
	  "reaches further", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_lineage_entry = {
	.name = "lineage",
	.usage = "DAG RUN [--up | --down] [--depth] [--json]",
	.summary = "show which runs fed a run, and which read its outputs",
	.help = "RUN is a run id, or a logical date that names one run. An "
	    "edge is a task input\n"
	    "(the 'inputs' key of a DAG file): a task of one run read "
	    "an output of a task of\n"
	    "another. Both ways by default. A run met twice is shown "
	    "once, then marked\n"
	    "\"(above)\".\n"
	    "Each line: DAG RUN  SRC_TASK.OUTPUT -> TASK.INPUT  PATH.\n",
	.opts = cmd_lineage_opts,
	.flags = CMD_STORE,
	.exec = cmd_lineage_exec,
};

/* The runs already shown, so that a diamond or a loop is walked once. */
struct cmd_lineage_seen {
	int64_t	*runs;
	size_t	 n;
};

static int
cmd_lineage_visit(struct cmd_lineage_seen *seen, int64_t run)
{
	size_t	i;

	for (i = 0; i < seen->n; i++) {
		if (seen->runs[i] == run)
			return (0);
	}
	seen->runs = xreallocarray(seen->runs, seen->n + 1,
	    sizeof *seen->runs);
	seen->runs[seen->n++] = run;
	return (1);
}

/* Print the edges of run, one direction, depth steps deep, as text. */
static int
cmd_lineage_text(struct store *st, int64_t run, int up, int depth,
    int indent, struct cmd_lineage_seen *seen)
{
	struct lineage_edge	*e;
	char			*line;
	size_t			 n, i;
	int			 fresh;

	if (store_lineage_edges(st, run, up, &e, &n) != 0)
		return (-1);
	if (n == 0 && indent == 2)
		printf("  (none)\n");
	for (i = 0; i < n; i++) {
		fresh = cmd_lineage_visit(seen, e[i].run);
		/* Output names and paths come from jobs: escaped. */
		xasprintf(&line, "%*s%s %s  %s.%s -> %s.%s  %s%s", indent, "",
		    e[i].dag_id, e[i].run_id, e[i].src_task_id,
		    e[i].src_output, e[i].task_id, e[i].name, e[i].path,
		    fresh ? "" : "  (above)");
		escape_terminal_write(stdout, line, 0);
		putchar('\n');
		free(line);
		if (fresh && depth > 1 && cmd_lineage_text(st, e[i].run, up,
		    depth - 1, indent + 2, seen) != 0) {
			store_lineage_free(e, n);
			return (-1);
		}
	}
	store_lineage_free(e, n);
	return (0);
}

/* The same, as a JSON list of edges: the value of key in j. */
static int
cmd_lineage_json(struct store *st, struct output_json *j, const char *key,
    int64_t run, int up, int depth, struct cmd_lineage_seen *seen)
{
	struct lineage_edge	*e;
	size_t			 n, i;
	int			 fresh;

	if (store_lineage_edges(st, run, up, &e, &n) != 0)
		return (-1);
	output_json_open(j, key, '[');
	for (i = 0; i < n; i++) {
		fresh = cmd_lineage_visit(seen, e[i].run);
		output_json_open(j, NULL, '{');
		output_json_str(j, "dag_id", e[i].dag_id);
		output_json_str(j, "run_id", e[i].run_id);
		output_json_at(j, "logical_date", e[i].logical_date);
		output_json_str(j, "src_task_id", e[i].src_task_id);
		output_json_str(j, "src_output", e[i].src_output);
		output_json_str(j, "task_id", e[i].task_id);
		output_json_str(j, "input", e[i].name);
		output_json_str(j, "path", e[i].path);
		if (fresh && depth > 1 && cmd_lineage_json(st, j, up ? "up" :
		    "down", e[i].run, up, depth - 1, seen) != 0) {
			store_lineage_free(e, n);
			return (-1);
		}
		output_json_close(j);
	}
	output_json_close(j);
	store_lineage_free(e, n);
	return (0);
}

static int
cmd_lineage_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_lineage_seen	 seen = { NULL, 0 };
	struct output_json	 j;
	struct run		 r;
	char			*end;
	long			 depth = 1;
	int			 ch, json = 0, up = 1, down = 1, rc = 0;

	while ((ch = cmd_getopt(&cmd_lineage_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'u':
			down = 0;
			break;
		case 'd':
			up = 0;
			break;
		case 'D':
			depth = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || depth < 1 ||
			    depth > 1000)
				return (cmd_bad_value("--depth", optarg,
				    "expected a number from 1 to 1000"));
			break;
		case 'j':
			json = 1;
			break;
		default:
			return (cmd_usage(&cmd_lineage_entry));
		}
	}
	if (argc - optind != 2 || (!up && !down))
		return (cmd_usage(&cmd_lineage_entry));
	argv += optind;
	if ((rc = cmd_find_run(ctx, argv[0], argv[1], &r)) != 0)
		return (rc);
	cmd_lineage_visit(&seen, r.id);

	if (json) {
		output_json_init(&j, stdout);
		output_json_open(&j, NULL, '{');
		output_json_str(&j, "dag_id", r.dag_id);
		output_json_str(&j, "run_id", r.run_id);
		output_json_at(&j, "logical_date", r.logical_date);
		if (up)
			rc = cmd_lineage_json(ctx->store, &j, "up", r.id, 1,
			    depth, &seen);
		if (down && rc == 0)
			rc = cmd_lineage_json(ctx->store, &j, "down", r.id, 0,
			    depth, &seen);
		output_json_close(&j);
	} else {
		printf("%s %s\n", r.dag_id, r.run_id);
		if (up) {
			printf("read from:\n");
			rc = cmd_lineage_text(ctx->store, r.id, 1, depth, 2,
			    &seen);
		}
		if (down && rc == 0) {
			printf("read by:\n");
			rc = cmd_lineage_text(ctx->store, r.id, 0, depth, 2,
			    &seen);
		}
	}
	free(seen.runs);
	store_run_clear(&r);
	if (rc != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	return (0);
}
