/* Validate DAG files: every problem as file:line: message. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int	cmd_check_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[FILE...]",
	.summary = "validate DAG files (default: every file in the DAGs folder)",
	.help = "Prints each problem as FILE:LINE: MESSAGE and exits 1 if there "
	    "is any;\nprints FILE: ok for each valid file.\n",
	.flags = CMD_CONFIG,
	.exec = cmd_check_exec,
};

static int
cmd_check_file(struct cmd_ctx *ctx, const char *path)
{
	struct dag	*dag;
	char		*cause;

	if ((dag = dagfile_load(path, &ctx->cfg, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	printf("%s: ok\n", path);
	dag_free(dag);
	return (0);
}

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dagbag	 bag;
	int		 i, bad = 0;
	size_t		 j;

	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--") != 0)
		return (cmd_usage(&cmd_check_entry));
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			bad |= cmd_check_file(ctx, argv[i]);
		return (bad);
	}

	/* The whole folder, with the checks that need every file at once. */
	if (dagbag_load(&ctx->cfg, NULL, &bag) != 0)
		bad = 1;
	for (j = 0; j < bag.ndags; j++)
		printf("%s: ok\n", bag.dags[j]->path);
	for (j = 0; j < bag.nerrors; j++)
		fprintf(stderr, "%s\n", bag.errors[j]);
	if (bag.nerrors > 0)
		bad = 1;
	dagbag_free(&bag);
	return (bad);
}
