/* The --where compiler, table-driven: --where and --order to SQL. */

#include <stdlib.h>

#include "record.h"
#include "unit.h"
#include "where.h"

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

/*
 * Nesting: 64 levels of '(' or 'not' parse, the 65th is refused, and
 * 30,000 are refused without recursing into them.
 */
static void
test_where_depth(void)
{
	static const struct {
		int		 levels;
		const char	*open;
		const char	*error;	/* NULL: parses */
	} rows[] = {
		{ 64, "(", NULL },
		{ 65, "(", "column 65: nested deeper than 64 levels of '(' "
		    "and 'not'" },
		{ 64, "not ", NULL },
		{ 65, "not ", "column 257: nested deeper than 64 levels of "
		    "'(' and 'not'" },
		{ 30000, "(", "column 65: nested deeper than 64 levels of '(' "
		    "and 'not'" },
	};
	struct where_query	 q;
	char			*text, *cause;
	size_t			 i, len, olen;
	int			 j, rc;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		olen = strlen(rows[i].open);
		len = rows[i].levels * (olen + 1) + 16;
		text = xmalloc(len);
		text[0] = '\0';
		for (j = 0; j < rows[i].levels; j++)
			strcat(text, rows[i].open);
		strcat(text, "state = 'a'");
		if (*rows[i].open == '(') {
			for (j = 0; j < rows[i].levels; j++)
				strcat(text, ")");
		}
		where_query_init(&q, 1);
		cause = NULL;
		rc = where_parse(&q, text, &cause);
		if (rows[i].error == NULL)
			CHECK(rc == 0, "%d x '%s': %s", rows[i].levels,
			    rows[i].open, cause != NULL ? cause : "");
		else {
			CHECK(rc == -1, "%d x '%s' parsed", rows[i].levels,
			    rows[i].open);
			CHECK_STR(cause, rows[i].error);
		}
		free(cause);
		free(text);
		where_query_free(&q);
	}
}

/* The binds of q as text, for a row to compare with. */
static char *
binds_text(const struct where_query *q)
{
	char	*s = xstrdup(""), *tmp, num[32];
	size_t	 i;

	for (i = 0; i < q->nbinds; i++) {
		switch (q->binds[i].type) {
		case WHERE_BIND_TEXT:
			xasprintf(&tmp, "%sT:%s;", s, q->binds[i].text);
			break;
		case WHERE_BIND_INT:
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
	struct where_query	 q;
	char			*cause, *binds;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof where_rows / sizeof where_rows[0]; i++) {
		where_query_init(&q, 6);
		cause = NULL;
		rc = where_parse(&q, where_rows[i].where, &cause);
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
		where_query_free(&q);
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
	struct where_query	 q;
	char			*cause;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof order_rows / sizeof order_rows[0]; i++) {
		where_query_init(&q, 6);
		cause = NULL;
		rc = where_order_parse(&q, order_rows[i].order, &cause);
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
		where_query_free(&q);
	}
}

int
main(void)
{
	test_where();
	test_where_depth();
	test_order();
	return (unit_done());
}
