/* The state table, row by row: what each state is, and unknown ones. */

#include "state.h"
#include "unit.h"

static const struct {
	const char	*name;
	int		 of, terminal, active, failed;
	char		 symbol;
} rows[] = {
	/* name              of                        term act fail sym */
	{ "none",            STATE_TI,                       0, 0, 0, '.' },
	{ "scheduled",       STATE_TI,                       0, 1, 0, 'q' },
	{ "queued",          STATE_TI | STATE_RUN,           0, 1, 0, 'Q' },
	{ "running",         STATE_TI | STATE_RUN |
			     STATE_BACKFILL,                 0, 1, 0, 'R' },
	{ "up_for_retry",    STATE_TI,                       0, 0, 0, 'r' },
	{ "success",         STATE_TI | STATE_RUN,           1, 0, 0, 'S' },
	{ "failed",          STATE_TI | STATE_RUN,           1, 0, 1, 'F' },
	{ "upstream_failed", STATE_TI,                       1, 0, 1, 'U' },
	{ "skipped",         STATE_TI,                       1, 0, 0, '?' },
	{ "removed",         STATE_TI,                       1, 0, 0, '?' },
	{ "done",            STATE_BACKFILL,                 1, 0, 0, '?' },
	{ "cancelled",       STATE_BACKFILL,                 1, 0, 0, '?' },
};

int
main(void)
{
	const struct state	*s;
	size_t			 i, n;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		s = state_find(rows[i].name);
		CHECK(s != NULL, "row %zu: '%s' is known", i, rows[i].name);
		CHECK(s != NULL && s->of == rows[i].of, "%s: of", rows[i].name);
		CHECK(state_is_terminal(rows[i].name) == rows[i].terminal,
		    "%s: terminal", rows[i].name);
		CHECK(state_is_active(rows[i].name) == rows[i].active,
		    "%s: active", rows[i].name);
		CHECK(state_is_failed(rows[i].name) == rows[i].failed,
		    "%s: failed", rows[i].name);
		CHECK(state_symbol(rows[i].name) == rows[i].symbol,
		    "%s: symbol '%c'", rows[i].name,
		    state_symbol(rows[i].name));
		CHECK((*state_colour(rows[i].name) != '\0') ==
		    (rows[i].symbol != '?'), "%s: coloured when drawn",
		    rows[i].name);
	}
	for (n = 0; state_at(n) != NULL; n++)
		;
	CHECK(n == sizeof rows / sizeof rows[0], "every state has a row");
	CHECK(state_is("queued", STATE_RUN), "a run can be queued");
	CHECK(!state_is("scheduled", STATE_RUN), "a run is never scheduled");
	CHECK(!state_is("bogus", STATE_TI), "an unknown state");
	CHECK(!state_is_terminal("bogus"), "unknown: not terminal");
	CHECK(state_symbol("bogus") == '?', "unknown: '?'");
	CHECK(state_symbol(NULL) == ' ', "no state: blank");
	CHECK_STR(state_colour("bogus"), "");
	return (unit_done());
}
