/* What verbs print: JSON and text, from one table of fields per object. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "output.h"
#include "store.h"
#include "suggest.h"

/*
 * A JSON string, escaped as RFC 8259 requires, always valid UTF-8 (bad
 * bytes become U+FFFD: escape.c); NULL is null.
 */
void
output_json_string(FILE *f, const char *s)
{
	escape_json_string(f, s);
}

/* An instant as an ISO-8601 string in UTC; 0 is null. */
void
output_json_time(FILE *f, int64_t t)
{
	char	buf[40];

	if (t == 0) {
		fputs("null", f);
		return;
	}
	tz_format(NULL, t, buf, sizeof buf);
	output_json_string(f, buf);
}

/* An instant for a table: ISO-8601 in UTC, or "-" for none. */
void
output_time(char *buf, size_t len, int64_t t)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		tz_format(NULL, t, buf, len);
}

/* Start a JSON document on f. */
void
output_json_init(struct output_json *j, FILE *f)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	j->newline = 1;
}

/* Write what goes before a value: the separator, and the key if any. */
static void
output_json_sep(struct output_json *j, const char *key)
{
	if (j->depth > 0 && j->lines[j->depth])
		fputs(j->n[j->depth] > 0 ? ",\n " : "\n ", j->f);
	else if (j->depth > 0 && j->n[j->depth] > 0)
		fputs(", ", j->f);
	if (j->depth > 0)
		j->n[j->depth]++;
	if (key != NULL) {
		output_json_string(j->f, key);
		fputs(": ", j->f);
	}
}

/* Open an object ('{') or an array ('['), as the value of key if any. */
void
output_json_open(struct output_json *j, const char *key, int c)
{
	if (j->depth + 1 >= OUTPUT_JSON_DEPTH)
		fatalx("JSON nested too deep");
	output_json_sep(j, key);
	fputc(c, j->f);
	j->close[j->depth++] = c == '{' ? '}' : ']';
	j->n[j->depth] = 0;
	j->lines[j->depth] = j->depth == 1 && c == '[';
}

/* Open a list: an array with each value on a line of its own. */
void
output_json_list(struct output_json *j, const char *key)
{
	output_json_open(j, key, '[');
	j->lines[j->depth] = 1;
}

/* Close what output_json_open opened last; a newline after the top. */
void
output_json_close(struct output_json *j)
{
	if (j->depth == 0)
		fatalx("JSON closed more than opened");
	if (j->lines[j->depth] && j->n[j->depth] > 0)
		fputc('\n', j->f);
	fputc(j->close[--j->depth], j->f);
	if (j->depth == 0 && j->newline)
		fputc('\n', j->f);
}

/* A string (NULL is null), as the value of key if any. */
void
output_json_str(struct output_json *j, const char *key, const char *s)
{
	output_json_sep(j, key);
	output_json_string(j->f, s);
}

void
output_json_int(struct output_json *j, const char *key, int64_t n)
{
	output_json_sep(j, key);
	fprintf(j->f, "%lld", (long long)n);
}

void
output_json_null(struct output_json *j, const char *key)
{
	output_json_sep(j, key);
	fputs("null", j->f);
}

void
output_json_bool(struct output_json *j, const char *key, int b)
{
	output_json_sep(j, key);
	fputs(b ? "true" : "false", j->f);
}

/* An instant, ISO-8601 in UTC; 0 is null. */
void
output_json_at(struct output_json *j, const char *key, int64_t t)
{
	output_json_sep(j, key);
	output_json_time(j->f, t);
}

/* Text that is JSON already (a stored object or event), as it is. */
void
output_json_raw(struct output_json *j, const char *key, const char *text)
{
	output_json_sep(j, key);
	escape_utf8_write(j->f, text);
}

/* A DAG's state: its file missing or broken, else paused or active. */
static void
output_dag_state(const void *obj, struct output_value *v)
{
	const struct store_dag	*d = obj;

	v->kind = OUTPUT_STRING;
	if (d->load_error != NULL)
		v->s = strncmp(d->load_error, "missing: ", 9) == 0 ?
		    "missing" : "broken";
	else
		v->s = d->paused ? "paused" : "active";
}

