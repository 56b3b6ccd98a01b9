/* The verb table, and finding and running a verb. */

/*
 * To add a verb: write src/cmd-VERB.c with a `struct cmd_entry`, declare it
 * in cmd.h, list it below (alphabetical: `updraft help` prints this order),
 * add the file to Makefile.am and document it in man/updraft.1. Anything the
 * verb needs before it runs is a flag in its entry, satisfied in cmd_run().
 * Its options are a `struct cmd_opt` table in the entry, read with
 * cmd_getopt(); usage errors go through cmd_usage() or cmd_bad_value()
 * (cmd.h).
 */

#include <errno.h>
#include <pwd.h>
#include <getopt.h>
#include <time.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "cmd.h"
#include "intervene.h"
#include "output.h"
#include "spool.h"
#include "store.h"
#include "suggest.h"
#include "wake.h"

const struct cmd_entry *cmd_table[] = {
	&cmd_backfill_entry,
	&cmd_backfills_entry,
	&cmd_cancel_entry,
	&cmd_check_entry,
	&cmd_clear_entry,
	&cmd_compare_entry,
	&cmd_dates_entry,
	&cmd_diff_entry,
	&cmd_export_entry,
	&cmd_gantt_entry,
	&cmd_graph_entry,
	&cmd_grid_entry,
	&cmd_help_entry,
	&cmd_init_entry,
	&cmd_label_entry,
	&cmd_lineage_entry,
	&cmd_list_entry,
	&cmd_logs_entry,
	&cmd_mark_entry,
	&cmd_note_entry,
	&cmd_notify_entry,
	&cmd_pause_entry,
	&cmd_report_entry,
	&cmd_runs_entry,
	&cmd_scheduler_entry,
	&cmd_scrontab_entry,
	&cmd_show_entry,
	&cmd_site_entry,
	&cmd_status_entry,
	&cmd_stop_entry,
	&cmd_tasks_entry,
	&cmd_trigger_entry,
	&cmd_unpause_entry,
	&cmd_versions_entry,
	NULL
};

/*
 * Whether name is, exactly, the name of a verb that writes: what a spool
 * request may run (spool.c).
 */
int
cmd_writes(const char *name)
{
	const struct cmd_entry	**e;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0)
			return (((*e)->flags & CMD_WRITES) != 0);
	}
	return (0);
}

/* Find a verb by its name or a unique prefix; NULL with a cause if none. */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	**e, *found = NULL;
	struct suggest		  like;
	size_t			  len = strlen(name);
	int			  ambiguous = 0;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0)
			return (*e);
		if (len > 0 && strncmp((*e)->name, name, len) == 0) {
			if (found != NULL)
				ambiguous = 1;
			found = *e;
		}
	}
	if (ambiguous) {
		xasprintf(cause, "ambiguous verb '%s'", name);
		return (NULL);
	}
	if (found == NULL) {
		suggest_init(&like, name);
		for (e = cmd_table; *e != NULL; e++)
			suggest_add(&like, (*e)->name);
		if (like.best != NULL)
			xasprintf(cause, "'%s' is not an updraft verb; did "
			    "you mean '%s'?", name, like.best);
		else
			xasprintf(cause, "'%s' is not an updraft verb; see "
			    "'updraft --help'", name);
		return (NULL);
	}
	return (found);
}

/*
 * Say that no DAG is called name, suggesting a known DAG id that is
 * close, and return the error exit code. Needs the store open. A DAG the
 * database knows whose file did not load (for verbs that need it loaded)
 * gets its load error instead.
 */
int
cmd_no_dag(struct cmd_ctx *ctx, const char *name)
{
	struct store_dag	*dags = NULL;
	struct suggest		 like;
	size_t			 i, n = 0;
	int			 status;

	suggest_init(&like, name);
	if (ctx->store != NULL && store_dag_list(ctx->store, &dags, &n) == 0) {
		for (i = 0; i < n; i++)
			suggest_add(&like, dags[i].dag_id);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(dags[i].dag_id, name) == 0)
			break;
	}
	if (i < n && dags[i].load_error != NULL)
		status = cmd_error("cannot load dag '%s': %s", name,
		    dags[i].load_error);
	else if (i == n && like.best != NULL)
		status = cmd_error("cannot find dag '%s'; did you mean '%s'?",
		    name, like.best);
	else
		status = cmd_error("cannot find dag '%s'", name);
	store_dag_free_list(dags, n);
	return (status);
}

