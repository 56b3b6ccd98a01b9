/*
 * Read one .dag file (libconfig syntax) into a struct dag and validate it:
 * the load, the prescan, the top-level keys and the version hash. A task's
 * keys are read in dagfile-task.c, its Slurm options in dagfile-sbatch.c,
 * the graph is checked in dagfile-graph.c; dagfile-ctx.c keeps the problems.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dagfile-int.h"
#include "record.h"
#include "safefile.h"
#include "suggest.h"
#include "units.h"

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define IS_XDIGIT(c) (IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || \
	((c) >= 'A' && (c) <= 'F'))
#define IS_FLOAT(c) (IS_DIGIT(c) || (c) == '.' || (c) == 'e' || \
	(c) == 'E' || (c) == '+' || (c) == '-')

/* Where the prescan is in the text. */
struct dagfile_scan {
	const char	*buf;
	size_t		 len;
	size_t		 i;
	int		 line;
};

/* Skip a string from its opening quote, escapes included. */
static void
dagfile_scan_string(struct dagfile_scan *sc)
{
	const char	*buf = sc->buf;

	for (sc->i++; sc->i < sc->len && buf[sc->i] != '"'; sc->i++) {
		if (buf[sc->i] == '\\' && sc->i + 1 < sc->len)
			sc->i++;
		if (buf[sc->i] == '\n')
			sc->line++;
	}
	sc->i++;
}

/* Skip a comment from its opening slash and star. */
static void
dagfile_scan_comment(struct dagfile_scan *sc)
{
	const char	*buf = sc->buf;

	for (sc->i += 2; sc->i < sc->len; sc->i++) {
		if (buf[sc->i] == '*' && sc->i + 1 < sc->len &&
		    buf[sc->i + 1] == '/') {
			sc->i += 2;
			return;
		}
		if (buf[sc->i] == '\n')
			sc->line++;
	}
}

/*
 * Skip a number from its first digit; return 1 if it is an integer that
 * does not fit in an int, after reporting it, else 0.
 */
static int
dagfile_scan_number(struct dagfile_ctx *ctx, struct dagfile_scan *sc)
{
	const char	*buf = sc->buf;
	size_t		 start = sc->i, len = sc->len;
	uint64_t	 v = 0;
	int		 hex;

	hex = (buf[sc->i] == '0' && sc->i + 1 < len &&
	    (buf[sc->i + 1] == 'x' || buf[sc->i + 1] == 'X'));
	if (hex) {
		for (sc->i += 2; sc->i < len && IS_XDIGIT(buf[sc->i]);
		    sc->i++) {
			if (v <= INT_MAX)
				v = v * 16 + (IS_DIGIT(buf[sc->i]) ?
				    buf[sc->i] - '0' :
				    (buf[sc->i] | 0x20) - 'a' + 10);
		}
	} else {
		for (; sc->i < len && IS_DIGIT(buf[sc->i]); sc->i++) {
			if (v <= INT_MAX)
				v = v * 10 + (buf[sc->i] - '0');
		}
	}
	if (!hex && sc->i < len && (buf[sc->i] == '.' ||
	    buf[sc->i] == 'e' || buf[sc->i] == 'E')) {
		/* A float: skip the rest of it. */
		while (sc->i < len && IS_FLOAT(buf[sc->i]))
			sc->i++;
		return (0);
	}
	if (v <= INT_MAX)
		return (0);
	dagfile_error(ctx, sc->line, "integer %.*s is out of range",
	    (int)(sc->i - start), buf + start);
	return (1);
}

/*
 * Look for what libconfig 1.5 mishandles before it parses: it truncates
 * integers that do not fit silently, and @include would read other files
 * (unhashed, and anything the user can name). Strings and comments are
 * skipped. Return the number of problems found.
 */
