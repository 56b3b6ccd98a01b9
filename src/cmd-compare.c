/* Compare runs of a DAG side by side: params, metrics, version, durations. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "cmd.h"
#include "output.h"
#include "record.h"

static int	cmd_compare_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_compare_opts[] = {
	{ "json", 'j', NULL,
	  "{\"runs\": [RUN...], \"rows\": [{\"field\", \"values\", "
	  "\"differs\"}]}; values are strings, null when missing", 0 },
	{ "csv", 'c', NULL, "field,differs,RUN... then one line a field", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.usage = "DAG RUN RUN [RUN...] [--json | --csv]",
	.summary = "show runs of a DAG side by side, marking what differs",
	.help = "One row a field, one column a run; '*' starts a row whose "
	    "values differ, '-' is\n"
	    "a missing value. Fields: run_type, state, version, owner, "
	    "host, labels, note,\n"
	    "cleared (who last cleared its tasks, and when, in UTC), "
	    "duration (of the run),\n"
	    "params.NAME, metrics.TASK.KEY, and for each task "
	    "duration.TASK and\n"
	    "partition.TASK. RUN is a run id, or a logical date that "
	    "names one run.\n",
	.opts = cmd_compare_opts,
	.flags = CMD_STORE,
	.exec = cmd_compare_exec,
};

/* One row: a field and its value in each run (NULL: missing). */
struct cmd_compare_row {
	char	 *field;
	char	**values;
	int	  differs;
};

struct cmd_compare {
	struct cmd_compare_row	*rows;
	size_t			 nrows;
	size_t			 nruns;
};

/* The row of field, added (with no values yet) if new. */
static struct cmd_compare_row *
cmd_compare_row(struct cmd_compare *c, const char *field)
{
	struct cmd_compare_row	*row;
	size_t			 i;

	for (i = 0; i < c->nrows; i++) {
		if (strcmp(c->rows[i].field, field) == 0)
			return (&c->rows[i]);
	}
	c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
	row = &c->rows[c->nrows++];
	row->field = xstrdup(field);
	row->values = xcalloc(c->nruns, sizeof *row->values);
	row->differs = 0;
	return (row);
}

/* Set run i's value of field (copied; NULL leaves it missing). */
static void
cmd_compare_set(struct cmd_compare *c, const char *field, size_t i,
    const char *value)
{
	struct cmd_compare_row	*row;

	row = cmd_compare_row(c, field);
	free(row->values[i]);
	row->values[i] = value != NULL ? xstrdup(value) : NULL;
}

/* A duration for people: 45s, 3m04s, 2h03m04s. */
static void
cmd_compare_duration(char *buf, size_t len, int64_t start, int64_t end)
{
	int64_t	d = end - start;

	if (start == 0 || end == 0 || d < 0)
		snprintf(buf, len, "-");
	else if (d < 60)
		snprintf(buf, len, "%llds", (long long)d);
	else if (d < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(d / 60),
		    (long long)(d % 60));
	else
		snprintf(buf, len, "%lldh%02lldm%02llds", (long long)(d / 3600),
		    (long long)(d / 60 % 60), (long long)(d % 60));
}

