/* Experiment records, table-driven: --where and --order to SQL, results lines. */

#include <stdlib.h>

#include "record.h"
#include "unit.h"

/* A --where text, and the SQL and binds it gives (or the error). */
static const struct {
	const char	*where;
	const char	*sql;		/* NULL: an error */
	const char	*binds;		/* the binds, as text, ';' after each */
	const char	*error;
} where_rows[] = {
	{ "state = 'success'", "run.state = ?6", "T:success;", NULL },
	{ "owner != \"ann\"", "run.created_by <> ?6", "T:ann;", NULL },
	{ "params.lr < 0.1", "json_extract(run.params, ?7) < ?6",
	    "R:0.1;T:$.\"lr\";", NULL },
	{ "params.epochs >= 10", "json_extract(run.params, ?7) >= ?6",
	    "I:10;T:$.\"epochs\";", NULL },
	{ "params.fast = true", "json_extract(run.params, ?7) = ?6",
	    "I:1;T:$.\"fast\";", NULL },
	{ "params.name = 'x''", NULL, NULL,
	    "column 18: unterminated string" },
	{ "metrics.val_loss <= -1e-3",
	    "EXISTS (SELECT 1 FROM metric m WHERE m.run = run.id AND "
	    "m.key = ?7 AND m.value <= ?6)", "R:-0.001;T:val_loss;", NULL },
	{ "metrics.fit.acc > 0.9",
	    "EXISTS (SELECT 1 FROM metric m WHERE m.run = run.id AND "
	    "m.key = ?7 AND m.task_id = ?8 AND m.value > ?6)",
	    "R:0.9;T:acc;T:fit;", NULL },
	{ "label = 'best'", "EXISTS (SELECT 1 FROM run_label l WHERE "
	    "l.run = run.id AND l.label = ?6)", "T:best;", NULL },
	{ "label != 'best'", "NOT EXISTS (SELECT 1 FROM run_label l WHERE "
	    "l.run = run.id AND l.label = ?6)", "T:best;", NULL },
	{ "logical_date >= '2026-11-01'", "run.logical_date >= ?6",
	    "I:1793491200;", NULL },
	{ "state = 'a' and owner = 'b' or not state = 'c'",
	    "((run.state = ?6 AND run.created_by = ?7) OR NOT (run.state = "
	    "?8))", "T:a;T:b;T:c;", NULL },
	{ "state = 'a' and (owner = 'b' or state = 'c')",
	    "(run.state = ?6 AND ((run.created_by = ?7 OR run.state = ?8)))",
	    "T:a;T:b;T:c;", NULL },
	/* Errors point at the bad token. */
	{ "", NULL, NULL, "column 1: expected a condition" },
	{ "params.lr <", NULL, NULL,
	    "column 12: expected a value after '<'" },
	{ "params.lr < and", NULL, NULL,
	    "column 13: expected a value after '<' (quote strings: 'and')" },
	{ "state = success", NULL, NULL,
	    "column 9: expected a value after '=' (quote strings: "
	    "'success')" },
	{ "state = 3", NULL, NULL,
	    "column 9: expected a quoted string after '='" },
	{ "metrics.loss = 'low'", NULL, NULL,
	    "column 16: metrics compare with numbers, not 'low'" },
	{ "label < 'x'", NULL, NULL,
	    "column 7: label compares only with = and !=" },
	{ "params.lr 0.1", NULL, NULL, "column 11: expected a comparison "
	    "(<, <=, >, >=, =, !=) after 'params.lr'" },
	{ "params.lr == 0.1", NULL, NULL, "column 11: expected a comparison "
	    "(<, <=, >, >=, =, !=) after 'params.lr'" },
	{ "params. < 1", NULL, NULL, "column 1: unknown field 'params.' "
	    "(state, owner, label, logical_date, params.NAME, metrics.NAME "
	    "or metrics.TASK.NAME)" },
	{ "(state = 'a'", NULL, NULL, "column 13: expected ')'" },
	{ "state = 'a' state = 'b'", NULL, NULL,
	    "column 13: expected 'and', 'or' or the end at 'state'" },
	{ "state ! 'a'", NULL, NULL,
	    "column 7: unexpected '!' (did you mean '!='?)" },
	{ "state = 'a' ; drop table run", NULL, NULL,
	    "column 13: unexpected character ';'" },
	{ "logical_date < 'soon'", NULL, NULL,
	    "column 16: bad time 'soon'" },
};

