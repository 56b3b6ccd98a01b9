/* updraft: global options, find the verb, run it. */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cluster.h"
#include "store.h"

static void
main_usage(FILE *f)
{
	const struct cmd_entry	**e;

	fprintf(f, "usage: updraft [-v] [-c FILE] VERB [ARGS...]\n"
	    "       updraft -V | --version | -h | --help | help VERB\n\n"
	    "A cron-style DAG scheduler for Slurm clusters.\n\nVerbs:\n");
	for (e = cmd_table; *e != NULL; e++)
		fprintf(f, "  %-10s %s\n", (*e)->name, (*e)->summary);
	fprintf(f, "\nOptions:\n"
	    "  -c FILE    read this configuration file (also UPDRAFT_CONFIG)\n"
	    "  -v         log debug messages\n"
	    "  -V         print the versions of updraft and its libraries "
	    "(--version)\n"
	    "\nUPDRAFT_HOME (default ~/updraft) holds dags/, updraft.db and "
	    "logs/.\nSee 'updraft help VERB' and updraft(1).\n");
}

static void
main_version(void)
{
	printf("updraft %s\n", PACKAGE_VERSION);
	printf("libslurm %s\n", cluster_library_version());
	printf("sqlite %s\n", store_library_version());
	printf("libconfig %s\n", config_library_version());
	printf("libcurl %s\n", notify_library_version());
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*e;
	struct cmd_ctx		 ctx;
	char			*cause;
	int			 ch, status;

	memset(&ctx, 0, sizeof ctx);
	log_open("updraft", 0, 0);

	/* Stop at the verb: what follows belongs to it. */
	while ((ch = getopt_long(argc, argv, "+c:hvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctx.config_file = optarg;
			break;
		case 'v':
			ctx.verbose = 1;
			break;
		case 'h':
			main_usage(stdout);
			return (fflush(stdout) == 0 ? 0 : 1);
		case 'V':
			main_version();
			return (fflush(stdout) == 0 ? 0 : 1);
		default:
			main_usage(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		main_usage(stderr);
		return (2);
	}
	log_open("updraft", 0, ctx.verbose);

	if ((e = cmd_find(argv[0], &cause)) == NULL) {
		status = cmd_bad_value(NULL, NULL, "%s", cause);
		free(cause);
		return (status);
	}
	/* getopt in the verb starts again at its own argv[1]. */
	optind = 0;
	status = cmd_run(e, &ctx, argc, argv);
	config_free(&ctx.cfg);
	return (status);
}
