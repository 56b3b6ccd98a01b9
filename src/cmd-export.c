/* Export a DAG's runs with params, metrics and outputs, one row per run. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "record.h"
#include "view.h"

static int	cmd_export_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_export_opts[] = {
	{ "since", 's', "T",
	  "only runs whose logical date is T or later (as for "
	  "'updraft runs')", 0 },
	{ "csv", 'c', NULL,
	  "columns dag_id run_id run_type state logical_date "
	  "start_date end_date owner host version labels (';' "
	  "between) note, then params.NAME, metrics.TASK.KEY and "
	  "outputs.TASK.NAME (the path) for every name any run "
	  "has; times are ISO-8601 in UTC", 0 },
	{ "json", 'j', NULL,
	  "an array of objects with those fields; params, metrics "
	  "and outputs are objects (an output: {path, size, mtime, "
	  "sha256})", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DAG [--since] --csv | --json",
	.summary = "write a DAG's runs with their params, metrics and outputs, "
	    "for a notebook",
	.help = "One row (CSV) or object (JSON) per run, oldest logical "
	    "date first.\n",
	.opts = cmd_export_opts,
	.flags = CMD_STORE,
	.exec = cmd_export_exec,
};

/* The names of the extra columns, in order of first appearance. */
struct cmd_export_cols {
	char	**v;
	size_t	  n;
};

static void
cmd_export_col(struct cmd_export_cols *cols, const char *name)
{
	size_t	i;

	for (i = 0; i < cols->n; i++) {
		if (strcmp(cols->v[i], name) == 0)
			return;
	}
	cols->v = xreallocarray(cols->v, cols->n + 1, sizeof *cols->v);
	cols->v[cols->n++] = xstrdup(name);
}

