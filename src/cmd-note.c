/* Annotate a run after the fact: its note, and its labels. */

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "cmd.h"

static int	cmd_note_exec(struct cmd_ctx *, int, char **);
static int	cmd_label_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_note_entry = {
	.name = "note",
	.usage = "DAG RUN [TEXT]",
	.summary = "set the note of a run (what it was for), or print it",
	.help = "RUN is a run id, or a logical date that names one run. An "
	    "empty TEXT clears\nthe note.\n",
	.flags = CMD_STORE | CMD_WRITES,
	.exec = cmd_note_exec,
};

const struct cmd_entry cmd_label_entry = {
	.name = "label",
	.usage = "DAG RUN [+LABEL | -LABEL]...",
	.summary = "add (+) or remove (-) labels of a run, or list them",
	.help = "A bare LABEL adds it too. The labels are printed after the "
	    "change, one a line;\n'updraft runs --label L' finds the runs "
	    "with one.\n",
	.flags = CMD_STORE | CMD_WRITES,
	.exec = cmd_label_exec,
};

static int
cmd_note_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run	 r;
	int		 status;

	if ((argc != 3 && argc != 4) || argv[1][0] == '-')
		return (cmd_usage(&cmd_note_entry));
	if ((status = cmd_find_run(ctx, argv[1], argv[2], &r)) != 0)
		return (status);
	if (argc == 3) {
		if (r.note != NULL)
			cmd_print_line(stdout, r.note);
	} else if (store_record_set_note(ctx->store, r.id,
	    *argv[3] == '\0' ? NULL : argv[3]) != 0)
		status = cmd_error("cannot set note: %s",
		    store_error(ctx->store));
	store_run_clear(&r);
	return (status);
}

static int
cmd_label_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run	 r;
	char		**labels;
	const char	*label;
	size_t		 n, j;
	int		 i, add, status;

	if (argc < 3 || argv[1][0] == '-')
		return (cmd_usage(&cmd_label_entry));
	for (i = 3; i < argc; i++) {
		label = argv[i] + (argv[i][0] == '+' || argv[i][0] == '-');
		if (*label == '\0')
			return (cmd_bad_value("label", argv[i], "expected "
			    "LABEL, +LABEL or -LABEL"));
	}
	if ((status = cmd_find_run(ctx, argv[1], argv[2], &r)) != 0)
		return (status);
	if (store_begin(ctx->store) != 0) {
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	for (i = 3; i < argc; i++) {
		add = argv[i][0] != '-';
		label = argv[i] + (argv[i][0] == '+' || argv[i][0] == '-');
		if (store_record_label(ctx->store, r.id, label, add) != 0) {
			status = cmd_error("cannot change labels: %s",
			    store_error(ctx->store));
			store_rollback(ctx->store);
			store_run_clear(&r);
			return (status);
		}
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	if (store_record_labels(ctx->store, r.id, &labels, &n) != 0)
		status = cmd_error("database: %s", store_error(ctx->store));
	for (j = 0; j < n; j++) {
		escape_terminal_write(stdout, labels[j], 0);
		putchar('\n');
	}
	store_record_free_labels(labels, n);
	store_run_clear(&r);
	return (status);
}
