/* Unit tests for tz.c: TZif zones, footer rules, wall times, parsing. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* setenv, tm_gmtoff */
#endif

#include <stdlib.h>

#include "updraft.h"
#include "unit.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

/* Parse an ISO instant that carries its offset; 0 and a failure if not. */
static int64_t
at(const char *text)
{
	int64_t	 t = 0;
	char	*cause = NULL;

	if (tz_parse_time(text, NULL, &t, &cause) != 0) {
		CHECK(0, "cannot parse '%s': %s", text, cause);
		free(cause);
	}
	return (t);
}

static struct tz *
load(const char *name)
{
	struct tz	*tz;
	char		*cause = NULL;

	tz = tz_load(name, &cause);
	CHECK(tz != NULL, "cannot load '%s': %s", name, cause);
	free(cause);
	return (tz);
}

static const struct {
	int64_t	 y;
	int	 m;
	int	 d;
	int64_t	 days;
} civil_rows[] = {
	{ 1970, 1, 1, 0 },
	{ 1969, 12, 31, -1 },
	{ 2000, 3, 1, 11017 },
	{ 2026, 3, 29, 20541 },
	{ 1600, 2, 29, -135081 },
	{ 1, 1, 1, -719162 },
	{ 9999, 12, 31, 2932896 },
};

static void
test_civil(void)
{
	size_t	i;
	int64_t	day, y, py;
	int	m, d, pm, pd, bad = 0;

	for (i = 0; i < nitems(civil_rows); i++) {
		CHECK(civil_to_days(civil_rows[i].y, civil_rows[i].m,
		    civil_rows[i].d) == civil_rows[i].days, "%04" PRId64
		    "-%02d-%02d", civil_rows[i].y, civil_rows[i].m,
		    civil_rows[i].d);
		days_to_civil(civil_rows[i].days, &y, &m, &d);
		CHECK(y == civil_rows[i].y && m == civil_rows[i].m &&
		    d == civil_rows[i].d, "day %" PRId64, civil_rows[i].days);
	}

	/* Every day from 1000 to 4000 follows the one before it. */
	days_to_civil(civil_to_days(1000, 1, 1) - 1, &py, &pm, &pd);
	for (day = civil_to_days(1000, 1, 1); day < civil_to_days(4000, 1, 1);
	    day++) {
		days_to_civil(day, &y, &m, &d);
		if (civil_to_days(y, m, d) != day)
			bad++;
		if (d == 1) {
			if (!(m == pm + 1 && y == py) &&
			    !(m == 1 && pm == 12 && y == py + 1))
				bad++;
		} else if (d != pd + 1 || m != pm || y != py)
			bad++;
		py = y;
		pm = m;
		pd = d;
	}
	CHECK(bad == 0, "%d days out of order", bad);
}

/* Offsets at instants, around transitions, and past 2037 (footer). */
static const struct {
	const char	*zone;
	const char	*when;
	long		 offset;
} offset_rows[] = {
	{ "UTC", "2026-06-01T00:00:00Z", 0 },
	{ "Etc/UTC", "2100-06-01T00:00:00Z", 0 },
	{ "Europe/Berlin", "1890-01-01T00:00:00Z", 3208 },	/* LMT */
	{ "Europe/Berlin", "2026-03-29T00:59:59Z", 3600 },
	{ "Europe/Berlin", "2026-03-29T01:00:00Z", 7200 },
	{ "Europe/Berlin", "2026-10-25T00:59:59Z", 7200 },
	{ "Europe/Berlin", "2026-10-25T01:00:00Z", 3600 },
	{ "Europe/Berlin", "2040-03-25T00:59:59Z", 3600 },
	{ "Europe/Berlin", "2040-03-25T01:00:00Z", 7200 },
	{ "Europe/Berlin", "2040-10-28T00:59:59Z", 7200 },
	{ "Europe/Berlin", "2040-10-28T01:00:00Z", 3600 },
	{ "Europe/Berlin", "2100-07-01T00:00:00Z", 7200 },
	{ "America/New_York", "2026-03-08T06:59:59Z", -18000 },
	{ "America/New_York", "2026-03-08T07:00:00Z", -14400 },
	{ "America/New_York", "2026-11-01T05:59:59Z", -14400 },
	{ "America/New_York", "2026-11-01T06:00:00Z", -18000 },
	{ "America/New_York", "2040-03-11T07:00:00Z", -14400 },
	{ "America/New_York", "2040-11-04T06:00:00Z", -18000 },
	{ "Australia/Lord_Howe", "2026-04-04T14:59:59Z", 39600 },
	{ "Australia/Lord_Howe", "2026-04-04T15:00:00Z", 37800 },
	{ "Australia/Lord_Howe", "2026-10-03T15:29:59Z", 37800 },
	{ "Australia/Lord_Howe", "2026-10-03T15:30:00Z", 39600 },
	{ "Australia/Lord_Howe", "2040-03-31T15:00:00Z", 37800 },
	{ "Australia/Lord_Howe", "2040-10-06T15:29:59Z", 37800 },
	{ "Australia/Lord_Howe", "2040-10-06T15:30:00Z", 39600 },
	{ "America/Santiago", "2026-04-05T02:59:59Z", -10800 },
	{ "America/Santiago", "2026-04-05T03:00:00Z", -14400 },
	{ "America/Santiago", "2026-09-06T03:59:59Z", -14400 },
	{ "America/Santiago", "2026-09-06T04:00:00Z", -10800 },
	{ "America/Santiago", "2040-04-08T03:00:00Z", -14400 },
	{ "America/Santiago", "2040-09-02T03:59:59Z", -14400 },
	{ "America/Santiago", "2040-09-02T04:00:00Z", -10800 },
	{ "Asia/Kathmandu", "1985-12-31T18:29:59Z", 19800 },
	{ "Asia/Kathmandu", "1985-12-31T18:30:00Z", 20700 },
	{ "Asia/Kathmandu", "2050-01-01T00:00:00Z", 20700 },
};