/* The binds of q as text, for a row to compare with. */
static char *
binds_text(const struct record_query *q)
{
	char	*s = xstrdup(""), *tmp, num[32];
	size_t	 i;

	for (i = 0; i < q->nbinds; i++) {
		switch (q->binds[i].type) {
		case RECORD_BIND_TEXT:
			xasprintf(&tmp, "%sT:%s;", s, q->binds[i].text);
			break;
		case RECORD_BIND_INT:
			xasprintf(&tmp, "%sI:%lld;", s,
			    (long long)q->binds[i].i);
			break;
		default:
			record_format_double(q->binds[i].d, num, sizeof num);
			xasprintf(&tmp, "%sR:%s;", s, num);
			break;
		}
		free(s);
		s = tmp;
	}
	return (s);
}

static void
test_where(void)
{
	struct record_query	 q;
	char			*cause, *binds;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof where_rows / sizeof where_rows[0]; i++) {
		record_query_init(&q, 6);
		cause = NULL;
		rc = record_where_parse(&q, where_rows[i].where, &cause);
		if (where_rows[i].sql != NULL) {
			CHECK(rc == 0, "'%s': %s", where_rows[i].where,
			    cause != NULL ? cause : "");
			CHECK_STR(q.where, where_rows[i].sql);
			binds = binds_text(&q);
			CHECK_STR(binds, where_rows[i].binds);
			free(binds);
		} else {
			CHECK(rc == -1, "'%s' parsed", where_rows[i].where);
			CHECK_STR(cause, where_rows[i].error);
			CHECK(q.nbinds == 0 && q.where == NULL,
			    "'%s' left binds", where_rows[i].where);
		}
		free(cause);
		record_query_free(&q);
	}
}

static const struct {
	const char	*order;
	const char	*sql;		/* NULL: an error */
	int		 desc;
	const char	*error;
} order_rows[] = {
	{ "params.lr", "json_extract(run.params, ?6)", 0, NULL },
	{ "-metrics.val_loss", "(SELECT max(m.value) FROM metric m WHERE "
	    "m.run = run.id AND m.key = ?6)", 1, NULL },
	{ "metrics.fit.acc", "(SELECT min(m.value) FROM metric m WHERE "
	    "m.run = run.id AND m.key = ?6 AND m.task_id = ?7)", 0, NULL },
	{ "logical_date", "run.logical_date", 0, NULL },
	{ "label", NULL, 0, "column 1: cannot order by label" },
	{ "-state owner", NULL, 0,
	    "column 8: expected one field, not 'owner'" },
};

static void
test_order(void)
{
	struct record_query	 q;
	char			*cause;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof order_rows / sizeof order_rows[0]; i++) {
		record_query_init(&q, 6);
		cause = NULL;
		rc = record_order_parse(&q, order_rows[i].order, &cause);
		if (order_rows[i].sql != NULL) {
			CHECK(rc == 0, "'%s': %s", order_rows[i].order,
			    cause != NULL ? cause : "");
			CHECK_STR(q.order, order_rows[i].sql);
			CHECK(q.desc == order_rows[i].desc, "'%s': desc %d",
			    order_rows[i].order, q.desc);
		} else {
			CHECK(rc == -1, "'%s' parsed", order_rows[i].order);
			CHECK_STR(cause, order_rows[i].error);
		}
		free(cause);
		record_query_free(&q);
	}
}

/* Lines of $UPDRAFT_METRICS: 1 parsed, 0 skipped quietly, -1 warned. */
static const struct {
	const char	*line;
	int		 rc;
	const char	*key;
	double		 value;
} metric_rows[] = {
	{ "val_loss=0.25\n", 1, "val_loss", 0.25 },
	{ "  acc = 1e-2 \r\n", 1, "acc", 0.01 },
	{ "n=-3", 1, "n", -3 },
	{ "\n", 0, NULL, 0 },
	{ "# a comment", 0, NULL, 0 },
	{ "acc=high", -1, NULL, 0 },
	{ "acc=", -1, NULL, 0 },
	{ "acc=nan", -1, NULL, 0 },
	{ "no equals sign", -1, NULL, 0 },
	{ "val/loss=1", -1, NULL, 0 },
	{ "1st=1", -1, NULL, 0 },
};