/* Fill run i's column from what was recorded of it. */
static void
cmd_compare_fill(struct cmd_compare *c, size_t i,
    const struct store_record *rec)
{
	const struct run	*r = &rec->r;
	struct record_kv	*kv;
	size_t			 nkv, j;
	char			 buf[64], *field, *labels = NULL, *tmp;

	cmd_compare_set(c, "run_type", i, r->run_type);
	cmd_compare_set(c, "state", i, r->state);
	cmd_compare_set(c, "version", i, r->version);
	cmd_compare_set(c, "owner", i, r->created_by);
	cmd_compare_set(c, "host", i, r->host);
	for (j = 0; j < rec->nlabels; j++) {
		xasprintf(&tmp, "%s%s%s", labels != NULL ? labels : "",
		    labels != NULL ? ";" : "", rec->labels[j]);
		free(labels);
		labels = tmp;
	}
	cmd_compare_set(c, "labels", i, labels);
	free(labels);
	cmd_compare_set(c, "note", i, r->note);
	if (r->cleared_by != NULL) {
		tz_format(NULL, r->cleared_at, buf, sizeof buf);
		xasprintf(&tmp, "%s at %s", r->cleared_by, buf);
		cmd_compare_set(c, "cleared", i, tmp);
		free(tmp);
	}
	cmd_compare_duration(buf, sizeof buf, r->start_date, r->end_date);
	cmd_compare_set(c, "duration", i, buf);
	if (r->params != NULL && record_params_parse(r->params, &kv,
	    &nkv) == 0) {
		for (j = 0; j < nkv; j++) {
			xasprintf(&field, "params.%s", kv[j].name);
			cmd_compare_set(c, field, i, kv[j].value);
			free(field);
		}
		record_kv_free(kv, nkv);
	}
	for (j = 0; j < rec->nmetrics; j++) {
		xasprintf(&field, "metrics.%s.%s", rec->metrics[j].task_id,
		    rec->metrics[j].key);
		record_format_double(rec->metrics[j].value, buf, sizeof buf);
		cmd_compare_set(c, field, i, buf);
		free(field);
	}
	for (j = 0; j < rec->nfigures; j++) {
		xasprintf(&field, "figures.%s", rec->figures[j].task_id);
		cmd_compare_set(c, field, i, rec->figures[j].key);
		free(field);
	}
	for (j = 0; j < rec->ntis; j++) {
		xasprintf(&field, "duration.%s", rec->tis[j].task_id);
		cmd_compare_duration(buf, sizeof buf, rec->tis[j].start_date,
		    rec->tis[j].end_date);
		cmd_compare_set(c, field, i, buf);
		free(field);
		xasprintf(&field, "partition.%s", rec->tis[j].task_id);
		cmd_compare_set(c, field, i, rec->tis[j].partition);
		free(field);
	}
}

/* Field groups in the order they print: a stable sort by prefix. */
static int
cmd_compare_group(const char *field)
{
	static const char	*prefixes[] = {
		"params.", "metrics.", "figures.", "duration.", "partition."
	};
	size_t			 i;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncmp(field, prefixes[i], strlen(prefixes[i])) == 0)
			return ((int)i + 1);
	}
	return (0);
}

static void
cmd_compare_sort(struct cmd_compare *c)
{
	struct cmd_compare_row	 tmp;
	size_t			 i, j;

	/* Insertion sort: stable, and the rows are few. */
	for (i = 1; i < c->nrows; i++) {
		tmp = c->rows[i];
		for (j = i; j > 0 && cmd_compare_group(c->rows[j - 1].field) >
		    cmd_compare_group(tmp.field); j--)
			c->rows[j] = c->rows[j - 1];
		c->rows[j] = tmp;
	}
}

