/* Print help for updraft or one of its verbs. */

#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"

static int	cmd_help_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_help_opts[] = {
	/* For bash completion: the options of VERB, one a line. */
	{ "options", 'o', NULL, NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[VERB]",
	.summary = "show help for updraft or for one verb",
	.opts = cmd_help_opts,
	.exec = cmd_help_exec,
};

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e, **ep;
	char			*cause;
	int			 ch, options = 0, status;

	(void)ctx;
	while ((ch = cmd_getopt(&cmd_help_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'o':
			options = 1;
			break;
		default:
			return (cmd_usage(&cmd_help_entry));
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc > 2 || (options && argc != 2))
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
		status = cmd_bad_value(NULL, NULL, "%s", cause);
		free(cause);
		return (status);
	}
	if (options)
		cmd_print_options(e, stdout);
	else
		cmd_print_help(e, stdout);
	return (0);
}
