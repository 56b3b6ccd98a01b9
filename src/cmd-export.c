/* Export a DAG's runs with params, metrics and outputs, one row per run. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "record.h"

static int	cmd_export_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DAG [--since T] --csv | --json",
	.summary = "write a DAG's runs with their params, metrics and outputs, "
	    "for a notebook",
	.help = "One row (CSV) or object (JSON) per run, oldest logical date "
	    "first.\n"
	    "  --since T  only runs whose logical date is T or later (as for "
	    "'updraft runs')\n"
	    "  --csv      columns dag_id run_id run_type state logical_date "
	    "start_date end_date\n"
	    "             owner host version labels (';' between) note, then "
	    "params.NAME,\n"
	    "             metrics.TASK.KEY and outputs.TASK.NAME (the path) "
	    "for every name\n"
	    "             any run has; times are ISO-8601 in UTC\n"
	    "  --json     an array of objects with those fields; params, "
	    "metrics and outputs\n"
	    "             are objects (an output: {path, size, mtime,\n             sha256})\n",
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

static char *
cmd_export_labels(const struct store_record *rec)
{
	char	*s = xstrdup(""), *tmp;
	size_t	 i;

	for (i = 0; i < rec->nlabels; i++) {
		xasprintf(&tmp, "%s%s%s", s, i ? ";" : "", rec->labels[i]);
		free(s);
		s = tmp;
	}
	return (s);
}

static void
cmd_export_json(const struct store_record *rec, int first)
{
	const struct run	*r = &rec->r;
	char			 buf[64], *key;
	size_t			 i;

	printf("%s\n {\"dag_id\": ", first ? "" : ",");
	output_json_string(stdout, r->dag_id);
	printf(", \"run_id\": ");
	output_json_string(stdout, r->run_id);
	printf(", \"run_type\": ");
	output_json_string(stdout, r->run_type);
	printf(", \"state\": ");
	output_json_string(stdout, r->state);
	printf(", \"logical_date\": ");
	output_json_time(stdout, r->logical_date);
	printf(", \"start_date\": ");
	output_json_time(stdout, r->start_date);
	printf(", \"end_date\": ");
	output_json_time(stdout, r->end_date);
	printf(", \"owner\": ");
	output_json_string(stdout, r->created_by);
	printf(", \"host\": ");
	output_json_string(stdout, r->host);
	printf(", \"version\": ");
	output_json_string(stdout, r->version);
	printf(", \"labels\": [");
	for (i = 0; i < rec->nlabels; i++) {
		printf("%s", i ? ", " : "");
		output_json_string(stdout, rec->labels[i]);
	}
	printf("], \"note\": ");
	output_json_string(stdout, r->note);
	/* The params column holds the JSON object record.c wrote. */
	printf(", \"params\": %s", r->params != NULL ? r->params : "{}");
	printf(", \"metrics\": {");
	for (i = 0; i < rec->nmetrics; i++) {
		xasprintf(&key, "%s.%s", rec->metrics[i].task_id,
		    rec->metrics[i].key);
		printf("%s", i ? ", " : "");
		output_json_string(stdout, key);
		record_format_double(rec->metrics[i].value, buf, sizeof buf);
		printf(": %s", buf);
		free(key);
	}
	printf("}, \"outputs\": {");
	for (i = 0; i < rec->noutputs; i++) {
		xasprintf(&key, "%s.%s", rec->outputs[i].task_id,
		    rec->outputs[i].name);
		printf("%s", i ? ", " : "");
		output_json_string(stdout, key);
		printf(": {\"path\": ");
		output_json_string(stdout, rec->outputs[i].path);
		if (rec->outputs[i].size < 0)
			printf(", \"size\": null, \"mtime\": null");
		else {
			printf(", \"size\": %lld, \"mtime\": ",
			    (long long)rec->outputs[i].size);
			output_json_time(stdout, rec->outputs[i].mtime);
		}
		printf(", \"sha256\": ");
		output_json_string(stdout, rec->outputs[i].sha256);
		putchar('}');
		free(key);
	}
	printf("}}");
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
	return (v);
}

static void
cmd_export_csv_rows(struct store_record *recs, size_t n)
{
	static const char	*fixed[] = {
		"dag_id", "run_id", "run_type", "state", "logical_date",
		"start_date", "end_date", "owner", "host", "version", "labels",
		"note"
	};
	struct cmd_export_cols	 cols = { NULL, 0 };
	struct store_record	*rec;
	struct record_kv	*kv;
	size_t			 nkv, i, j, nfixed;
	char			*name, *v, t[3][40];

	nfixed = sizeof fixed / sizeof fixed[0];
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

	for (i = 0; i < nfixed; i++)
		cmd_export_csv(fixed[i], i + 1 == nfixed && cols.n == 0);
	for (i = 0; i < cols.n; i++)
		cmd_export_csv(cols.v[i], i + 1 == cols.n);
	for (i = 0; i < n; i++) {
		rec = &recs[i];
		output_time(t[0], sizeof t[0], rec->r.logical_date);
		output_time(t[1], sizeof t[1], rec->r.start_date);
		output_time(t[2], sizeof t[2], rec->r.end_date);
		cmd_export_csv(rec->r.dag_id, 0);
		cmd_export_csv(rec->r.run_id, 0);
		cmd_export_csv(rec->r.run_type, 0);
		cmd_export_csv(rec->r.state, 0);
		cmd_export_csv(t[0], 0);
		cmd_export_csv(rec->r.start_date ? t[1] : NULL, 0);
		cmd_export_csv(rec->r.end_date ? t[2] : NULL, 0);
		cmd_export_csv(rec->r.created_by, 0);
		cmd_export_csv(rec->r.host, 0);
		cmd_export_csv(rec->r.version, 0);
		v = cmd_export_labels(rec);
		cmd_export_csv(v, 0);
		free(v);
		cmd_export_csv(rec->r.note, cols.n == 0);
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
	static const struct option longopts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_record	*recs = NULL;
	struct run		*runs;
	size_t			 nruns, n = 0, i;
	int64_t			 since = 0;
	char			*cause;
	int			 ch, json = 0, csv = 0, has_since = 0;
	int			 status = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			csv = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			if (cmd_runs_since(optarg, &since, &cause) != 0) {
				cmd_error("bad --since: %s", cause);
				free(cause);
				return (2);
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
		if (store_record_load(ctx->store, &recs[n++]) != 0) {
			status = cmd_error("database: %s",
			    store_error(ctx->store));
			for (i++; i < nruns; i++)
				store_run_clear(&runs[i]);
			goto out;
		}
	}
	if (json) {
		printf("[");
		for (i = 0; i < n; i++)
			cmd_export_json(&recs[i], i == 0);
		printf("%s]\n", n ? "\n" : "");
	} else
		cmd_export_csv_rows(recs, n);

out:
	for (i = 0; i < n; i++)
		store_record_clear(&recs[i]);
	free(recs);
	free(runs);
	return (status);
}