static void
output_dag_next(const void *obj, struct output_value *v)
{
	const struct store_dag	*d = obj;

	v->kind = OUTPUT_TIME;
	v->n = d->has_next ? d->next_dagrun : 0;
}

static void
output_ti_exit(const void *obj, struct output_value *v)
{
	const struct ti	*ti = obj;

	v->kind = OUTPUT_INT;
	v->n = ti->exit_code;
	v->none = !ti->has_exit_code;
}

/*
 * The job a try ran as: an array element's own id once it started, else
 * the id it was submitted as.
 */
static void
output_ti_job(const void *obj, struct output_value *v)
{
	const struct ti	*ti = obj;

	v->kind = OUTPUT_ID;
	v->n = ti->element_job_id != 0 ? ti->element_job_id : ti->job_id;
	v->none = v->n == 0;
}

/* The job as Slurm's tools take it: "ARRAYID_INDEX" for an element. */
static void
output_ti_slurm_job(const void *obj, struct output_value *v)
{
	const struct ti	*ti = obj;

	v->kind = OUTPUT_STRING;
	if ((v->none = ti->job_id == 0))
		return;
	if (ti->array_index >= 0)
		snprintf(v->buf, sizeof v->buf, "%lld_%d",
		    (long long)ti->job_id, ti->array_index);
	else
		snprintf(v->buf, sizeof v->buf, "%lld", (long long)ti->job_id);
	v->s = v->buf;
}

/* How far a backfill is: its finished dates over all of them. */
static void
output_backfill_progress(const void *obj, struct output_value *v)
{
	const struct backfill	*b = obj;

	v->kind = OUTPUT_STRING;
	snprintf(v->buf, sizeof v->buf, "%d/%d",
	    b->done + b->skipped + b->dropped, b->total);
	v->s = v->buf;
}

#define OUTPUT_AT(type, name, head, kind, member) \
	{ name, head, kind, offsetof(type, member), NULL, NULL }
#define OUTPUT_GET(name, head, get) \
	{ name, head, OUTPUT_STRING, 0, get, NULL }
#define OUTPUT_COUNT(a)	(sizeof (a) / sizeof (a)[0])

static const struct output_field output_run_fields[] = {
	OUTPUT_AT(struct run, "dag_id", "DAG_ID", OUTPUT_STRING, dag_id),
	OUTPUT_AT(struct run, "run_id", "RUN_ID", OUTPUT_STRING, run_id),
	OUTPUT_AT(struct run, "run_type", "TYPE", OUTPUT_STRING, run_type),
	OUTPUT_AT(struct run, "logical_date", "LOGICAL_DATE", OUTPUT_TIME,
	    logical_date),
	OUTPUT_AT(struct run, "data_interval_end", "INTERVAL_END",
	    OUTPUT_TIME, interval_end),
	OUTPUT_AT(struct run, "state", "STATE", OUTPUT_STRING, state),
	OUTPUT_AT(struct run, "owner", "OWNER", OUTPUT_STRING, created_by),
	OUTPUT_AT(struct run, "start_date", "STARTED", OUTPUT_TIME,
	    start_date),
	OUTPUT_AT(struct run, "end_date", "ENDED", OUTPUT_TIME, end_date),
	OUTPUT_AT(struct run, "params", "PARAMS", OUTPUT_OBJECT, params),
	OUTPUT_AT(struct run, "labels", "LABELS", OUTPUT_LABELS, labels),
	OUTPUT_AT(struct run, "note", "NOTE", OUTPUT_STRING, note),
	OUTPUT_AT(struct run, "version", "VERSION", OUTPUT_STRING, version),
	OUTPUT_AT(struct run, "host", "HOST", OUTPUT_STRING, host),
	OUTPUT_AT(struct run, "cleared_by", "CLEARED_BY", OUTPUT_STRING,
	    cleared_by),
	OUTPUT_AT(struct run, "cleared_at", "CLEARED_AT", OUTPUT_TIME,
	    cleared_at),
};
const struct output_object output_run = {
	"run", output_run_fields, OUTPUT_COUNT(output_run_fields)
};