static int
dagfile_prescan(struct dagfile_ctx *ctx, const char *buf, size_t len)
{
	struct dagfile_scan	 sc = { buf, len, 0, 1 };
	int			 found = 0;
	char			 c;

	while (sc.i < len) {
		c = buf[sc.i];
		if (c == '\n') {
			sc.line++;
			sc.i++;
		} else if (c == '"')
			dagfile_scan_string(&sc);
		else if (c == '#' || (c == '/' && sc.i + 1 < len &&
		    buf[sc.i + 1] == '/')) {
			while (sc.i < len && buf[sc.i] != '\n')
				sc.i++;
		} else if (c == '/' && sc.i + 1 < len && buf[sc.i + 1] == '*')
			dagfile_scan_comment(&sc);
		else if (c == '@') {
			if (len - sc.i >= 8 &&
			    strncmp(buf + sc.i, "@include", 8) == 0) {
				dagfile_error(ctx, sc.line,
				    "@include is not supported");
				found++;
			}
			sc.i++;
		} else if (IS_ALPHA(c) || c == '*') {
			while (sc.i < len && (IS_ALPHA(buf[sc.i]) ||
			    IS_DIGIT(buf[sc.i]) || buf[sc.i] == '-' ||
			    buf[sc.i] == '_' || buf[sc.i] == '*'))
				sc.i++;
		} else if (c == '.' && sc.i + 1 < len &&
		    IS_DIGIT(buf[sc.i + 1])) {
			while (sc.i < len && IS_FLOAT(buf[sc.i]))
				sc.i++;
		} else if (IS_DIGIT(c))
			found += dagfile_scan_number(ctx, &sc);
		else
			sc.i++;
	}
	return (found);
}
#undef IS_DIGIT
#undef IS_ALPHA
#undef IS_XDIGIT
#undef IS_FLOAT

/* Return the file name of path without its directory and ".dag". */
static char *
dagfile_stem(const char *path)
{
	const char	*base = strrchr(path, '/');
	size_t		 len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".dag") == 0)
		len -= 4;
	return (xstrndup(base, len));
}

/* Return the absolute directory that holds path. */
static char *
dagfile_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real, *cwd, *abs;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, slash - path);
	if ((real = realpath(dir, NULL)) != NULL) {
		free(dir);
		abs = xstrdup(real);
		free(real);
		return (abs);
	}
	if (*dir != '/' && (cwd = getcwd(NULL, 0)) != NULL) {
		xasprintf(&abs, "%s/%s", cwd, dir);
		free(cwd);
		free(dir);
		return (abs);
	}
	return (dir);
}

/* Parse a date setting in the DAG's zone; return -1 if bad. */
static int
dagfile_date(struct dagfile_ctx *ctx, const config_setting_t *s,
    int64_t *out)
{
	const char	*v;
	char		*cause = NULL;

	if ((v = dagfile_string(ctx, "", s)) == NULL)
		return (-1);
	if (ctx->dag->tz == NULL)
		return (-1);
	if (tz_parse_time(v, ctx->dag->tz, out, &cause) != 0) {
		dagfile_error(ctx, dagfile_line(s), "%s",
		    cause != NULL ? cause : "invalid date");
		free(cause);
		return (-1);
	}
	return (0);
}

/* A parameter's type and its default as text; -1 if no type fits. */
static int
dagfile_param_value(const config_setting_t *e, enum param_type *type,
    char **value)
{
	char	buf[32];

	switch (config_setting_type(e)) {
	case CONFIG_TYPE_FLOAT:
		*type = PARAM_FLOAT;
		record_format_float(config_setting_get_float(e), buf,
		    sizeof buf);
		break;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		*type = PARAM_INT;
		snprintf(buf, sizeof buf, "%lld", config_setting_get_int64(e));
		break;
	case CONFIG_TYPE_BOOL:
		*type = PARAM_BOOL;
		snprintf(buf, sizeof buf, "%s",
		    config_setting_get_bool(e) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING:
		*type = PARAM_STRING;
		*value = xstrdup(config_setting_get_string(e));
		return (0);
	default:
		return (-1);
	}
	*value = xstrdup(buf);
	return (0);
}

/*
 * Read 'params = { lr = 0.01; epochs = 10; name = "x"; flag = true; }': each
 * a run parameter whose type is its default's. Names reach jobs upper-cased
 * (UPDRAFT_PARAM_LR), so two that differ only in case are refused.
 */
static void
dagfile_params(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	struct dag		*dag = ctx->dag;
	const config_setting_t	*e;
	struct dag_param	*p;
	const char		*name;
	char			*value;
	size_t			 j;
	enum param_type		 type;
	int			 i, n, line;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		dagfile_error(ctx, dagfile_line(s), "'params' must be a group: "
		    "params = { lr = 0.01; epochs = 10; }");
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((e = dagfile_member(s, i, &name)) == NULL)
			continue;
		line = dagfile_line(e);
		if (!record_valid_name(name)) {
			dagfile_error(ctx, line, "params: invalid name '%s': "
			    "use letters, digits and '_'", name);
			continue;
		}
		for (j = 0; j < dag->nparams; j++) {
			if (strcasecmp(dag->params[j].name, name) == 0)
				break;
		}
		if (j < dag->nparams) {
			dagfile_error(ctx, line, "params: '%s' and '%s' differ "
			    "only in case", dag->params[j].name, name);
			continue;
		}
		if (dagfile_param_value(e, &type, &value) != 0) {
			dagfile_error(ctx, line, "params: '%s' must be a "
			    "number, a string, true or false", name);
			continue;
		}
		dag->params = xreallocarray(dag->params, dag->nparams + 1,
		    sizeof *dag->params);
		p = &dag->params[dag->nparams++];
		p->name = xstrdup(name);
		p->type = type;
		p->value = value;
	}
}