/* A CSV field, quoted when it must be (RFC 4180); NULL is empty. */
static void
cmd_export_csv(const char *s, int last)
{
	if (s != NULL && strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else if (s != NULL)
		fputs(s, stdout);
	putchar(last ? '\n' : ',');
}

/*
 * The fields of a run that export writes, in order; CSV leaves out params
 * (its columns come one per param).
 */
static const char *const cmd_export_fields[] = {
	"dag_id", "run_id", "run_type", "state", "logical_date", "start_date",
	"end_date", "owner", "host", "version", "labels", "note", "params",
	NULL
};
#define CMD_EXPORT_CSV_FIELDS	12

/* Give rec's run its labels the way struct run holds them; free after. */
static void
cmd_export_labels(struct store_record *rec)
{
	size_t	 i, len = 1;
	char	*p;

	for (i = 0; i < rec->nlabels; i++)
		len += strlen(rec->labels[i]) + 1;
	p = rec->r.labels = xmalloc(len);
	for (i = 0; i < rec->nlabels; i++) {
		len = strlen(rec->labels[i]) + 1;
		memcpy(p, rec->labels[i], len);
		p += len;
	}
	*p = '\0';
}

/* The steps of each task's job, as accounting recorded them. */
static void
cmd_export_steps(struct output_json *j, const struct store_record *rec)
{
	const struct store_step	*s;
	char			 buf[64];
	size_t			 i;

	output_json_open(j, "steps", '{');
	for (i = 0; i < rec->nsteps; i++) {
		s = &rec->steps[i];
		if (i == 0 || strcmp(s->task_id, rec->steps[i - 1].task_id)) {
			if (i > 0)
				output_json_close(j);
			output_json_open(j, s->task_id, '[');
		}
		output_json_open(j, NULL, '{');
		output_json_str(j, "step", s->step);
		output_json_str(j, "state", s->state);
		output_json_int(j, "exit_code", s->exit_code);
		output_json_str(j, "nodes", s->nodes);
		output_json_int(j, "elapsed_s", s->elapsed_s);
		record_format_double(s->cpu_s, buf, sizeof buf);
		output_json_raw(j, "cpu_s", buf);
		if (s->max_rss_kb >= 0)
			output_json_int(j, "max_rss_kb", s->max_rss_kb);
		else
			output_json_null(j, "max_rss_kb");
		if (s->max_vmsize_kb >= 0)
			output_json_int(j, "max_vmsize_kb", s->max_vmsize_kb);
		else
			output_json_null(j, "max_vmsize_kb");
		output_json_str(j, "tres", s->tres);
		output_json_close(j);
	}
	if (rec->nsteps > 0)
		output_json_close(j);
	output_json_close(j);
}

static void
cmd_export_json(struct output_json *j, const struct store_record *rec)
{
	char	 buf[64], *key;
	size_t	 i;

	output_json_open(j, NULL, '{');
	output_json_fields(j, &output_run, cmd_export_fields, &rec->r);
	output_json_open(j, "metrics", '{');
	for (i = 0; i < rec->nmetrics; i++) {
		xasprintf(&key, "%s.%s", rec->metrics[i].task_id,
		    rec->metrics[i].key);
		record_format_double(rec->metrics[i].value, buf, sizeof buf);
		output_json_raw(j, key, buf);
		free(key);
	}
	output_json_close(j);
	output_json_open(j, "outputs", '{');
	for (i = 0; i < rec->noutputs; i++) {
		xasprintf(&key, "%s.%s", rec->outputs[i].task_id,
		    rec->outputs[i].name);
		output_json_open(j, key, '{');
		output_json_str(j, "path", rec->outputs[i].path);
		if (rec->outputs[i].size < 0) {
			output_json_null(j, "size");
			output_json_null(j, "mtime");
		} else {
			output_json_int(j, "size", rec->outputs[i].size);
			output_json_at(j, "mtime", rec->outputs[i].mtime);
		}
		output_json_str(j, "sha256", rec->outputs[i].sha256);
		output_json_close(j);
		free(key);
	}
	output_json_close(j);
	output_json_open(j, "figures", '{');
	for (i = 0; i < rec->nfigures; i++)
		output_json_str(j, rec->figures[i].task_id,
		    rec->figures[i].key);
	output_json_close(j);
	cmd_export_steps(j, rec);
	output_json_close(j);
}

/* The value of run rec in an extra column, allocated; or NULL. */
static char *
cmd_export_value(const struct store_record *rec, const char *col)
{
	struct record_kv	*kv;
	size_t			 nkv, i;
	char			 buf[64], *name, *v = NULL;

	if (strncmp(col, "params.", 7) == 0) {
		if (rec->r.params == NULL ||
		    record_params_parse(rec->r.params, &kv, &nkv) != 0)
			return (NULL);
		for (i = 0; i < nkv; i++) {
			if (strcmp(kv[i].name, col + 7) == 0)
				v = xstrdup(kv[i].value);
		}
		record_kv_free(kv, nkv);
		return (v);
	}
	for (i = 0; i < rec->nmetrics; i++) {
		xasprintf(&name, "metrics.%s.%s", rec->metrics[i].task_id,
		    rec->metrics[i].key);
		if (strcmp(name, col) == 0) {
			record_format_double(rec->metrics[i].value, buf,
			    sizeof buf);
			v = xstrdup(buf);
		}
		free(name);
	}
	for (i = 0; i < rec->noutputs; i++) {
		xasprintf(&name, "outputs.%s.%s", rec->outputs[i].task_id,
		    rec->outputs[i].name);
		if (strcmp(name, col) == 0)
			v = xstrdup(rec->outputs[i].path);
		free(name);
	}
	for (i = 0; i < rec->nfigures; i++) {
		xasprintf(&name, "figures.%s", rec->figures[i].task_id);
		if (strcmp(name, col) == 0)
			v = xstrdup(rec->figures[i].key);
		free(name);
	}
	return (v);
}

static void
cmd_export_csv_rows(struct store_record *recs, size_t n)
{
	struct cmd_export_cols	 cols = { NULL, 0 };
	struct store_record	*rec;
	struct record_kv	*kv;
	size_t			 nkv, i, j;
	char			*name, *v;

	for (i = 0; i < n; i++) {
		rec = &recs[i];
		if (rec->r.params != NULL &&
		    record_params_parse(rec->r.params, &kv, &nkv) == 0) {
			for (j = 0; j < nkv; j++) {
				xasprintf(&name, "params.%s", kv[j].name);
				cmd_export_col(&cols, name);
				free(name);
			}
			record_kv_free(kv, nkv);
		}
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < recs[i].nmetrics; j++) {
			xasprintf(&name, "metrics.%s.%s",
			    recs[i].metrics[j].task_id, recs[i].metrics[j].key);
			cmd_export_col(&cols, name);
			free(name);
		}
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < recs[i].noutputs; j++) {
			xasprintf(&name, "outputs.%s.%s",
			    recs[i].outputs[j].task_id,
			    recs[i].outputs[j].name);
			cmd_export_col(&cols, name);
			free(name);
		}
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < recs[i].nfigures; j++) {
			xasprintf(&name, "figures.%s",
			    recs[i].figures[j].task_id);
			cmd_export_col(&cols, name);
			free(name);
		}
	}

	for (i = 0; i < CMD_EXPORT_CSV_FIELDS; i++)
		cmd_export_csv(cmd_export_fields[i],
		    i + 1 == CMD_EXPORT_CSV_FIELDS && cols.n == 0);
	for (i = 0; i < cols.n; i++)
		cmd_export_csv(cols.v[i], i + 1 == cols.n);
	for (i = 0; i < n; i++) {
		rec = &recs[i];
		for (j = 0; j < CMD_EXPORT_CSV_FIELDS; j++) {
			v = output_text(output_field(&output_run,
			    cmd_export_fields[j]), &rec->r);
			cmd_export_csv(v, j + 1 == CMD_EXPORT_CSV_FIELDS &&
			    cols.n == 0);
			free(v);
		}
		for (j = 0; j < cols.n; j++) {
			v = cmd_export_value(rec, cols.v[j]);
			cmd_export_csv(v, j + 1 == cols.n);
			free(v);
		}
	}
	for (i = 0; i < cols.n; i++)
		free(cols.v[i]);
	free(cols.v);
}