static void
test_lines(void)
{
	char	*line, *key, *path, *cause;
	double	 v;
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof metric_rows / sizeof metric_rows[0]; i++) {
		line = xstrdup(metric_rows[i].line);
		cause = NULL;
		rc = record_metric_line(line, &key, &v, &cause);
		CHECK(rc == metric_rows[i].rc, "'%s': %d", metric_rows[i].line,
		    rc);
		if (rc == 1) {
			CHECK_STR(key, metric_rows[i].key);
			CHECK(v == metric_rows[i].value, "'%s': %g",
			    metric_rows[i].line, v);
		}
		CHECK((rc == -1) == (cause != NULL), "'%s': cause",
		    metric_rows[i].line);
		free(cause);
		free(line);
	}
	line = xstrdup("model = /data/m.pt\n");
	CHECK(record_output_line(line, &key, &path, &cause) == 1, "output");
	CHECK_STR(key, "model");
	CHECK_STR(path, "/data/m.pt");
	free(line);
	line = xstrdup("model=");
	CHECK(record_output_line(line, &key, &path, &cause) == -1, "no path");
	CHECK_STR(cause, "output 'model': no path");
	free(cause);
	free(line);
}

/* Numbers as the records print them: the shortest text that reads back. */
static const struct {
	double		 d;
	const char	*text;
} double_rows[] = {
	{ 10, "10" },
	{ -3, "-3" },
	{ 0.1, "0.1" },
	{ 12.5, "12.5" },
	{ 1e-3, "0.001" },
	{ 1e20, "1e+20" },
	{ 0.1 + 0.2, "0.30000000000000004" },
};

static void
test_doubles(void)
{
	char	buf[32];
	size_t	i;

	for (i = 0; i < sizeof double_rows / sizeof double_rows[0]; i++) {
		record_format_double(double_rows[i].d, buf, sizeof buf);
		CHECK_STR(buf, double_rows[i].text);
	}
}

static void
test_params(void)
{
	struct dag_param	 decl[] = {
		{ "lr", PARAM_FLOAT, "0.01" },
		{ "epochs", PARAM_INT, "10" },
		{ "name", PARAM_STRING, "x" },
		{ "fast", PARAM_BOOL, "false" },
	};
	struct dag		 dag;
	struct record_kv	*kv;
	const char		*names[] = { "name", "lr" };
	const char		*values[] = { "a \"b\"\n", "0.5" };
	char			*json, *canon, *cause;
	size_t			 n;

	memset(&dag, 0, sizeof dag);
	dag.params = decl;
	dag.nparams = 4;
	CHECK(record_param_check(&decl[0], "1e-1", &canon, &cause) == 0,
	    "float");
	CHECK_STR(canon, "0.1");
	free(canon);
	CHECK(record_param_check(&decl[0], "3", &canon, &cause) == 0,
	    "whole float");
	CHECK_STR(canon, "3.0");
	free(canon);
	CHECK(record_param_check(&decl[1], "0x10", &canon, &cause) == -1,
	    "int");
	CHECK_STR(cause, "param 'epochs' must be an integer: '0x10'");
	free(cause);
	CHECK(record_param_check(&decl[0], "inf", &canon, &cause) == -1,
	    "inf");
	free(cause);
	CHECK_STR(record_param_similar(&dag, "epoch"), "epochs");
	CHECK(record_param_similar(&dag, "zzzzz") == NULL, "similar");

	json = record_params_json(&dag, names, values, 2);
	CHECK_STR(json, "{\"lr\": 0.5, \"epochs\": 10, \"name\": "
	    "\"a \\\"b\\\"\\u000a\", \"fast\": false}");
	CHECK(record_params_parse(json, &kv, &n) == 0 && n == 4, "parse");
	if (n == 4) {
		CHECK_STR(kv[0].value, "0.5");
		CHECK(kv[0].type == PARAM_FLOAT, "float type");
		CHECK(kv[1].type == PARAM_INT, "int type");
		CHECK_STR(kv[2].value, "a \"b\"\n");
		CHECK(kv[3].type == PARAM_BOOL, "bool type");
	}
	record_kv_free(kv, n);
	free(json);
	CHECK(record_params_parse("{\"a\": ", &kv, &n) == -1 && n == 0,
	    "truncated");
}

int
main(void)
{
	test_where();
	test_order();
	test_lines();
	test_doubles();
	test_params();
	return (unit_done());
}