/* dag_id, or the file's name without ".dag". */
static void
dagfile_top_id(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	const char	*v;
	char		*stem;

	if (s == NULL) {
		stem = dagfile_stem(ctx->path);
		if (strlen(stem) > DAGFILE_MAX_ID || !dagfile_valid_id(stem)) {
			dagfile_error(ctx, 0, "file name '%s' is not a valid "
			    "dag_id: set dag_id, or " DAGFILE_ID_HINT, stem);
			free(stem);
		} else
			ctx->dag->id = stem;
		return;
	}
	if ((v = dagfile_string(ctx, "", s)) != NULL &&
	    dagfile_check_id(ctx, dagfile_line(s), "dag_id", v) == 0) {
		ctx->dag->id = xstrdup(v);
		ctx->dag->id_line = dagfile_line(s);
	}
}

/* timezone, UTC if none; a bad one is reported and UTC used to go on. */
static void
dagfile_top_timezone(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	const char	*v = "UTC";
	char		*cause = NULL;

	if (s != NULL && (v = dagfile_string(ctx, "", s)) == NULL)
		v = "UTC";
	if ((ctx->dag->tz = tz_load(v, &cause)) != NULL)
		return;
	dagfile_error(ctx, s != NULL ? dagfile_line(s) : 0, "%s",
	    cause != NULL ? cause : "unknown time zone");
	free(cause);
	cause = NULL;
	/* Go on in UTC to find the other problems. */
	if (strcmp(v, "UTC") != 0)
		ctx->dag->tz = tz_load("UTC", &cause);
	free(cause);
}

/* schedule, "none" if none; read in the zone. */
static void
dagfile_top_schedule(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	struct dag	*dag = ctx->dag;
	const char	*v = "none";
	char		*cause = NULL;

	if (s != NULL && (v = dagfile_string(ctx, "", s)) == NULL)
		return;
	dag->schedule_text = xstrdup(v);
	if (dag->tz == NULL ||
	    (dag->schedule = schedule_parse(v, dag->tz, &cause)) != NULL)
		return;
	dagfile_error(ctx, s != NULL ? dagfile_line(s) : 0, "%s",
	    cause != NULL ? cause : "bad schedule");
	free(cause);
}

/* start_date, needed by a schedule that ticks. */
static void
dagfile_top_start_date(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	const config_setting_t	*sched_s;

	if (s != NULL) {
		ctx->have_start = (dagfile_date(ctx, s,
		    &ctx->dag->start_date) == 0);
		return;
	}
	if (ctx->dag->schedule != NULL &&
	    schedule_kind(ctx->dag->schedule) != SCHEDULE_NONE) {
		sched_s = config_setting_get_member(ctx->root, "schedule");
		dagfile_error(ctx, sched_s != NULL ? dagfile_line(sched_s) : 0,
		    "missing 'start_date'");
	}
}

/* end_date, not before start_date. */
static void
dagfile_top_end_date(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	struct dag	*dag = ctx->dag;

	if (s == NULL || dagfile_date(ctx, s, &dag->end_date) != 0)
		return;
	if (ctx->have_start && dag->end_date < dag->start_date)
		dagfile_error(ctx, dagfile_line(s),
		    "end_date is before start_date");
}