static int
cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_record	*recs = NULL;
	struct output_json	 j;
	struct run		*runs;
	size_t			 nruns, n = 0, i;
	int64_t			 since = 0;
	char			*cause;
	int			 ch, json = 0, csv = 0, has_since = 0;
	int			 status = 0;

	while ((ch = cmd_getopt(&cmd_export_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			csv = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			if (view_parse_since(optarg, &since, &cause) != 0) {
				status = cmd_bad_value("--since", NULL, "%s",
				    cause);
				free(cause);
				return (status);
			}
			has_since = 1;
			break;
		default:
			return (cmd_usage(&cmd_export_entry));
		}
	}
	if (argc - optind != 1 || json == csv)
		return (cmd_usage(&cmd_export_entry));
	if ((status = cmd_find_dag(ctx, argv[optind])) != 0)
		return (status);
	if (store_run_list(ctx->store, argv[optind], NULL, &runs,
	    &nruns) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	recs = xcalloc(nruns + 1, sizeof *recs);
	for (i = 0; i < nruns; i++) {
		if (has_since && runs[i].logical_date < since) {
			store_run_clear(&runs[i]);
			continue;
		}
		recs[n].r = runs[i];
		if (store_record_load(ctx->store, &recs[n]) != 0) {
			n++;	/* what it loaded is freed at out */
			status = cmd_error("database: %s",
			    store_error(ctx->store));
			for (i++; i < nruns; i++)
				store_run_clear(&runs[i]);
			goto out;
		}
		cmd_export_labels(&recs[n++]);
	}
	if (json) {
		output_json_init(&j, stdout);
		output_json_open(&j, NULL, '[');
		for (i = 0; i < n; i++)
			cmd_export_json(&j, &recs[i]);
		output_json_close(&j);
	} else
		cmd_export_csv_rows(recs, n);

out:
	for (i = 0; i < n; i++) {
		free(recs[i].r.labels);
		store_record_clear(&recs[i]);
	}
	free(recs);
	free(runs);
	return (status);
}
