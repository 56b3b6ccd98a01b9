/* Print help for updraft or one of its verbs. */

#include <stdlib.h>

#include "cmd.h"

static int	cmd_help_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[VERB]",
	.summary = "show help for updraft or for one verb",
	.exec = cmd_help_exec,
};

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e, **ep;
	char			*cause;

	(void)ctx;
	if (argc > 2)
		return (cmd_usage(&cmd_help_entry));
	if (argc == 1) {
		printf("usage: updraft [-v] [-c FILE] VERB [ARGS...]\n\n"
		    "Verbs:\n");
		for (ep = cmd_table; *ep != NULL; ep++)
			printf("  %-10s %s\n", (*ep)->name, (*ep)->summary);
		printf("\nSee 'updraft help VERB' and updraft(1).\n");
		return (0);
	}
	if ((e = cmd_find(argv[1], &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		return (2);
	}
	cmd_print_help(e, stdout);
	return (0);
}