/* timetable: interval (the default) or trigger. */
static void
dagfile_top_timetable(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	const char	*v;

	ctx->dag->timetable = TIMETABLE_INTERVAL;
	if (s == NULL || (v = dagfile_string(ctx, "", s)) == NULL)
		return;
	if (strcmp(v, "trigger") == 0)
		ctx->dag->timetable = TIMETABLE_TRIGGER;
	else if (strcmp(v, "interval") != 0)
		dagfile_error(ctx, dagfile_line(s), "bad timetable '%s': "
		    "expected 'interval' or 'trigger'", v);
}

/* catchup, true by default. */
static void
dagfile_top_catchup(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	ctx->dag->catchup = 1;
	if (s == NULL)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		dagfile_error(ctx, dagfile_line(s),
		    "'catchup' must be true or false");
	else
		ctx->dag->catchup = config_setting_get_bool(s) != 0;
}

/* A count of at least 1 into *v; dflt when absent or wrong. */
static void
dagfile_top_count(struct dagfile_ctx *ctx, const config_setting_t *s, int *v,
    int dflt)
{
	long long	ll;

	*v = dflt;
	if (s != NULL && dagfile_int(ctx, "", s, 1, INT_MAX, &ll) == 0)
		*v = (int)ll;
}

/* max_active_runs, 16 by default. */
static void
dagfile_top_max_active(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	dagfile_top_count(ctx, s, &ctx->dag->max_active_runs, 16);
}

/* max_catchup_runs; 0 (unset): updraft.conf's. */
static void
dagfile_top_max_catchup(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	dagfile_top_count(ctx, s, &ctx->dag->max_catchup_runs, 0);
}

/* notify: the DAG's channels and events. */
static void
dagfile_top_notify(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	if (s != NULL)
		dagfile_notify(ctx, "", s, &ctx->dag->notify);
}

/* sla: a duration after the end of the interval. */
static void
dagfile_top_sla(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	const char	*v;

	if (s != NULL && ((v = dagfile_string(ctx, "", s)) == NULL ||
	    units_parse_duration(v, &ctx->dag->sla) != 0 ||
	    ctx->dag->sla <= 0))
		dagfile_error(ctx, dagfile_line(s), "'sla' must be a duration "
		    "like \"2h\"");
}

/* params: the run parameters and their defaults. */
static void
dagfile_top_params(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	if (s != NULL)
		dagfile_params(ctx, s);
}

/*
 * The top-level keys, read in this order (a schedule needs the zone, an
 * end_date the start_date), each even when absent (NULL) to set its
 * default. Those with no reader are read with the tasks.
 */
static const struct dagfile_top_key {
	const char	*name;
	void		(*read)(struct dagfile_ctx *, const config_setting_t *);
} dagfile_top_keys[] = {
	{ "dag_id", dagfile_top_id },
	{ "timezone", dagfile_top_timezone },
	{ "schedule", dagfile_top_schedule },
	{ "start_date", dagfile_top_start_date },
	{ "end_date", dagfile_top_end_date },
	{ "timetable", dagfile_top_timetable },
	{ "catchup", dagfile_top_catchup },
	{ "max_active_runs", dagfile_top_max_active },
	{ "max_catchup_runs", dagfile_top_max_catchup },
	{ "notify", dagfile_top_notify },
	{ "sla", dagfile_top_sla },
	{ "params", dagfile_top_params },
	{ "env", NULL },
	{ "defaults", NULL },
	{ "tasks", NULL },
};
#define DAGFILE_NTOP_KEYS \
	(sizeof dagfile_top_keys / sizeof dagfile_top_keys[0])

/* Read the top-level settings; the tasks come after. */
static void
dagfile_top(struct dagfile_ctx *ctx, const config_setting_t *root)
{
	const config_setting_t	*s;
	const char		*name, *known[DAGFILE_NTOP_KEYS];
	size_t			 k;
	int			 i, n;

	ctx->root = root;
	for (k = 0; k < DAGFILE_NTOP_KEYS; k++)
		known[k] = dagfile_top_keys[k].name;
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		if ((s = dagfile_member(root, i, &name)) == NULL)
			continue;
		for (k = 0; k < DAGFILE_NTOP_KEYS; k++) {
			if (strcmp(name, known[k]) == 0)
				break;
		}
		if (k == DAGFILE_NTOP_KEYS)
			dagfile_unknown_key(ctx, dagfile_line(s), "", name,
			    known, DAGFILE_NTOP_KEYS);
	}
	for (k = 0; k < DAGFILE_NTOP_KEYS; k++) {
		if (dagfile_top_keys[k].read == NULL)
			continue;
		s = config_setting_get_member(root, dagfile_top_keys[k].name);
		dagfile_top_keys[k].read(ctx, s);
	}
}