/*
 * Check that the database knows the DAG a verb names: 0, or the exit status
 * after saying what is wrong (a database error is not a missing DAG).
 */
int
cmd_find_dag(struct cmd_ctx *ctx, const char *dag_id)
{
	struct store_dag	 sd;
	int			 rc;

	if ((rc = store_dag_get(ctx->store, dag_id, &sd)) < 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	if (rc == 0)
		return (cmd_no_dag(ctx, dag_id));
	store_dag_clear(&sd);
	return (0);
}

/*
 * Find the run a verb names (a run id, or a logical date in UTC) of a DAG:
 * 0, or the exit status after saying what is wrong. Each is one indexed
 * lookup.
 */
int
cmd_find_run(struct cmd_ctx *ctx, const char *dag_id, const char *which,
    struct run *r)
{
	struct tz		*utc;
	char			*cause;
	int64_t			 t;
	int			 rc;

	if ((rc = cmd_find_dag(ctx, dag_id)) != 0)
		return (rc);
	rc = store_run_find(ctx->store, dag_id, which, r);
	if (rc == 0 && (utc = tz_load("UTC", &cause)) != NULL) {
		if (tz_parse_time(which, utc, &t, &cause) == 0)
			rc = store_run_at(ctx->store, dag_id, t, r);
		else
			free(cause);
		tz_free(utc);
	} else if (rc == 0) {
		free(cause);
	}
	if (rc < 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	if (rc == 0)
		return (cmd_error("cannot find run '%s' of dag '%s'", which,
		    dag_id));
	return (0);
}

/*
 * Print text and a line feed: messages and problems quote what users and
 * jobs wrote, so control characters are escaped (escape.c).
 */
void
cmd_print_line(FILE *f, const char *text)
{
	escape_terminal_write(f, text, ESCAPE_KEEP_NEWLINE);
	fputc('\n', f);
}

static void
cmd_verror(const char *fmt, va_list ap)
{
	char	*msg;

	xvasprintf(&msg, fmt, ap);
	fputs("updraft: ", stderr);
	cmd_print_line(stderr, msg);
	free(msg);
}

/* Print an error in git's style and return the error exit code. */
int
cmd_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cmd_verror(fmt, ap);
	va_end(ap);
	return (1);
}

/*
 * Say what is wrong with the value of an option or argument, "bad WHAT
 * 'VALUE': WHY" ("bad WHAT: WHY" without a value, where WHY quotes it;
 * WHY alone without WHAT, where it is already "bad ... '...': ..."), and
 * return the usage exit code.
 */
int
cmd_bad_value(const char *what, const char *value, const char *fmt, ...)
{
	va_list	ap;

	if (what != NULL && value != NULL)
		fprintf(stderr, "updraft: bad %s '%s': ", what, value);
	else if (what != NULL)
		fprintf(stderr, "updraft: bad %s: ", what);
	else
		fputs("updraft: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (2);
}

/*
 * Read the time an option or argument gives (ISO-8601, or wall-clock time
 * in tz): 0, or the usage exit status after saying what is wrong.
 */
int
cmd_time_value(const char *what, const char *arg, const struct tz *tz,
    int64_t *t)
{
	char	*cause;
	int	 status;

	if (tz_parse_time(arg, tz, t, &cause) == 0)
		return (0);
	status = cmd_bad_value(what, NULL, "%s", cause);
	free(cause);
	return (status);
}

/* The options of listings, for verbs whose options are only these. */
const struct cmd_opt cmd_listing_opts[] = {
	{ "utc", 'u', NULL, "times in UTC instead of the local zone (TZ)", 0 },
	{ "json", 'j', NULL, "print JSON, times ISO-8601 in UTC", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

/*
 * For a verb without options: check that none is given and that from min
 * to max arguments are (then at argv + optind): 0, or e's usage status.
 */
int
cmd_args(const struct cmd_entry *e, int argc, char **argv, int min, int max)
{
	if (cmd_getopt(e, argc, argv) != -1 || argc - optind < min ||
	    argc - optind > max)
		return (cmd_usage(e));
	return (0);
}

/*
 * Read the options of a listing, --json and --utc, and check that from min
 * to max arguments follow them (at argv + optind): 0, or e's usage status.
 */
int
cmd_listing_args(const struct cmd_entry *e, int argc, char **argv, int min,
    int max, int *json, int *utc)
{
	int	ch;

	*json = *utc = 0;
	while ((ch = cmd_getopt(e, argc, argv)) != -1) {
		switch (ch) {
		case 'j':
			*json = 1;
			break;
		case 'u':
			*utc = 1;
			break;
		default:
			return (cmd_usage(e));
		}
	}
	if (argc - optind < min || argc - optind > max)
		return (cmd_usage(e));
	return (0);
}

/* The options of listings with columns, for verbs whose options are these. */
const struct cmd_opt cmd_columns_opts[] = {
	{ "utc", 'u', NULL, "times in UTC instead of the local zone (TZ)", 0 },
	{ "json", 'j', NULL, "print JSON, times ISO-8601 in UTC", 0 },
	CMD_COLUMNS_OPTS,
	{ NULL, 0, NULL, NULL, 0 }
};

/* Take cmd_getopt's answer ch if it is an option of c: 1 if so, else 0. */
int
cmd_columns_opt(int ch, struct cmd_columns *c)
{
	switch (ch) {
	case 'H':
		c->noheader = 1;
		break;
	case 'j':
		c->json = 1;
		break;
	case 'o':
		c->format = optarg;
		break;
	case 'P':
		c->parsable = 1;
		break;
	case 'u':
		c->utc = 1;
		break;
	default:
		return (0);
	}
	return (1);
}

/*
 * Read the options of cmd_columns_opts and check that from min to max
 * arguments follow (at argv + optind), but none with --format help: 0, or
 * e's usage status.
 */
int
cmd_columns_args(const struct cmd_entry *e, int argc, char **argv, int min,
    int max, struct cmd_columns *c)
{
	int	ch;

	memset(c, 0, sizeof *c);
	while ((ch = cmd_getopt(e, argc, argv)) != -1) {
		if (!cmd_columns_opt(ch, c))
			return (cmd_usage(e));
	}
	if (c->format != NULL && strcmp(c->format, "help") == 0)
		min = 0;
	if (argc - optind < min || argc - optind > max)
		return (cmd_usage(e));
	return (0);
}

/*
 * Make the columns c asks for, of objects o, into fmt: those of --format,
 * or defaults (in --format's syntax) under --noheader or --parsable alone.
 * -1 to go on (fmt->ncols is 0 for the verb's usual output), or the exit
 * status: 0 after --format help, the usage status for a bad field or
 * --json with columns.
 */
int
cmd_columns_format(const struct cmd_entry *e, const struct cmd_columns *c,
    const struct output_object *o, const char *defaults,
    struct output_format *fmt)
{
	char	*cause;
	int	 status;

	memset(fmt, 0, sizeof *fmt);
	if (c->format != NULL && strcmp(c->format, "help") == 0) {
		output_format_help(o, stdout);
		return (0);
	}
	if (c->format == NULL && !c->noheader && !c->parsable)
		return (-1);
	if (c->json)
		return (cmd_usage(e));
	if (output_format_parse(o, c->format != NULL ? c->format : defaults,
	    fmt, &cause) != 0) {
		status = cmd_bad_value(NULL, NULL, "%s", cause);
		free(cause);
		return (status);
	}
	fmt->noheader = c->noheader;
	fmt->parsable = c->parsable;
	return (-1);
}

/* Cancel what an intervention took away from Slurm, and say so. */
int
cmd_cancel_jobs(struct intervene *iv)
{
	char	*warnings;
	int	 n;

	if (iv->njobs == 0)
		return (0);
	n = intervene_cancel_jobs(iv, &warnings);
	if (warnings != NULL) {
		cmd_error("%s", warnings);
		free(warnings);
	}
	return (n);
}

/* Who is running this verb, for the reasons people read later. */
const char *
cmd_user(void)
{
	struct passwd	*pw;
	const char	*user;

	/* A request from the spool is the requester's doing. */
	if ((user = spool_user()) != NULL)
		return (user);
	if ((pw = getpwuid(getuid())) != NULL)
		return (pw->pw_name);
	return ("unknown");
}

/*
 * getopt_long over e's options: their ch, '?' for a wrong one, -1 at the
 * end. Options may come after arguments. The arrays getopt needs are made
 * from the table once and kept.
 */
int
cmd_getopt(const struct cmd_entry *e, int argc, char **argv)
{
	static const struct cmd_entry	*made;
	static struct option		*longopts;
	static char			*shortopts;
	const struct cmd_opt		*o;
	size_t				 n = 0, len = 0;

	if (made != e) {
		for (o = e->opts; o != NULL && o->name != NULL; o++)
			n++;
		free(longopts);
		free(shortopts);
		longopts = xcalloc(n + 1, sizeof *longopts);
		shortopts = xcalloc(2 * n + 1, 1);
		for (n = 0, o = e->opts; o != NULL && o->name != NULL; o++) {
			longopts[n].name = o->name;
			longopts[n].has_arg = o->arg != NULL ?
			    required_argument : no_argument;
			longopts[n++].val = o->ch;
			if (o->flags & CMD_OPT_SHORT) {
				shortopts[len++] = o->ch;
				if (o->arg != NULL)
					shortopts[len++] = ':';
			}
		}
		made = e;
	}
	return (getopt_long(argc, argv, shortopts, longopts, NULL));
}

/* e's option named at s ("--name" or "-x", len bytes), or NULL. */
static const struct cmd_opt *
cmd_usage_opt(const struct cmd_entry *e, const char *s, size_t len)
{
	const struct cmd_opt	*o;

	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (len == 2 && (o->flags & CMD_OPT_SHORT) && s[1] == o->ch)
			return (o);
		if (len > 2 && s[1] == '-' && strlen(o->name) == len - 2 &&
		    strncmp(o->name, s + 2, len - 2) == 0)
			return (o);
	}
	return (NULL);
}

/*
 * The usage line of e after "updraft NAME ": its usage, each option
 * named there followed by its value's name from the table.
 */
char *
cmd_usage_line(const struct cmd_entry *e)
{
	const struct cmd_opt	*o;
	const char		*s = e->usage, *start;
	char			*line;
	size_t			 len, size = 1;

	for (o = e->opts; o != NULL && o->name != NULL; o++)
		size += o->arg != NULL ? strlen(o->arg) + 1 : 0;
	line = xcalloc(strlen(s) + size, 1);
	while (*s != '\0') {
		start = s;
		if (*s == '-' && (s == e->usage ||
		    strchr(" [(|", s[-1]) != NULL)) {
			for (s++; *s == '-' || (*s >= 'a' && *s <= 'z'); s++)
				/* nothing */;
		} else
			s++;
		len = s - start;
		strncat(line, start, len);
		if (len > 1 && (o = cmd_usage_opt(e, start, len)) != NULL &&
		    o->arg != NULL) {
			strcat(line, " ");
			strcat(line, o->arg);
		}
	}
	return (line);
}

/* Print e's usage line on standard error; the usage exit code. */
int
cmd_usage(const struct cmd_entry *e)
{
	char	*line;

	line = cmd_usage_line(e);
	fprintf(stderr, "usage: updraft %s%s%s\n", e->name,
	    *line != '\0' ? " " : "", line);
	free(line);
	return (2);
}

/* An option as `updraft help VERB` lists it: "-f, --follow", "--try N". */
static char *
cmd_opt_label(const struct cmd_opt *o)
{
	char	*label, letter[5] = "";

	if (o->flags & CMD_OPT_SHORT)
		snprintf(letter, sizeof letter, "-%c, ", o->ch);
	xasprintf(&label, "%s--%s%s%s", letter, o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	return (label);
}

/* Labels longer than this have their help on the next line. */
#define CMD_HELP_LABEL	18
#define CMD_HELP_WIDTH	79

/*
 * Print text from column col (the cursor is there) to CMD_HELP_WIDTH,
 * breaking lines between words and at each newline it holds.
 */
static void
cmd_print_wrapped(FILE *f, const char *text, int col)
{
	const char	*s = text, *word;
	int		 at = col, len;

	while (*s != '\0') {
		if (*s == '\n') {
			fprintf(f, "\n%*s", col, "");
			at = col;
			s++;
			continue;
		}
		for (word = s; *s != '\0' && *s != ' ' && *s != '\n'; s++)
			/* nothing */;
		len = s - word;
		if (at > col && at + 1 + len > CMD_HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", len, word);
		at += len;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

/* The usage, summary, help and options of e, as `updraft help VERB`. */
void
cmd_print_help(const struct cmd_entry *e, FILE *f)
{
	const struct cmd_opt	*o;
	char			*line, *label;
	int			 width = 0, len;

	line = cmd_usage_line(e);
	fprintf(f, "usage: updraft %s%s%s\n\n%s\n", e->name,
	    *line != '\0' ? " " : "", line, e->summary);
	free(line);
	if (e->help != NULL)
		fprintf(f, "\n%s", e->help);
	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (o->help == NULL)
			continue;
		label = cmd_opt_label(o);
		len = strlen(label);
		if (len <= CMD_HELP_LABEL && len > width)
			width = len;
		free(label);
	}
	if (width != 0 && e->help == NULL)
		fputc('\n', f);
	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (o->help == NULL)
			continue;
		label = cmd_opt_label(o);
		if ((len = strlen(label)) > width)
			fprintf(f, "  %s\n%*s", label, width + 4, "");
		else
			fprintf(f, "  %-*s  ", width, label);
		free(label);
		cmd_print_wrapped(f, o->help, width + 4);
	}
}

/*
 * The options of e for completion, one a line: "--name", or "--name ARG"
 * for one that takes a value; "-x" too for a short one. Hidden ones not.
 */
void
cmd_print_options(const struct cmd_entry *e, FILE *f)
{
	const struct cmd_opt	*o;

	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (o->help == NULL)
			continue;
		if (o->flags & CMD_OPT_SHORT)
			fprintf(f, "-%c%s%s\n", o->ch,
			    o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		fprintf(f, "--%s%s%s\n", o->name, o->arg != NULL ? " " : "",
		    o->arg != NULL ? o->arg : "");
	}
}

/*
 * Find what the state directory's filesystem allows, with db_locks from the
 * configuration over what fs.c finds.
 */
static void
cmd_fs_probe(struct cmd_ctx *ctx)
{
	fs_probe(ctx->cfg.state_dir, &ctx->fs);
	switch (ctx->cfg.db_locks) {
	case CONFIG_LOCKS_TRUSTED:
		ctx->fs.locks_trusted = 1;
		ctx->fs.why = NULL;
		break;
	case CONFIG_LOCKS_UNTRUSTED:
		ctx->fs.locks_trusted = 0;
		ctx->fs.why = "db_locks is \"untrusted\"";
		break;
	}
}

/*
 * Where locks cannot be trusted, readers open the snapshot the scheduler
 * leaves after each pass (renamed into place: always a whole state, and
 * never locked by the scheduler), else the database read-only.
 */
static struct store *
cmd_open_reader(struct cmd_ctx *ctx, char **cause)
{
	struct store	*st;
	char		*snap;

	snap = store_snapshot_path(ctx->cfg.db_path);
	if (access(snap, F_OK) == 0)
		st = store_open(snap, STORE_RDONLY, cause);
	else if (access(ctx->cfg.db_path, F_OK) == 0)
		st = store_open(ctx->cfg.db_path, STORE_RDONLY, cause);
	else
		st = store_open(":memory:", 0, cause);
	free(snap);
	return (st);
}

/*
 * The database for a verb that only reads. None yet: an empty one in
 * memory, so that the verb answers as on a new database (list shows the
 * DAG files, paused; runs and tasks show none) and leaves no file behind.
 * Else read-only, unless the verb records the DAG files it reads (list,
 * grid...) and may write the database, or its schema is older and we may
 * upgrade it: then as a writer does.
 */
static struct store *
cmd_open_read(struct cmd_ctx *ctx, const struct cmd_entry *e, char **cause)
{
	struct store	*st;
	int		 wal = ctx->fs.name == NULL ? STORE_WAL : 0;

	if (access(ctx->cfg.db_path, F_OK) != 0 && errno == ENOENT)
		return (store_open(":memory:", 0, cause));
	if (access(ctx->cfg.db_path, W_OK) != 0)
		return (store_open(ctx->cfg.db_path, STORE_RDONLY, cause));
	if (e->flags & CMD_DAGS)
		return (store_open(ctx->cfg.db_path, wal, cause));
	if ((st = store_open(ctx->cfg.db_path, STORE_RDONLY, cause)) != NULL)
		return (st);
	free(*cause);
	return (store_open(ctx->cfg.db_path, wal, cause));
}

/*
 * Read the scheduler's lease: 1 with l filled, 0 none, -1 error. Where
 * locks cannot be trusted it comes from the database itself, read only
 * (the snapshot is refreshed at passes, not at heartbeats), and from the
 * snapshot, or st, when the database cannot be read.
 */
int
cmd_lease(struct cmd_ctx *ctx, struct store *st, struct store_lease *l)
{
	struct store	*live;
	char		*cause;
	int		 rc;

	memset(l, 0, sizeof *l);
	if (ctx->fs.locks_trusted && st != NULL)
		return (store_lease_get(st, l));
	if (access(ctx->cfg.db_path, F_OK) == 0 &&
	    (live = store_open(ctx->cfg.db_path, STORE_RDONLY, &cause)) != NULL) {
		rc = store_lease_get(live, l);
		store_close(live);
		if (rc >= 0)
			return (rc);
		store_lease_clear(l);
	} else if (access(ctx->cfg.db_path, F_OK) == 0)
		free(cause);
	if (st != NULL)
		return (store_lease_get(st, l));
	if ((live = cmd_open_reader(ctx, &cause)) == NULL) {
		free(cause);
		return (-1);
	}
	rc = store_lease_get(live, l);
	store_close(live);
	return (rc);
}

/*
 * A verb that writes, where locks cannot be trusted: leave its request in
 * the spool and wake the scheduler; while one holds the lease, wait for it
 * to apply the request and answer as the verb would have.
 */
static int
cmd_spool(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv)
{
	struct store_lease	 lease;
	char			*id, *cause, *dir, *saved;
	int			 status, live = 0, rc;

	/* The verb's full name: the scheduler runs no prefix of one. */
	saved = argv[0];
	argv[0] = (char *)e->name;
	rc = spool_request(&ctx->cfg, cmd_user(), argc, argv, &id, &cause);
	argv[0] = saved;
	if (rc != 0) {
		status = cmd_error("%s", cause);
		free(cause);
		return (status);
	}
	wake_poke(&ctx->cfg);
	if (cmd_lease(ctx, NULL, &lease) == 1)
		live = lease.heartbeat != 0 && lease.expires > time(NULL);
	store_lease_clear(&lease);
	if (live && spool_wait(&ctx->cfg, id, 2 *
	    (int)config_lease_length(&ctx->cfg), &status) == 0) {
		free(id);
		return (status);
	}
	dir = xstrdup(ctx->cfg.state_dir);
	cmd_error("%s: request '%s' waits in '%s/spool' for the scheduler",
	    live ? "the scheduler has not answered yet" :
	    "no scheduler is running", id, dir);
	free(dir);
	free(id);
	return (0);
}

/*
 * Run a verb: answer -h, satisfy what its entry needs, run it, and make sure
 * what it printed reached its destination.
 */
int
cmd_run(const struct cmd_entry *e, struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause, *saved;
	int	 i, status;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cmd_print_help(e, stdout);
			return (0);
		}
	}

	if (e->flags & (CMD_CONFIG | CMD_STORE | CMD_DAGS)) {
		if (config_load(&ctx->cfg, ctx->config_file, &cause) != 0) {
			status = cmd_error("%s", cause);
			free(cause);
			return (status);
		}
	}
	if (e->flags & (CMD_STORE | CMD_DAGS)) {
		cmd_fs_probe(ctx);
		if (!ctx->fs.locks_trusted && !(e->flags & CMD_OWNER) &&
		    spool_user() == NULL) {
			if (e->flags & CMD_WRITES)
				return (cmd_spool(ctx, e, argc, argv));
			ctx->store = cmd_open_reader(ctx, &cause);
		} else if (!(e->flags & (CMD_WRITES | CMD_OWNER)))
			ctx->store = cmd_open_read(ctx, e, &cause);
		else
			ctx->store = store_open(ctx->cfg.db_path,
			    ctx->fs.name == NULL ? STORE_WAL : 0, &cause);
		if (ctx->store == NULL) {
			status = cmd_error("%s", cause);
			free(cause);
			return (status);
		}
	}

	if (e->flags & CMD_DAGS) {
		/* Errors stay in the database; verbs that care show them. */
		dagbag_load(&ctx->cfg, ctx->store, &ctx->bag);
	}

	/* getopt names the verb in its messages as argv[0]: "updraft runs". */
	saved = argv[0];
	xasprintf(&argv[0], "updraft %s", e->name);
	status = e->exec(ctx, argc, argv);
	free(argv[0]);
	argv[0] = saved;

	dagbag_free(&ctx->bag);

	if (ctx->store != NULL) {
		store_close(ctx->store);
		ctx->store = NULL;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error("cannot write standard output: %s",
		    strerror(errno));
		return (1);
	}
	return (status);
}
