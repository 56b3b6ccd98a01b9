/* The verb table, and finding and running a verb. */

/*
 * To add a verb: write src/cmd-VERB.c with a `struct cmd_entry`, declare it
 * in cmd.h, list it below (alphabetical: `updraft help` prints this order),
 * add the file to Makefile.am and document it in man/updraft.1. Anything the
 * verb needs before it runs is a flag in its entry, satisfied in cmd_run().
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

#include "cmd.h"
#include "spool.h"
#include "store.h"
#include "wake.h"

static const char	*cmd_similar(const char *,
			     const char *(*)(size_t, void *), void *);
static const char	*cmd_table_name(size_t, void *);

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
	&cmd_label_entry,
	&cmd_lineage_entry,
	&cmd_list_entry,
	&cmd_logs_entry,
	&cmd_mark_entry,
	&cmd_note_entry,
	&cmd_notify_entry,
	&cmd_pause_entry,
	&cmd_runs_entry,
	&cmd_scheduler_entry,
	&cmd_scrontab_entry,
	&cmd_show_entry,
	&cmd_status_entry,
	&cmd_stop_entry,
	&cmd_tasks_entry,
	&cmd_trigger_entry,
	&cmd_unpause_entry,
	&cmd_versions_entry,
	NULL
};

/* Find a verb by its name or a unique prefix; NULL with a cause if none. */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	**e, *found = NULL;
	size_t			  len = strlen(name);
	int			  ambiguous = 0;
	const char		 *like;

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
		if ((like = cmd_similar(name, cmd_table_name, NULL)) != NULL)
			xasprintf(cause, "'%s' is not an updraft verb; did "
			    "you mean '%s'?", name, like);
		else
			xasprintf(cause, "'%s' is not an updraft verb; see "
			    "'updraft --help'", name);
		return (NULL);
	}
	return (found);
}

/*
 * The optimal string alignment distance between a and b: insertions,
 * deletions, substitutions and swaps of two neighbours, each 1. Stops
 * counting at CMD_SIMILAR + 1, which is all a suggestion needs.
 */
#define CMD_SIMILAR	2
static size_t
cmd_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d, *row[3], *buf;

	if ((la > lb ? la - lb : lb - la) > CMD_SIMILAR)
		return (CMD_SIMILAR + 1);
	buf = xcalloc(3 * (lb + 1), sizeof *buf);
	for (i = 0; i < 3; i++)
		row[i] = buf + i * (lb + 1);
	for (j = 0; j <= lb; j++)
		row[1][j] = j;
	for (i = 1; i <= la; i++) {
		/* row[0] is i - 2, row[1] is i - 1, row[2] is i. */
		row[2][0] = i;
		for (j = 1; j <= lb; j++) {
			d = row[1][j - 1] + (a[i - 1] != b[j - 1]);
			if (row[1][j] + 1 < d)
				d = row[1][j] + 1;
			if (row[2][j - 1] + 1 < d)
				d = row[2][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && row[0][j - 2] + 1 < d)
				d = row[0][j - 2] + 1;
			row[2][j] = d;
		}
		memmove(row[0], row[1], (lb + 1) * sizeof *buf);
		memmove(row[1], row[2], (lb + 1) * sizeof *buf);
	}
	d = row[1][lb];
	free(buf);
	return (d);
}

/*
 * The candidate nearest to name, within CMD_SIMILAR edits (the first of
 * equals), or NULL. next(i, arg) gives the candidates in turn, NULL at the
 * end.
 */
static const char *
cmd_similar(const char *name, const char *(*next)(size_t, void *),
    void *arg)
{
	const char	*cand, *best = NULL;
	size_t		 i, d, bestd = CMD_SIMILAR + 1;

	for (i = 0; (cand = next(i, arg)) != NULL; i++) {
		if ((d = cmd_distance(name, cand)) < bestd) {
			best = cand;
			bestd = d;
		}
	}
	return (best);
}

static const char *
cmd_table_name(size_t i, void *arg)
{
	(void)arg;
	return (cmd_table[i] != NULL ? cmd_table[i]->name : NULL);
}

struct cmd_dag_names {
	struct store_dag	*dags;
	size_t			 n;
};

static const char *
cmd_dag_name(size_t i, void *arg)
{
	struct cmd_dag_names	*names = arg;

	return (i < names->n ? names->dags[i].dag_id : NULL);
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
	struct cmd_dag_names	 names;
	const char		*like = NULL;
	size_t			 i;
	int			 status;

	memset(&names, 0, sizeof names);
	if (ctx->store != NULL &&
	    store_dag_list(ctx->store, &names.dags, &names.n) == 0)
		like = cmd_similar(name, cmd_dag_name, &names);
	for (i = 0; i < names.n; i++) {
		if (strcmp(names.dags[i].dag_id, name) == 0)
			break;
	}
	if (i < names.n && names.dags[i].load_error != NULL)
		status = cmd_error("cannot load dag '%s': %s", name,
		    names.dags[i].load_error);
	else if (i < names.n)
		status = cmd_error("cannot find dag '%s'", name);
	else if (like != NULL)
		status = cmd_error("cannot find dag '%s'; did you mean '%s'?",
		    name, like);
	else
		status = cmd_error("cannot find dag '%s'", name);
	store_dag_free_list(names.dags, names.n);
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

static void
cmd_verror(const char *fmt, va_list ap)
{
	fputs("updraft: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

/* Say what is wrong with an argument's value; the usage exit code. */
int
cmd_bad_value(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cmd_verror(fmt, ap);
	va_end(ap);
	return (2);
}

/*
 * Read the options of a listing, --json and --utc, and check that from min
 * to max arguments follow them (at argv + optind): 0, or e's usage status.
 */
int
cmd_listing_args(const struct cmd_entry *e, int argc, char **argv, int min,
    int max, int *json, int *utc)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "utc", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	*json = *utc = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
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

int
cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, "usage: updraft %s %s\n", e->name, e->usage);
	return (2);
}

void
cmd_print_help(const struct cmd_entry *e, FILE *f)
{
	fprintf(f, "usage: updraft %s %s\n\n%s\n", e->name, e->usage,
	    e->summary);
	if (e->help != NULL)
		fprintf(f, "\n%s", e->help);
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
 * never locked by the scheduler), else the database read-only; a
 * database not yet created is created as usual.
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
		st = store_open(ctx->cfg.db_path, 0, cause);
	free(snap);
	return (st);
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
cmd_spool(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_lease	 lease;
	char			*id, *cause, *dir;
	int			 status, live = 0;

	if (spool_request(&ctx->cfg, cmd_user(), argc, argv, &id,
	    &cause) != 0) {
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
				return (cmd_spool(ctx, argc, argv));
			ctx->store = cmd_open_reader(ctx, &cause);
		} else
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