/* Read the defaults and the tasks, then check the graph. */
static void
dagfile_tasks(struct dagfile_ctx *ctx, const config_setting_t *root)
{
	struct dagfile_spec	 defaults;
	const config_setting_t	*s, *group;
	int			 i, n;

	memset(&defaults, 0, sizeof defaults);
	if ((s = config_setting_get_member(root, "env")) != NULL)
		dagfile_env(ctx, "", s, &ctx->env, &ctx->nenv);
	if ((s = config_setting_get_member(root, "defaults")) != NULL) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
			dagfile_error(ctx, dagfile_line(s),
			    "'defaults' must be a group");
		} else
			dagfile_spec(ctx, "defaults: ", s, KEY_RETRIES,
			    &defaults);
	}

	if ((s = config_setting_get_member(root, "tasks")) == NULL)
		dagfile_error(ctx, 0, "no tasks");
	else if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		dagfile_error(ctx, dagfile_line(s),
		    "'tasks' must be a list of groups: ( { id = ...; }, ... )");
	} else if ((n = config_setting_length(s)) == 0)
		dagfile_error(ctx, dagfile_line(s), "no tasks");
	else {
		for (i = 0; i < n; i++) {
			group = config_setting_get_elem(s, i);
			if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
				dagfile_error(ctx, dagfile_line(group),
				    "task #%d must be a group: { id = ...; }",
				    i + 1);
				continue;
			}
			dagfile_task(ctx, group, i, &defaults);
		}
		dagfile_graph(ctx);
	}
	dag_task_free(&defaults.t);
}

/* Let libconfig read the text, reporting a syntax error if it finds one. */
static void
dagfile_read_config(struct dagfile_ctx *ctx, config_t *lc, const char *buf)
{
	const char	*text;

	if (config_read_string(lc, buf) == CONFIG_TRUE)
		return;
	text = config_error_text(lc);
	if (text == NULL || strcmp(text, "syntax error") == 0)
		dagfile_error(ctx, config_error_line(lc), "syntax error");
	else
		dagfile_error(ctx, config_error_line(lc), "syntax error: %s",
		    text);
}

/*
 * Validate the text of a .dag file read from path; scripts named in copies
 * are read from their copies (and run from them). Return NULL with every
 * problem, one per line, in *cause.
 */
static struct dag *
dagfile_parse(const char *path, const char *buf, size_t len,
    const struct dagfile_script_copy *copies, size_t ncopies,
    const struct config *cfg, char **cause)
{
	struct dagfile_ctx	 ctx;
	struct dag		*dag;
	config_t		 lc;

	if (memchr(buf, '\0', len) != NULL) {
		xasprintf(cause, "%s: not a text file", path);
		return (NULL);
	}

	memset(&ctx, 0, sizeof ctx);
	ctx.path = path;
	ctx.cfg = cfg;
	ctx.copies = copies;
	ctx.ncopies = ncopies;
	ctx.hash = DAGFILE_FNV_OFFSET;
	dagfile_hash(&ctx.hash, buf, len);
	dag = ctx.dag = xcalloc(1, sizeof *dag);
	dag->path = xstrdup(path);

	config_init(&lc);
	if (dagfile_prescan(&ctx, buf, len) == 0)
		dagfile_read_config(&ctx, &lc, buf);
	if (ctx.nerrs == 0) {
		ctx.dir = dagfile_dir(path);
		dagfile_top(&ctx, config_root_setting(&lc));
		dagfile_tasks(&ctx, config_root_setting(&lc));
	}
	config_destroy(&lc);

	snprintf(dag->version, sizeof dag->version, "%016" PRIx64, ctx.hash);
	if (ctx.nerrs != 0) {
		*cause = dagfile_join_errors(&ctx);
		dag_free(dag);
		dag = NULL;
	} else if (dag->ntasks > 0 && dag->ntasks < ctx.tasks_size) {
		/* A scheduler keeps a thousand of these: no spare room. */
		dag->tasks = xreallocarray(dag->tasks, dag->ntasks,
		    sizeof *dag->tasks);
	}
	dagfile_ctx_free(&ctx);
	return (dag);
}