static const struct output_field output_ti_fields[] = {
	OUTPUT_AT(struct ti, "task_id", "TASK_ID", OUTPUT_STRING, task_id),
	OUTPUT_AT(struct ti, "state", "STATE", OUTPUT_STRING, state),
	OUTPUT_AT(struct ti, "try_number", "TRY", OUTPUT_INT, try_number),
	{ "job_id", "JOB_ID", OUTPUT_ID, 0, output_ti_job, NULL },
	{ "slurm_job", "JOB_ID", OUTPUT_STRING, 0, output_ti_slurm_job, NULL },
	OUTPUT_AT(struct ti, "partition", "PARTITION", OUTPUT_STRING,
	    partition),
	OUTPUT_GET("exit_code", "EXIT", output_ti_exit),
	{ "reason", "REASON", OUTPUT_STRING, offsetof(struct ti, reason),
	    NULL, "" },
	OUTPUT_AT(struct ti, "start_date", "STARTED", OUTPUT_TIME,
	    start_date),
	OUTPUT_AT(struct ti, "end_date", "ENDED", OUTPUT_TIME, end_date),
};
const struct output_object output_ti = {
	"task instance", output_ti_fields, OUTPUT_COUNT(output_ti_fields)
};

static const struct output_field output_dag_fields[] = {
	OUTPUT_AT(struct store_dag, "dag_id", "DAG_ID", OUTPUT_STRING,
	    dag_id),
	OUTPUT_AT(struct store_dag, "paused", "PAUSED", OUTPUT_BOOL, paused),
	OUTPUT_GET("state", "STATE", output_dag_state),
	OUTPUT_AT(struct store_dag, "path", "FILE", OUTPUT_STRING, path),
	OUTPUT_AT(struct store_dag, "version", "VERSION", OUTPUT_STRING,
	    version),
	OUTPUT_AT(struct store_dag, "load_error", "LOAD_ERROR",
	    OUTPUT_STRING, load_error),
	OUTPUT_AT(struct store_dag, "pause_reason", "PAUSE_REASON",
	    OUTPUT_STRING, pause_reason),
	OUTPUT_GET("next_dagrun", "NEXT_RUN", output_dag_next),
};
const struct output_object output_dag = {
	"dag", output_dag_fields, OUTPUT_COUNT(output_dag_fields)
};

static const struct output_field output_backfill_fields[] = {
	OUTPUT_AT(struct backfill, "id", "ID", OUTPUT_ID, id),
	OUTPUT_AT(struct backfill, "dag_id", "DAG_ID", OUTPUT_STRING, dag_id),
	OUTPUT_AT(struct backfill, "from", "FROM", OUTPUT_TIME, from),
	OUTPUT_AT(struct backfill, "to", "TO", OUTPUT_TIME, to),
	OUTPUT_AT(struct backfill, "reprocess", "REPROCESS", OUTPUT_STRING,
	    reprocess),
	OUTPUT_AT(struct backfill, "max_active", "MAX_ACTIVE", OUTPUT_INT,
	    max_active),
	OUTPUT_AT(struct backfill, "reverse", "REVERSE", OUTPUT_BOOL, reverse),
	OUTPUT_AT(struct backfill, "state", "STATE", OUTPUT_STRING, state),
	OUTPUT_AT(struct backfill, "total", "TOTAL", OUTPUT_INT, total),
	OUTPUT_AT(struct backfill, "done", "DONE", OUTPUT_INT, done),
	OUTPUT_AT(struct backfill, "skipped", "SKIPPED", OUTPUT_INT, skipped),
	OUTPUT_AT(struct backfill, "dropped", "DROPPED", OUTPUT_INT, dropped),
	OUTPUT_AT(struct backfill, "pending", "PENDING", OUTPUT_INT, pending),
	OUTPUT_AT(struct backfill, "started", "STARTED", OUTPUT_INT, started),
	OUTPUT_AT(struct backfill, "owner", "OWNER", OUTPUT_STRING,
	    created_by),
	OUTPUT_AT(struct backfill, "created_at", "CREATED_AT", OUTPUT_TIME,
	    created_at),
	OUTPUT_AT(struct backfill, "end_date", "ENDED", OUTPUT_TIME, end_date),
	OUTPUT_GET(NULL, "DONE/TOTAL", output_backfill_progress),
};
const struct output_object output_backfill = {
	"backfill", output_backfill_fields,
	OUTPUT_COUNT(output_backfill_fields)
};

