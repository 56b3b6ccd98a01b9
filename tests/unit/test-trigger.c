/* Trigger rules, table-driven: each row is a rule, upstream counts, result. */

#include "updraft.h"
#include "unit.h"

static const struct {
	const char		*rule;
	int			 total, success, skipped, failed, done;
	enum trigger_decision	 want;
} rows[] = {
	/* rule          tot ok sk fl dn  decision */
	{ "all_success",   0, 0, 0, 0, 0, TRIGGER_RUN },
	{ "all_success",   2, 2, 0, 0, 2, TRIGGER_RUN },
	{ "all_success",   2, 1, 0, 0, 1, TRIGGER_WAIT },
	{ "all_success",   2, 0, 0, 1, 1, TRIGGER_UPSTREAM_FAILED },
	{ "all_success",   2, 1, 1, 0, 2, TRIGGER_SKIP },
	{ "all_failed",    2, 0, 0, 2, 2, TRIGGER_RUN },
	{ "all_failed",    2, 0, 0, 1, 1, TRIGGER_WAIT },
	{ "all_failed",    2, 1, 0, 1, 2, TRIGGER_SKIP },
	{ "all_done",      3, 1, 1, 1, 3, TRIGGER_RUN },
	{ "all_done",      3, 1, 1, 0, 2, TRIGGER_WAIT },
	{ "one_success",   3, 1, 0, 0, 1, TRIGGER_RUN },
	{ "one_success",   3, 0, 0, 1, 1, TRIGGER_WAIT },
	{ "one_success",   2, 0, 0, 2, 2, TRIGGER_UPSTREAM_FAILED },
	{ "one_success",   2, 0, 2, 0, 2, TRIGGER_SKIP },
	{ "one_failed",    3, 0, 0, 1, 1, TRIGGER_RUN },
	{ "one_failed",    2, 2, 0, 0, 2, TRIGGER_SKIP },
	{ "one_failed",    2, 1, 0, 0, 1, TRIGGER_WAIT },
	{ "none_failed",   2, 1, 1, 0, 2, TRIGGER_RUN },
	{ "none_failed",   2, 1, 0, 1, 2, TRIGGER_UPSTREAM_FAILED },
	{ "none_failed",   2, 1, 0, 0, 1, TRIGGER_WAIT },
	{ "none_skipped",  2, 1, 0, 1, 2, TRIGGER_RUN },
	{ "none_skipped",  2, 1, 1, 0, 2, TRIGGER_SKIP },
	{ "always",        2, 0, 0, 0, 0, TRIGGER_RUN },
};

int
main(void)
{
	struct trigger_counts	c;
	size_t			i;
	int			rule;
	enum trigger_decision	got;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		rule = trigger_rule_parse(rows[i].rule);
		CHECK(rule >= 0, "row %zu: rule '%s'", i, rows[i].rule);
		CHECK_STR(trigger_rule_name(rule), rows[i].rule);
		c.total = rows[i].total;
		c.success = rows[i].success;
		c.skipped = rows[i].skipped;
		c.failed = rows[i].failed;
		c.done = rows[i].done;
		got = trigger_decide(rule, &c);
		CHECK(got == rows[i].want, "row %zu (%s): got %d, want %d", i,
		    rows[i].rule, got, rows[i].want);
	}
	CHECK(trigger_rule_parse("all_sucess") == -1, "a misspelt rule");
	return (unit_done());
}