static void
cmd_compare_csv_cell(const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
cmd_compare_print(struct cmd_compare *c, char **run_ids, int json, int csv)
{
	struct cmd_compare_row	*row;
	struct output_json	 jw;
	size_t			 i, j, *w, len;

	if (json) {
		output_json_init(&jw, stdout);
		output_json_open(&jw, NULL, '{');
		output_json_open(&jw, "runs", '[');
		for (i = 0; i < c->nruns; i++)
			output_json_str(&jw, NULL, run_ids[i]);
		output_json_close(&jw);
		output_json_list(&jw, "rows");
		for (j = 0; j < c->nrows; j++) {
			row = &c->rows[j];
			output_json_open(&jw, NULL, '{');
			output_json_str(&jw, "field", row->field);
			output_json_open(&jw, "values", '[');
			for (i = 0; i < c->nruns; i++)
				output_json_str(&jw, NULL, row->values[i]);
			output_json_close(&jw);
			output_json_bool(&jw, "differs", row->differs);
			output_json_close(&jw);
		}
		output_json_close(&jw);
		output_json_close(&jw);
		return;
	}
	if (csv) {
		printf("field,differs");
		for (i = 0; i < c->nruns; i++) {
			putchar(',');
			cmd_compare_csv_cell(run_ids[i]);
		}
		putchar('\n');
		for (j = 0; j < c->nrows; j++) {
			row = &c->rows[j];
			cmd_compare_csv_cell(row->field);
			printf(",%d", row->differs);
			for (i = 0; i < c->nruns; i++) {
				putchar(',');
				cmd_compare_csv_cell(row->values[i]);
			}
			putchar('\n');
		}
		return;
	}

	/* Column 0 is the field; column i + 1 is run i. */
	w = xcalloc(c->nruns + 1, sizeof *w);
	w[0] = strlen("FIELD");
	for (i = 0; i < c->nruns; i++)
		w[i + 1] = strlen(run_ids[i]);
	for (j = 0; j < c->nrows; j++) {
		row = &c->rows[j];
		if ((len = strlen(row->field)) > w[0])
			w[0] = len;
		for (i = 0; i < c->nruns; i++) {
			len = row->values[i] != NULL ? escape_terminal_buf(
			    row->values[i], NULL, 0, 0) : 1;
			if (len > w[i + 1])
				w[i + 1] = len;
		}
	}
	printf("  %-*s", (int)w[0], "FIELD");
	for (i = 0; i < c->nruns; i++)
		printf("  %-*s", i + 1 < c->nruns ? (int)w[i + 1] : 0,
		    run_ids[i]);
	putchar('\n');
	for (j = 0; j < c->nrows; j++) {
		row = &c->rows[j];
		printf("%c %-*s", row->differs ? '*' : ' ', (int)w[0],
		    row->field);
		for (i = 0; i < c->nruns; i++) {
			/* Values are users' (params, labels, notes). */
			fputs("  ", stdout);
			len = escape_terminal_write(stdout, row->values[i] !=
			    NULL ? row->values[i] : "-", 0);
			for (; i + 1 < c->nruns && len < w[i + 1]; len++)
				putchar(' ');
		}
		putchar('\n');
	}
	free(w);
}

static int
cmd_compare_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_record	*recs;
	struct cmd_compare	 c;
	struct cmd_compare_row	*row;
	char			**run_ids;
	const char		*a, *b;
	size_t			 i, j, n;
	int			 ch, json = 0, csv = 0, status = 0;

	while ((ch = cmd_getopt(&cmd_compare_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			csv = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return (cmd_usage(&cmd_compare_entry));
		}
	}
	if (argc - optind < 3 || (json && csv))
		return (cmd_usage(&cmd_compare_entry));
	n = (size_t)(argc - optind - 1);
	recs = xcalloc(n, sizeof *recs);
	run_ids = xcalloc(n, sizeof *run_ids);
	memset(&c, 0, sizeof c);
	c.nruns = n;
	for (i = 0; i < n; i++) {
		if ((status = cmd_find_run(ctx, argv[optind],
		    argv[optind + 1 + i], &recs[i].r)) != 0)
			goto out;
		if (store_record_load(ctx->store, &recs[i]) != 0) {
			status = cmd_error("database: %s",
			    store_error(ctx->store));
			goto out;
		}
		run_ids[i] = recs[i].r.run_id;
	}
	for (i = 0; i < n; i++)
		cmd_compare_fill(&c, i, &recs[i]);
	cmd_compare_sort(&c);
	for (j = 0; j < c.nrows; j++) {
		row = &c.rows[j];
		for (i = 1; i < n; i++) {
			a = row->values[0];
			b = row->values[i];
			if ((a == NULL) != (b == NULL) ||
			    (a != NULL && strcmp(a, b) != 0))
				row->differs = 1;
		}
	}
	cmd_compare_print(&c, run_ids, json, csv);

out:
	for (j = 0; j < c.nrows; j++) {
		for (i = 0; i < n; i++)
			free(c.rows[j].values[i]);
		free(c.rows[j].values);
		free(c.rows[j].field);
	}
	free(c.rows);
	for (i = 0; i < n; i++)
		store_record_clear(&recs[i]);
	free(recs);
	free(run_ids);
	return (status);
}