static const struct output_field output_version_fields[] = {
	OUTPUT_AT(struct dag_version, "number", "VERSION", OUTPUT_INT, number),
	OUTPUT_AT(struct dag_version, "version", "HASH", OUTPUT_STRING,
	    version),
	OUTPUT_AT(struct dag_version, "first_seen", "FIRST_SEEN", OUTPUT_TIME,
	    first_seen),
	OUTPUT_AT(struct dag_version, "runs", "RUNS", OUTPUT_INT, runs),
};
const struct output_object output_version = {
	"version", output_version_fields, OUTPUT_COUNT(output_version_fields)
};

/*
 * The field of o named name, or, for a field shown only in tables, with
 * that heading. A name no field has is a bug in the verb.
 */
const struct output_field *
output_field(const struct output_object *o, const char *name)
{
	const struct output_field	*f;
	size_t				 i;

	for (i = 0; i < o->nfields; i++) {
		f = &o->fields[i];
		if ((f->name != NULL && strcmp(f->name, name) == 0) ||
		    (f->name == NULL && strcmp(f->head, name) == 0))
			return (f);
	}
	fatalx("%s has no field %s", o->name, name);
}

/* Read field f of obj. */
void
output_value(const struct output_field *f, const void *obj,
    struct output_value *v)
{
	const char	*p = (const char *)obj + f->offset;

	memset(v, 0, sizeof *v);
	if (f->get != NULL) {
		f->get(obj, v);
		return;
	}
	v->kind = f->kind;
	switch (f->kind) {
	case OUTPUT_STRING:
	case OUTPUT_OBJECT:
	case OUTPUT_LABELS:
		memcpy(&v->s, p, sizeof v->s);
		v->none = v->s == NULL;
		break;
	case OUTPUT_TIME:
	case OUTPUT_ID:
		memcpy(&v->n, p, sizeof v->n);
		v->none = v->n == 0;
		break;
	case OUTPUT_INT:
	case OUTPUT_BOOL:
		v->n = *(const int *)(const void *)p;
		break;
	}
}

/* Labels joined by sep, allocated. */
char *
output_labels(const char *labels, const char *sep)
{
	const char	*l;
	char		*s = xstrdup(""), *tmp;

	for (l = labels; l != NULL && *l != '\0'; l += strlen(l) + 1) {
		xasprintf(&tmp, "%s%s%s", s, *s != '\0' ? sep : "", l);
		free(s);
		s = tmp;
	}
	return (s);
}

/*
 * The members of obj named in names (NULL-terminated), or all its fields
 * with a name when names is NULL, into the object open in j.
 */
void
output_json_fields(struct output_json *j, const struct output_object *o,
    const char *const *names, const void *obj)
{
	const struct output_field	*f;
	struct output_value		 v;
	const char			*l;
	size_t				 i;

	for (i = 0; names != NULL ? names[i] != NULL : i < o->nfields; i++) {
		f = names != NULL ? output_field(o, names[i]) : &o->fields[i];
		if (f->name == NULL)
			continue;
		output_value(f, obj, &v);
		if (v.kind == OUTPUT_LABELS) {
			output_json_open(j, f->name, '[');
			for (l = v.s; l != NULL && *l != '\0';
			    l += strlen(l) + 1)
				output_json_str(j, NULL, l);
			output_json_close(j);
		} else if (v.kind == OUTPUT_OBJECT)
			output_json_raw(j, f->name, v.none ? "{}" : v.s);
		else if (v.kind == OUTPUT_BOOL)
			output_json_bool(j, f->name, v.n != 0);
		else if (v.kind == OUTPUT_TIME)
			output_json_at(j, f->name, v.n);
		else if (v.kind == OUTPUT_STRING)
			output_json_str(j, f->name, v.s);
		else if (v.none)
			output_json_null(j, f->name);
		else
			output_json_int(j, f->name, v.n);
	}
}

/*
 * Field f of obj as text, allocated: times ISO-8601 in UTC, labels joined
 * by ';'; NULL for none (but {} for no params, "" for no labels).
 */
