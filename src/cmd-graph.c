/* Show a DAG's tasks and what each comes after, as text or Graphviz. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "view.h"

static int	cmd_graph_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_graph_opts[] = {
	{ "dot", 'd', NULL,
	  "print a digraph for dot(1): updraft graph DAG --dot | "
	  "dot -Tsvg", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_graph_entry = {
	.name = "graph",
	.usage = "DAG [--dot]",
	.summary = "show the tasks of a DAG by level, or as Graphviz with "
	    "--dot",
	.help = "A task's level is the longest chain of tasks before it: "
	    "level 0 comes after\n"
	    "nothing. Each task is shown with the tasks it comes after "
	    "(\"train <- prep\").\n",
	.opts = cmd_graph_opts,
	.flags = CMD_DAGS,
	.exec = cmd_graph_exec,
};

/* A Graphviz ID: always quoted, with quotes and backslashes escaped. */
static void
cmd_graph_dot_id(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
cmd_graph_dot(const struct dag *dag, const size_t *order)
{
	const struct task	*t;
	size_t			 i, j;

	printf("digraph ");
	cmd_graph_dot_id(dag->id);
	printf(" {\n\trankdir=LR;\n\tnode [shape=box];\n");
	for (i = 0; i < dag->ntasks; i++) {
		putchar('\t');
		cmd_graph_dot_id(dag->tasks[order[i]].id);
		printf(";\n");
	}
	for (i = 0; i < dag->ntasks; i++) {
		t = &dag->tasks[order[i]];
		for (j = 0; j < t->nafter; j++) {
			putchar('\t');
			cmd_graph_dot_id(t->after[j]);
			printf(" -> ");
			cmd_graph_dot_id(t->id);
			printf(";\n");
		}
	}
	printf("}\n");
}

static void
cmd_graph_text(const struct dag *dag, const size_t *order, const int *level)
{
	const struct task	*t;
	size_t			 i, j, width = 0;
	int			 levels = 0;

	for (i = 0; i < dag->ntasks; i++) {
		if (strlen(dag->tasks[i].id) > width)
			width = strlen(dag->tasks[i].id);
		if (level[i] + 1 > levels)
			levels = level[i] + 1;
	}
	printf("%s: %zu task%s in %d level%s\n", dag->id, dag->ntasks,
	    dag->ntasks == 1 ? "" : "s", levels, levels == 1 ? "" : "s");
	for (i = 0; i < dag->ntasks; i++) {
		t = &dag->tasks[order[i]];
		if (i == 0 || level[order[i]] != level[order[i - 1]])
			printf("level %d\n", level[order[i]]);
		printf("  ");
		if (t->nafter == 0) {
			printf("%s\n", t->id);
			continue;
		}
		view_pad(stdout, t->id, width);
		printf("  <-");
		for (j = 0; j < t->nafter; j++)
			printf(" %s%s", t->after[j], j + 1 < t->nafter ? "," : "");
		printf("\n");
	}
}

static int
cmd_graph_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dag		*dag;
	size_t			*order;
	int			*level, ch, dot = 0;

	while ((ch = cmd_getopt(&cmd_graph_entry, argc, argv)) != -1) {
		if (ch != 'd')
			return (cmd_usage(&cmd_graph_entry));
		dot = 1;
	}
	if (argc - optind != 1)
		return (cmd_usage(&cmd_graph_entry));
	argv += optind;
	if ((dag = dagbag_find(&ctx->bag, argv[0])) == NULL)
		return (cmd_no_dag(ctx, argv[0]));

	level = xcalloc(dag->ntasks + 1, sizeof *level);
	order = dag_task_order(dag, level);
	if (dot)
		cmd_graph_dot(dag, order);
	else
		cmd_graph_text(dag, order, level);
	free(order);
	free(level);
	return (0);
}
