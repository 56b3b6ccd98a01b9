/* Experiment records, table-driven: results lines, numbers, params. */

#include <stdlib.h>

#include "record.h"
#include "unit.h"

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
		{ (char []){ "lr" }, PARAM_FLOAT, (char []){ "0.01" } },
		{ (char []){ "epochs" }, PARAM_INT, (char []){ "10" } },
		{ (char []){ "name" }, PARAM_STRING, (char []){ "x" } },
		{ (char []){ "fast" }, PARAM_BOOL, (char []){ "false" } },
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
	test_lines();
	test_doubles();
	test_params();
	return (unit_done());
}