/*
 * Load and validate one .dag file. Return NULL with every problem, one per
 * line, in *cause. Whoever may change the file chooses what runs as us: it
 * is read once, from one descriptor, and only if it is a regular file
 * (not a symbolic link) of ours or root's that nobody else may write, in
 * folders nobody else may write (safefile.c).
 */
struct dag *
dagfile_load(const char *path, const struct config *cfg, char **cause)
{
	struct dag	*dag;
	char		*buf, *why;
	size_t		 len;

	if (safefile_read(path, SAFEFILE_PRIVATE, DAGFILE_MAX_SIZE, &buf,
	    &len, &why) != 0) {
		xasprintf(cause, "cannot open dag file '%s': %s", path, why);
		free(why);
		return (NULL);
	}
	if (safefile_folders(path, &why) != 0) {
		xasprintf(cause, "%s: refused: %s", path, why);
		free(why);
		free(buf);
		return (NULL);
	}
	dag = dagfile_parse(path, buf, len, NULL, 0, cfg, cause);
	free(buf);
	return (dag);
}

/*
 * Load an old version of the .dag file at path from its text, each script
 * it ran from a copy; text is NUL-terminated.
 */
struct dag *
dagfile_load_version(const char *path, const char *text,
    const struct dagfile_script_copy *copies, size_t ncopies,
    const struct config *cfg, char **cause)
{
	return (dagfile_parse(path, text, strlen(text), copies, ncopies, cfg,
	    cause));
}

/*
 * Fold a whole file into the hash, and copy it to out when not NULL; -1
 * when it cannot be read. It is opened as dagfile_load opens it.
 */
static int
dagfile_hash_file(uint64_t *h, const char *path, FILE *out)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 fd;

	if ((fd = safefile_open(path, SAFEFILE_PRIVATE, 0, NULL, NULL)) == -1)
		return (-1);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return (-1);
		}
		dagfile_hash(h, buf, n);
		if (out != NULL)
			fwrite(buf, 1, n, out);
	}
	close(fd);
	return (0);
}

/*
 * Hash the file, then each task's script, as dagfile_load does; with out,
 * also copy them there, each script under a header naming it (the text a
 * version keeps: dagversion.c splits it). -1 when a file cannot be read.
 */
static int
dagfile_read_all(const struct dag *dag, char version[17], FILE *out)
{
	uint64_t	 h = DAGFILE_FNV_OFFSET;
	size_t		 i;

	if (dagfile_hash_file(&h, dag->path, out) != 0)
		return (-1);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].script == NULL)
			continue;
		if (out != NULL)
			fprintf(out, "\n### script of task '%s': %s\n",
			    dag->tasks[i].id, dag->tasks[i].script);
		if (dagfile_hash_file(&h, dag->tasks[i].script, out) != 0)
			return (-1);
	}
	snprintf(version, 17, "%016" PRIx64, h);
	return (0);
}

/*
 * The version dag would have if its file were loaded again now: the hash of
 * the file, then of each task's script, as dagfile_load makes it, without
 * parsing. -1 when a file cannot be read.
 */
int
dagfile_version(const struct dag *dag, char out[17])
{
	return (dagfile_read_all(dag, out, NULL));
}

/*
 * The text of dag's version: the DAG file, then each script it runs, read
 * again as dagfile_load reads them. NULL when one cannot be read or what
 * was read is no longer that version (it changed since it was loaded: the
 * next load sees it).
 */
char *
dagfile_source(const struct dag *dag)
{
	FILE	*f;
	char	*buf = NULL, *out = NULL, version[17];
	size_t	 len = 0;
	int	 rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	rc = dagfile_read_all(dag, version, f);
	if (fclose(f) == 0 && rc == 0 && strcmp(version, dag->version) == 0)
		out = xstrdup(buf != NULL ? buf : "");
	free(buf);
	return (out);
}