static void
test_offsets(void)
{
	struct tz	*tz;
	size_t		 i;
	long		 off;

	for (i = 0; i < nitems(offset_rows); i++) {
		if ((tz = load(offset_rows[i].zone)) == NULL)
			continue;
		off = tz_offset(tz, at(offset_rows[i].when));
		CHECK(off == offset_rows[i].offset, "%s at %s: got %ld, "
		    "want %ld", offset_rows[i].zone, offset_rows[i].when, off,
		    offset_rows[i].offset);
		tz_free(tz);
	}
	CHECK(tz_offset(NULL, at("2026-01-01T00:00:00Z")) == 0, "NULL");
}

/* The next change of offset; NULL: none. */
static const struct {
	const char	*zone;
	const char	*after;
	const char	*next;
} transition_rows[] = {
	{ "Europe/Berlin", "2026-01-01T00:00:00Z", "2026-03-29T01:00:00Z" },
	{ "Europe/Berlin", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z" },
	{ "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z" },
	{ "Europe/Berlin", "2037-12-01T00:00:00Z", "2038-03-28T01:00:00Z" },
	{ "Europe/Berlin", "2039-11-01T00:00:00Z", "2040-03-25T01:00:00Z" },
	{ "Europe/Berlin", "2040-03-25T01:00:00Z", "2040-10-28T01:00:00Z" },
	{ "America/New_York", "2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z" },
	{ "Australia/Lord_Howe", "2040-05-01T00:00:00Z",
	    "2040-10-06T15:30:00Z" },
	{ "America/Santiago", "2026-04-05T03:00:00Z", "2026-09-06T04:00:00Z" },
	{ "America/Santiago", "2040-01-01T00:00:00Z", "2040-04-08T03:00:00Z" },
	{ "Asia/Kathmandu", "1985-01-01T00:00:00Z", "1985-12-31T18:30:00Z" },
	{ "Asia/Kathmandu", "1986-01-01T00:00:00Z", NULL },
	{ "UTC", "2026-01-01T00:00:00Z", NULL },
	/* 1968-10-27: BST stops being summer time but stays +01:00. */
	{ "Europe/London", "1968-03-01T00:00:00Z", "1971-10-31T02:00:00Z" },
};

static void
test_transitions(void)
{
	struct tz	*tz;
	size_t		 i;
	int64_t		 when = 0;
	int		 found;
	char		 got[64];

	for (i = 0; i < nitems(transition_rows); i++) {
		if ((tz = load(transition_rows[i].zone)) == NULL)
			continue;
		found = tz_next_transition(tz, at(transition_rows[i].after),
		    &when);
		if (transition_rows[i].next == NULL)
			CHECK(!found, "%s after %s: found one",
			    transition_rows[i].zone, transition_rows[i].after);
		else {
			tz_format(NULL, when, got, sizeof got);
			CHECK(found && when == at(transition_rows[i].next),
			    "%s after %s: got %s, want %s",
			    transition_rows[i].zone, transition_rows[i].after,
			    found ? got : "none", transition_rows[i].next);
		}
		tz_free(tz);
	}
	CHECK(!tz_next_transition(NULL, 0, &when), "NULL");
}

/*
 * Wall times to instants: a skipped time is the instant of the jump, a
 * repeated one its first occurrence.
 */
static const struct {
	const char	*zone;
	const char	*wall;
	const char	*want;
} wall_rows[] = {
	{ "Europe/Berlin", "2026-03-29T01:59:59", "2026-03-29T01:59:59+01:00" },
	{ "Europe/Berlin", "2026-03-29T02:00", "2026-03-29T03:00:00+02:00" },
	{ "Europe/Berlin", "2026-03-29T02:30", "2026-03-29T03:00:00+02:00" },
	{ "Europe/Berlin", "2026-03-29T03:00", "2026-03-29T03:00:00+02:00" },
	{ "Europe/Berlin", "2026-10-25T01:59", "2026-10-25T01:59:00+02:00" },
	{ "Europe/Berlin", "2026-10-25T02:00", "2026-10-25T02:00:00+02:00" },
	{ "Europe/Berlin", "2026-10-25T02:30", "2026-10-25T02:30:00+02:00" },
	{ "Europe/Berlin", "2026-10-25T03:00", "2026-10-25T03:00:00+01:00" },
	{ "Europe/Berlin", "2040-03-25T02:30", "2040-03-25T03:00:00+02:00" },
	{ "Europe/Berlin", "2040-10-28T02:30", "2040-10-28T02:30:00+02:00" },
	{ "America/New_York", "2026-03-08T02:15",
	    "2026-03-08T03:00:00-04:00" },
	{ "America/New_York", "2026-11-01T01:30",
	    "2026-11-01T01:30:00-04:00" },
	{ "Australia/Lord_Howe", "2026-10-04T02:15",
	    "2026-10-04T02:30:00+11:00" },
	{ "Australia/Lord_Howe", "2026-04-05T01:45",
	    "2026-04-05T01:45:00+11:00" },
	{ "Australia/Lord_Howe", "2026-04-05T02:00",
	    "2026-04-05T02:00:00+10:30" },
	{ "America/Santiago", "2026-09-06T00:00", "2026-09-06T01:00:00-03:00" },
	{ "America/Santiago", "2026-09-06T00:30", "2026-09-06T01:00:00-03:00" },
	{ "America/Santiago", "2026-04-04T23:30", "2026-04-04T23:30:00-03:00" },
	{ "America/Santiago", "2026-04-05T00:00", "2026-04-05T00:00:00-04:00" },
	{ "Asia/Kathmandu", "1986-01-01T00:10", "1986-01-01T00:15:00+05:45" },
	{ "UTC", "2026-03-29T02:30", "2026-03-29T02:30:00+00:00" },
};

static void
test_from_wall(void)
{
	struct tz	*tz;
	size_t		 i;
	char		*wall, got[64];

	for (i = 0; i < nitems(wall_rows); i++) {
		if ((tz = load(wall_rows[i].zone)) == NULL)
			continue;
		xasprintf(&wall, "%sZ", wall_rows[i].wall);
		tz_format(tz, tz_from_wall(tz, at(wall)), got, sizeof got);
		CHECK_STR(got, wall_rows[i].want);
		free(wall);
		tz_free(tz);
	}
}

/* Parsing in a zone (NULL: UTC) and formatting in the same zone. */
static const struct {
	const char	*zone;
	const char	*text;
	const char	*want;
} parse_rows[] = {
	{ NULL, "2026-11-01", "2026-11-01T00:00:00+00:00" },
	{ NULL, "2026-01-01T00:00", "2026-01-01T00:00:00+00:00" },
	{ "UTC", "2024-02-29", "2024-02-29T00:00:00+00:00" },
	{ "UTC", "2000-02-29T23:59:59", "2000-02-29T23:59:59+00:00" },
	{ "Europe/Berlin", "2026-11-01T06:30", "2026-11-01T06:30:00+01:00" },
	{ "Europe/Berlin", "2026-07-01 12:00:05", "2026-07-01T12:00:05+02:00" },
	{ "Europe/Berlin", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00+01:00" },
	{ "Europe/Berlin", "2026-11-01T06:30:00+0100",
	    "2026-11-01T06:30:00+01:00" },
	{ "Europe/Berlin", "2026-11-01T06:30+01:00",
	    "2026-11-01T06:30:00+01:00" },
	{ "Europe/Berlin", "2026-03-29T02:30", "2026-03-29T03:00:00+02:00" },
	{ "Europe/Berlin", "1890-01-01T00:53:28", "1890-01-01T00:53:28+00:53:28" },
	{ "Europe/Berlin", "2040-07-01", "2040-07-01T00:00:00+02:00" },
	{ "America/New_York", "2026-11-01T06:30:00+01:00",
	    "2026-11-01T01:30:00-04:00" },
	{ "America/New_York", "2026-11-01T01:30", "2026-11-01T01:30:00-04:00" },
	{ "America/Santiago", "2026-09-06", "2026-09-06T01:00:00-03:00" },
	{ "Asia/Kathmandu", "2026-01-01T00:00:00Z",
	    "2026-01-01T05:45:00+05:45" },
	{ "Asia/Kathmandu", "2026-01-01T00:00:00-05:45",
	    "2026-01-01T11:30:00+05:45" },
	{ "Australia/Lord_Howe", "2041-01-01", "2041-01-01T00:00:00+11:00" },
};

static void
test_parse(void)
{
	struct tz	*tz = NULL;
	size_t		 i;
	int64_t		 t;
	char		*cause, got[64];
	int		 error;

	for (i = 0; i < nitems(parse_rows); i++) {
		if (parse_rows[i].zone != NULL &&
		    (tz = load(parse_rows[i].zone)) == NULL)
			continue;
		cause = NULL;
		error = tz_parse_time(parse_rows[i].text, tz, &t, &cause);
		CHECK(error == 0, "'%s': %s", parse_rows[i].text, cause);
		if (error == 0) {
			tz_format(tz, t, got, sizeof got);
			CHECK_STR(got, parse_rows[i].want);
		}
		free(cause);
		tz_free(tz);
		tz = NULL;
	}
}

#define EXPECTED "expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]"
static const struct {
	const char	*text;
	const char	*cause;
} parse_error_rows[] = {
	{ "xyz", "invalid date 'xyz': " EXPECTED },
	{ "", "invalid date '': " EXPECTED },
	{ "2026-1-01", "invalid date '2026-1-01': " EXPECTED },
	{ "26-01-01", "invalid date '26-01-01': " EXPECTED },
	{ " 2026-01-01", "invalid date ' 2026-01-01': " EXPECTED },
	{ "2026-01-01X", "invalid date '2026-01-01X': " EXPECTED },
	{ "2026-01-01T", "invalid date '2026-01-01T': " EXPECTED },
	{ "2026-01-01T1:00", "invalid date '2026-01-01T1:00': " EXPECTED },
	{ "2026-01-01T10", "invalid date '2026-01-01T10': " EXPECTED },
	{ "2026-01-01T10:00:00.5",
	    "invalid date '2026-01-01T10:00:00.5': " EXPECTED },
	{ "2026-01-01T10:00+1", "invalid date '2026-01-01T10:00+1': " EXPECTED },
	{ "2026-01-01T10:00Z ", "invalid date '2026-01-01T10:00Z ': " EXPECTED },
	{ "2026-13-01", "invalid date '2026-13-01': month is out of range 1-12" },
	{ "2026-00-10", "invalid date '2026-00-10': month is out of range 1-12" },
	{ "2026-02-29", "invalid date '2026-02-29': day is out of range 1-28" },
	{ "1900-02-29", "invalid date '1900-02-29': day is out of range 1-28" },
	{ "2024-02-30", "invalid date '2024-02-30': day is out of range 1-29" },
	{ "2026-04-31", "invalid date '2026-04-31': day is out of range 1-30" },
	{ "2026-01-00", "invalid date '2026-01-00': day is out of range 1-31" },
	{ "2026-01-01T24:00",
	    "invalid date '2026-01-01T24:00': hour is out of range 0-23" },
	{ "2026-01-01T10:60",
	    "invalid date '2026-01-01T10:60': minute is out of range 0-59" },
	{ "2026-01-01T10:00:60",
	    "invalid date '2026-01-01T10:00:60': second is out of range 0-59" },
	{ "2026-01-01T10:00+24:00",
	    "invalid date '2026-01-01T10:00+24:00': offset is out of range" },
};

static void
test_parse_errors(void)
{
	size_t	i;
	int64_t	t;
	char	*cause;

	for (i = 0; i < nitems(parse_error_rows); i++) {
		cause = NULL;
		CHECK(tz_parse_time(parse_error_rows[i].text, NULL, &t,
		    &cause) == -1, "'%s' parsed", parse_error_rows[i].text);
		CHECK_STR(cause, parse_error_rows[i].cause);
		free(cause);
	}
}

static const char *const load_error_rows[] = {
	"Foo/Bar", "", "/etc/localtime", "../../../etc/passwd",
	"Europe/../UTC", "America", "Europe/Berlin/x",
};

static void
test_load(void)
{
	struct tz	*tz;
	size_t		 i;
	char		*cause, *want;

	for (i = 0; i < nitems(load_error_rows); i++) {
		cause = NULL;
		tz = tz_load(load_error_rows[i], &cause);
		CHECK(tz == NULL, "'%s' loaded", load_error_rows[i]);
		xasprintf(&want, "unknown time zone '%s'", load_error_rows[i]);
		CHECK_STR(cause, want);
		free(want);
		free(cause);
		tz_free(tz);
	}

	if ((tz = load("Europe/Berlin")) != NULL) {
		CHECK_STR(tz_name(tz), "Europe/Berlin");
		tz_free(tz);
	}
	CHECK_STR(tz_name(NULL), "UTC");

	/* TZDIR moves the zones; UTC is known even without its file. */
	setenv("TZDIR", "/nonexistent", 1);
	cause = NULL;
	tz = tz_load("Europe/Berlin", &cause);
	CHECK(tz == NULL, "Europe/Berlin found in /nonexistent");
	CHECK_STR(cause, "unknown time zone 'Europe/Berlin'");
	free(cause);
	tz_free(tz);
	if ((tz = load("UTC")) != NULL) {
		CHECK(tz_offset(tz, 0) == 0, "UTC offset");
		tz_free(tz);
	}
	unsetenv("TZDIR");
}

static void
test_breakdown(void)
{
	struct tz	*tz;
	struct tm	 tm;
	char		 got[64];

	if ((tz = load("Europe/Berlin")) != NULL) {
		tz_breakdown(tz, at("2026-10-25T01:00:00Z"), &tm);
		CHECK(tm.tm_year == 126 && tm.tm_mon == 9 &&
		    tm.tm_mday == 25 && tm.tm_hour == 2 && tm.tm_min == 0 &&
		    tm.tm_sec == 0, "2026-10-25T01:00:00Z");
		CHECK(tm.tm_wday == 0 && tm.tm_yday == 297, "wday %d yday %d",
		    tm.tm_wday, tm.tm_yday);
		CHECK(tm.tm_isdst == 0 && tm.tm_gmtoff == 3600, "isdst %d "
		    "gmtoff %ld", tm.tm_isdst, (long)tm.tm_gmtoff);
		CHECK_STR(tm.tm_zone, "CET");

		tz_breakdown(tz, at("2040-07-01T00:00:00Z"), &tm);
		CHECK(tm.tm_isdst == 1 && tm.tm_gmtoff == 7200 &&
		    tm.tm_wday == 0 && tm.tm_yday == 182, "2040-07-01");
		CHECK_STR(tm.tm_zone, "CEST");
		tz_free(tz);
	}
	if ((tz = load("Australia/Lord_Howe")) != NULL) {
		tz_breakdown(tz, at("2040-12-01T00:00:00Z"), &tm);
		CHECK(tm.tm_isdst == 1 && tm.tm_gmtoff == 39600 &&
		    tm.tm_wday == 6 && tm.tm_hour == 11, "Lord Howe 2040");
		CHECK_STR(tm.tm_zone, "+11");
		tz_free(tz);
	}

	tz_breakdown(NULL, -1, &tm);
	CHECK(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31 &&
	    tm.tm_hour == 23 && tm.tm_min == 59 && tm.tm_sec == 59 &&
	    tm.tm_wday == 3 && tm.tm_yday == 364 && tm.tm_gmtoff == 0,
	    "1969-12-31T23:59:59Z");
	tz_format(NULL, -1, got, sizeof got);
	CHECK_STR(got, "1969-12-31T23:59:59+00:00");
}

int
main(void)
{
	test_civil();
	test_offsets();
	test_transitions();
	test_from_wall();
	test_parse();
	test_parse_errors();
	test_load();
	test_breakdown();
	return (unit_done());
}