char *
output_text(const struct output_field *f, const void *obj)
{
	struct output_value	 v;
	char			 buf[40];
	char			*s;

	output_value(f, obj, &v);
	if (v.none && v.kind != OUTPUT_OBJECT && v.kind != OUTPUT_LABELS)
		return (NULL);
	switch (v.kind) {
	case OUTPUT_TIME:
		output_time(buf, sizeof buf, v.n);
		return (xstrdup(buf));
	case OUTPUT_INT:
	case OUTPUT_ID:
		xasprintf(&s, "%lld", (long long)v.n);
		return (s);
	case OUTPUT_BOOL:
		return (xstrdup(v.n ? "true" : "false"));
	case OUTPUT_OBJECT:
		return (xstrdup(v.none ? "{}" : v.s));
	case OUTPUT_LABELS:
		return (output_labels(v.s, ";"));
	case OUTPUT_STRING:
		break;
	}
	return (xstrdup(v.s));
}

/* The field of o whose JSON name is the len bytes at name, or NULL. */
static const struct output_field *
output_format_field(const struct output_object *o, const char *name,
    size_t len)
{
	size_t	i;

	for (i = 0; i < o->nfields; i++) {
		if (o->fields[i].name != NULL &&
		    strlen(o->fields[i].name) == len &&
		    strncmp(o->fields[i].name, name, len) == 0)
			return (&o->fields[i]);
	}
	return (NULL);
}

/* Say why one column of --format is wrong, with a field o has like it. */
static void
output_format_bad(const struct output_object *o, const char *col,
    const char *name, char **cause)
{
	struct suggest	like;
	size_t		i;

	suggest_init(&like, name);
	for (i = 0; i < o->nfields; i++) {
		if (o->fields[i].name != NULL)
			suggest_add(&like, o->fields[i].name);
	}
	if (like.best != NULL)
		xasprintf(cause, "bad field '%s': did you mean '%s'? "
		    "('--format help' lists the fields)", col, like.best);
	else
		xasprintf(cause, "bad field '%s': a %s has no such field "
		    "('--format help' lists them)", col, o->name);
}

/*
 * Read --format's FIELD[%WIDTH][,FIELD[%WIDTH]...] into fmt (its flags
 * are left as they are): 0, or -1 with a cause naming the bad column.
 */
int
output_format_parse(const struct output_object *o, const char *spec,
    struct output_format *fmt, char **cause)
{
	const struct output_field	*f;
	const char			*p = spec, *end, *pct;
	char				*col, *name, *stop;
	long				 w;

	fmt->fields = NULL;
	fmt->widths = NULL;
	fmt->ncols = 0;
	for (;;) {
		end = p + strcspn(p, ",");
		col = xstrndup(p, end - p);
		pct = strchr(col, '%');
		name = xstrndup(col, pct != NULL ? (size_t)(pct - col) :
		    strlen(col));
		w = 0;
		if ((f = output_format_field(o, name, strlen(name))) == NULL)
			output_format_bad(o, col, name, cause);
		else if (pct != NULL) {
			w = strtol(pct + 1, &stop, 10);
			if (pct[1] < '0' || pct[1] > '9' || *stop != '\0' ||
			    w < 1 || w > OUTPUT_WIDTH_MAX) {
				xasprintf(cause, "bad field '%s': expected a "
				    "width from 1 to %d after '%%'", col,
				    OUTPUT_WIDTH_MAX);
				f = NULL;
			}
		}
		free(name);
		free(col);
		if (f == NULL) {
			output_format_free(fmt);
			return (-1);
		}
		fmt->fields = xreallocarray(fmt->fields, fmt->ncols + 1,
		    sizeof *fmt->fields);
		fmt->widths = xreallocarray(fmt->widths, fmt->ncols + 1,
		    sizeof *fmt->widths);
		fmt->fields[fmt->ncols] = f;
		fmt->widths[fmt->ncols++] = (int)w;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return (0);
}

/* What `--format help` prints: o's field names, one a line. */
void
output_format_help(const struct output_object *o, FILE *f)
{
	size_t	i;

	for (i = 0; i < o->nfields; i++) {
		if (o->fields[i].name != NULL)
			fprintf(f, "%s\n", o->fields[i].name);
	}
}

void
output_format_free(struct output_format *fmt)
{
	free(fmt->fields);
	free(fmt->widths);
	fmt->fields = NULL;
	fmt->widths = NULL;
	fmt->ncols = 0;
}
