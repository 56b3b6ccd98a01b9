/* Unit tests for schedule.c: cron fields, presets, every, DST rules. */

#include <stdlib.h>

#include "updraft.h"
#include "unit.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

#define MAXTICKS	8

/*
 * Each row: an expression in a zone, an instant, and the ticks that follow
 * it one after another. Times carry their offsets so a row reads by eye.
 */
static const struct {
	const char	*expr;
	const char	*zone;
	const char	*after;
	const char	*ticks[MAXTICKS];
} cron_rows[] = {
	/* Steps, ranges, lists. */
	{ "*/15 * * * *", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-01T00:15:00+00:00", "2026-01-01T00:30:00+00:00",
	    "2026-01-01T00:45:00+00:00", "2026-01-01T01:00:00+00:00" } },
	{ "*/15 * * * *", "UTC", "2026-01-01T00:07:30+00:00",
	    { "2026-01-01T00:15:00+00:00" } },
	{ "1-30/7 * * * *", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-01T00:01:00+00:00", "2026-01-01T00:08:00+00:00",
	    "2026-01-01T00:15:00+00:00", "2026-01-01T00:22:00+00:00",
	    "2026-01-01T00:29:00+00:00", "2026-01-01T01:01:00+00:00" } },
	{ "5/10 * * * *", "UTC", "2026-01-01T00:50:00+00:00",
	    { "2026-01-01T00:55:00+00:00", "2026-01-01T01:05:00+00:00",
	    "2026-01-01T01:15:00+00:00" } },
	{ "0 9,17 * * *", "UTC", "2026-01-01T12:00:00+00:00",
	    { "2026-01-01T17:00:00+00:00", "2026-01-02T09:00:00+00:00",
	    "2026-01-02T17:00:00+00:00" } },
	{ "59 23 31 12 *", "UTC", "2026-06-01T00:00:00+00:00",
	    { "2026-12-31T23:59:00+00:00", "2027-12-31T23:59:00+00:00" } },
	{ "0 0 1 */4 *", "UTC", "2026-02-01T00:00:00+00:00",
	    { "2026-05-01T00:00:00+00:00", "2026-09-01T00:00:00+00:00",
	    "2027-01-01T00:00:00+00:00" } },
	{ "0 0 31 * *", "UTC", "2026-01-31T00:00:00+00:00",
	    { "2026-03-31T00:00:00+00:00", "2026-05-31T00:00:00+00:00",
	    "2026-07-31T00:00:00+00:00", "2026-08-31T00:00:00+00:00" } },

	/* Names, any case; 0 and 7 are both Sunday. */
	{ "0 0 * jan,JUL *", "UTC", "2026-01-31T12:00:00+00:00",
	    { "2026-07-01T00:00:00+00:00", "2026-07-02T00:00:00+00:00" } },
	{ "0 12 * * MON-fri", "UTC", "2026-01-02T13:00:00+00:00",
	    { "2026-01-05T12:00:00+00:00", "2026-01-06T12:00:00+00:00",
	    "2026-01-07T12:00:00+00:00", "2026-01-08T12:00:00+00:00",
	    "2026-01-09T12:00:00+00:00", "2026-01-12T12:00:00+00:00" } },
	{ "0 0 * * 0", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00" } },
	{ "0 0 * * 7", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00" } },
	{ "0 0 * * fri-7", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00",
	    "2026-01-04T00:00:00+00:00", "2026-01-09T00:00:00+00:00" } },
	{ "0 0 1 feb-apr/2 *", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-02-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00",
	    "2027-02-01T00:00:00+00:00" } },

	/* Both day fields restricted: either fires. */
	{ "0 0 13 * fri", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00",
	    "2026-01-13T00:00:00+00:00", "2026-01-16T00:00:00+00:00" } },
	/* "*" + "/2" is restricted: odd days, and Mondays. */
	{ "0 0 */2 * 1", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-03T00:00:00+00:00", "2026-01-05T00:00:00+00:00",
	    "2026-01-07T00:00:00+00:00", "2026-01-09T00:00:00+00:00",
	    "2026-01-11T00:00:00+00:00", "2026-01-12T00:00:00+00:00",
	    "2026-01-13T00:00:00+00:00" } },
	/* A field covering its whole range is unrestricted: AND. */
	{ "0 0 1-31 * 1", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00" } },
	{ "0 0 */1 * mon", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00" } },
	{ "0 0 13 * 0-7", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-13T00:00:00+00:00", "2026-02-13T00:00:00+00:00" } },
	{ "0 0 13 * sun-sat", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-13T00:00:00+00:00", "2026-02-13T00:00:00+00:00" } },
	/* February 30 never comes, but Tuesdays in February do. */
	{ "0 0 30 2 tue", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-02-03T00:00:00+00:00", "2026-02-10T00:00:00+00:00",
	    "2026-02-17T00:00:00+00:00", "2026-02-24T00:00:00+00:00",
	    "2027-02-02T00:00:00+00:00" } },

	/* February 29 over leap and non-leap years; 2100 is not leap. */
	{ "0 0 29 2 *", "UTC", "2025-01-01T00:00:00+00:00",
	    { "2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00" } },
	{ "0 0 29 2 *", "UTC", "2096-03-01T00:00:00+00:00",
	    { "2104-02-29T00:00:00+00:00" } },
	{ "0 0 29 2 *", "UTC", "1999-01-01T00:00:00+00:00",
	    { "2000-02-29T00:00:00+00:00", "2004-02-29T00:00:00+00:00" } },

	/* Presets. */
	{ "@hourly", "UTC", "2026-01-01T00:30:00+00:00",
	    { "2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00" } },
	{ "@daily", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00" } },
	{ "@midnight", "Europe/Berlin", "2026-01-01T00:00:00+01:00",
	    { "2026-01-02T00:00:00+01:00" } },
	{ "@weekly", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00" } },
	{ "@monthly", "UTC", "2026-01-15T00:00:00+00:00",
	    { "2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00" } },
	{ "@quarterly", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-04-01T00:00:00+00:00", "2026-07-01T00:00:00+00:00",
	    "2026-10-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00" } },
	{ "@yearly", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2027-01-01T00:00:00+00:00" } },
	{ "@annually", "America/New_York", "2026-06-01T00:00:00-04:00",
	    { "2027-01-01T00:00:00-05:00" } },
	{ "  0 0 * * *  ", "UTC", "2026-01-01T00:00:00+00:00",
	    { "2026-01-02T00:00:00+00:00" } },
	{ "0 0 * * *", "Asia/Kathmandu", "2026-01-01T00:00:00+05:45",
	    { "2026-01-02T00:00:00+05:45" } },

	/*
	 * Europe/Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST (01:00Z);
	 * 2026-10-25 03:00 CEST falls back to 02:00 CET (01:00Z).
	 */
	/* Wall clock: a skipped time fires at the jump, a repeated once. */
	{ "30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00+01:00",
	    { "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00" } },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00+02:00",
	    { "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00" } },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-25T02:45:00+02:00",
	    { "2026-10-26T02:30:00+01:00" } },
	/* Skipped matches collapse into one firing, with 03:00 too. */
	{ "0,30 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00+01:00",
	    { "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00",
	    "2026-03-30T02:00:00+02:00" } },
	{ "*/15 2 * * *", "Europe/Berlin", "2026-03-28T23:00:00+01:00",
	    { "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00" } },
	{ "* 2 * * *", "Europe/Berlin", "2026-03-29T01:58:30+01:00",
	    { "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00" } },
	{ "*/15 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00+02:00",
	    { "2026-10-25T02:00:00+02:00", "2026-10-25T02:15:00+02:00",
	    "2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00",
	    "2026-10-26T02:00:00+01:00" } },
	{ "0 3 * * *", "Europe/Berlin", "2026-03-28T12:00:00+01:00",
	    { "2026-03-29T03:00:00+02:00", "2026-03-30T03:00:00+02:00" } },
	/* Real time: every hour given, so the repeated hour fires twice. */
	{ "*/30 * * * *", "Europe/Berlin", "2026-10-25T01:45:00+02:00",
	    { "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
	    "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
	    "2026-10-25T03:00:00+01:00" } },
	{ "*/30 * * * *", "Europe/Berlin", "2026-03-29T01:15:00+01:00",
	    { "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00",
	    "2026-03-29T03:30:00+02:00" } },
	{ "15 * 25 10 *", "Europe/Berlin", "2026-10-25T01:00:00+02:00",
	    { "2026-10-25T01:15:00+02:00", "2026-10-25T02:15:00+02:00",
	    "2026-10-25T02:15:00+01:00", "2026-10-25T03:15:00+01:00" } },
	/* Past 2037, from the footer rule. */
	{ "30 2 * * *", "Europe/Berlin", "2040-03-24T12:00:00+01:00",
	    { "2040-03-25T03:00:00+02:00", "2040-03-26T02:30:00+02:00" } },
	{ "*/30 * * * *", "Europe/Berlin", "2040-10-28T01:45:00+02:00",
	    { "2040-10-28T02:00:00+02:00", "2040-10-28T02:30:00+02:00",
	    "2040-10-28T02:00:00+01:00", "2040-10-28T02:30:00+01:00" } },

	/* America/New_York: 2026-03-08 02:00 -> 03:00, 11-01 02:00 -> 01:00. */
	{ "30 2 * * *", "America/New_York", "2026-03-07T12:00:00-05:00",
	    { "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00" } },
	{ "30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00",
	    { "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00" } },
	{ "0 * * * *", "America/New_York", "2026-11-01T00:30:00-04:00",
	    { "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00",
	    "2026-11-01T02:00:00-05:00" } },
	{ "0 * * * *", "America/New_York", "2026-03-08T00:30:00-05:00",
	    { "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00" } },

	/*
	 * Australia/Lord_Howe moves by half an hour: 2026-04-05 02:00 +11
	 * back to 01:30 +10:30; 2026-10-04 02:00 +10:30 on to 02:30 +11.
	 */
	{ "*/30 * * * *", "Australia/Lord_Howe", "2026-04-05T01:00:00+11:00",
	    { "2026-04-05T01:30:00+11:00", "2026-04-05T01:30:00+10:30",
	    "2026-04-05T02:00:00+10:30" } },
	{ "45 1 * * *", "Australia/Lord_Howe", "2026-04-04T12:00:00+11:00",
	    { "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30" } },
	{ "15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00+10:30",
	    { "2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00" } },
	{ "*/20 * * * *", "Australia/Lord_Howe", "2026-10-04T01:30:00+10:30",
	    { "2026-10-04T01:40:00+10:30", "2026-10-04T02:40:00+11:00",
	    "2026-10-04T03:00:00+11:00" } },

	/*
	 * America/Santiago changes at 24:00 on Saturdays: 2026-04-04 24:00
	 * -03 back to 23:00 -04; 2026-09-05 24:00 -04 on to 01:00 -03, so
	 * midnight of 2026-09-06 never happens.
	 */
	{ "0 0 * * *", "America/Santiago", "2026-09-05T12:00:00-04:00",
	    { "2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00" } },
	{ "0 23 * * *", "America/Santiago", "2026-04-04T12:00:00-03:00",
	    { "2026-04-04T23:00:00-03:00", "2026-04-05T23:00:00-04:00" } },
	{ "30 * * * *", "America/Santiago", "2026-04-04T22:00:00-03:00",
	    { "2026-04-04T22:30:00-03:00", "2026-04-04T23:30:00-03:00",
	    "2026-04-04T23:30:00-04:00", "2026-04-05T00:30:00-04:00" } },
	{ "*/30 * * * *", "America/Santiago", "2026-09-05T23:00:00-04:00",
	    { "2026-09-05T23:30:00-04:00", "2026-09-06T01:00:00-03:00",
	    "2026-09-06T01:30:00-03:00" } },
	{ "0 0 * * *", "America/Santiago", "2040-08-31T12:00:00-04:00",
	    { "2040-09-01T00:00:00-04:00", "2040-09-02T01:00:00-03:00",
	    "2040-09-03T00:00:00-03:00" } },
};

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

static void
test_cron(void)
{
	struct tz	*tz;
	struct schedule	*s;
	size_t		 i, j;
	int64_t		 t, tick;
	char		*cause, got[64];

	for (i = 0; i < nitems(cron_rows); i++) {
		cause = NULL;
		tz = tz_load(cron_rows[i].zone, &cause);
		CHECK(tz != NULL, "%s", cause);
		free(cause);
		if (tz == NULL)
			continue;
		cause = NULL;
		s = schedule_parse(cron_rows[i].expr, tz, &cause);
		CHECK(s != NULL, "'%s': %s", cron_rows[i].expr, cause);
		free(cause);
		if (s == NULL) {
			tz_free(tz);
			continue;
		}
		CHECK(schedule_kind(s) == SCHEDULE_CRON, "'%s' kind",
		    cron_rows[i].expr);

		t = at(cron_rows[i].after);
		for (j = 0; j < MAXTICKS && cron_rows[i].ticks[j] != NULL;
		    j++) {
			if (!schedule_next(s, 0, t, &tick)) {
				CHECK(0, "'%s' after %s: no tick",
				    cron_rows[i].expr, cron_rows[i].after);
				break;
			}
			tz_format(tz, tick, got, sizeof got);
			CHECK(tick == at(cron_rows[i].ticks[j]),
			    "'%s' %s after %s: tick %zu: got %s, want %s",
			    cron_rows[i].expr, cron_rows[i].zone,
			    cron_rows[i].after, j + 1, got,
			    cron_rows[i].ticks[j]);
			t = tick;
		}
		schedule_free(s);
		tz_free(tz);
	}
}

/* "every": ticks are anchor + k * N. Ticks written in the row's zone. */
static const struct {
	const char	*expr;
	const char	*zone;
	const char	*anchor;
	const char	*after;
	const char	*ticks[MAXTICKS];
} every_rows[] = {
	{ "every 6h", "UTC", "2026-01-01T00:00:00+00:00",
	    "2025-12-31T00:00:00+00:00",
	    { "2026-01-01T00:00:00+00:00", "2026-01-01T06:00:00+00:00",
	    "2026-01-01T12:00:00+00:00" } },
	{ "every 6h", "UTC", "2026-01-01T00:00:00+00:00",
	    "2026-01-01T05:59:59+00:00",
	    { "2026-01-01T06:00:00+00:00" } },
	{ "every 90m", "UTC", "2026-01-01T00:00:00+00:00",
	    "2026-01-01T00:00:00+00:00",
	    { "2026-01-01T01:30:00+00:00", "2026-01-01T03:00:00+00:00" } },
	{ "every 45s", "UTC", "2026-01-01T00:00:00+00:00",
	    "2026-01-01T00:01:00+00:00",
	    { "2026-01-01T00:01:30+00:00", "2026-01-01T00:02:15+00:00" } },
	/* Elapsed time: a day is 86400 s, whatever the wall clock does. */
	{ "every 1d", "Europe/Berlin", "2026-03-28T12:00:00+01:00",
	    "2026-03-28T12:00:00+01:00",
	    { "2026-03-29T13:00:00+02:00", "2026-03-30T13:00:00+02:00" } },
	{ "Every 2H", "UTC", "2026-01-01T00:00:00+00:00",
	    "2026-01-01T00:00:00+00:00",
	    { "2026-01-01T02:00:00+00:00" } },
	{ "every 2d", "UTC", "2026-01-01T00:00:00+00:00",
	    "2027-01-01T00:00:00+00:00",
	    { "2027-01-02T00:00:00+00:00" } },
};

static void
test_every(void)
{
	struct tz	*tz;
	struct schedule	*s;
	size_t		 i, j;
	int64_t		 anchor, t, tick;
	char		*cause, got[64];

	for (i = 0; i < nitems(every_rows); i++) {
		cause = NULL;
		tz = tz_load(every_rows[i].zone, &cause);
		CHECK(tz != NULL, "%s", cause);
		free(cause);
		if (tz == NULL)
			continue;
		cause = NULL;
		s = schedule_parse(every_rows[i].expr, tz, &cause);
		CHECK(s != NULL, "'%s': %s", every_rows[i].expr, cause);
		free(cause);
		if (s == NULL) {
			tz_free(tz);
			continue;
		}
		CHECK(schedule_kind(s) == SCHEDULE_EVERY, "'%s' kind",
		    every_rows[i].expr);

		anchor = at(every_rows[i].anchor);
		t = at(every_rows[i].after);
		for (j = 0; j < MAXTICKS && every_rows[i].ticks[j] != NULL;
		    j++) {
			if (!schedule_next(s, anchor, t, &tick)) {
				CHECK(0, "'%s': no tick", every_rows[i].expr);
				break;
			}
			tz_format(tz, tick, got, sizeof got);
			CHECK_STR(got, every_rows[i].ticks[j]);
			t = tick;
		}
		schedule_free(s);
		tz_free(tz);
	}
}

/* Schedules without ticks. */
static void
test_kinds(void)
{
	static const struct {
		const char		*expr;
		enum schedule_kind	 kind;
	} rows[] = {
		{ "none", SCHEDULE_NONE },
		{ "@once", SCHEDULE_ONCE },
	};
	struct schedule	*s;
	size_t		 i;
	int64_t		 tick;
	char		*cause;

	for (i = 0; i < nitems(rows); i++) {
		cause = NULL;
		s = schedule_parse(rows[i].expr, NULL, &cause);
		CHECK(s != NULL, "'%s': %s", rows[i].expr, cause);
		free(cause);
		if (s == NULL)
			continue;
		CHECK(schedule_kind(s) == rows[i].kind, "'%s' kind",
		    rows[i].expr);
		CHECK(schedule_next(s, 0, 0, &tick) == 0, "'%s' ticks",
		    rows[i].expr);
		schedule_free(s);
	}

	/* A NULL zone is UTC. */
	s = schedule_parse("30 2 * * *", NULL, &cause);
	CHECK(s != NULL, "NULL zone");
	if (s != NULL) {
		CHECK(schedule_next(s, 0, at("2026-03-29T00:00:00Z"), &tick) &&
		    tick == at("2026-03-29T02:30:00Z"), "NULL zone tick");
		schedule_free(s);
	}
}

#define CRON(e)		"bad cron expression '" e "': "
static const struct {
	const char	*expr;
	const char	*cause;
} error_rows[] = {
	{ "61 * * * *", CRON("61 * * * *") "minute field: '61' is out of "
	    "range 0-59" },
	{ "* * *", CRON("* * *") "expected 5 fields, got 3" },
	{ "* * * * * *", CRON("* * * * * *") "expected 5 fields, got 6" },
	{ "daily", CRON("daily") "expected 5 fields, got 1" },
	{ "* 24 * * *", CRON("* 24 * * *") "hour field: '24' is out of range "
	    "0-23" },
	{ "* * 0 * *", CRON("* * 0 * *") "day-of-month field: '0' is out of "
	    "range 1-31" },
	{ "* * 1-32 * *", CRON("* * 1-32 * *") "day-of-month field: '1-32' "
	    "is out of range 1-31" },
	{ "* * * 13 *", CRON("* * * 13 *") "month field: '13' is out of "
	    "range 1-12" },
	{ "* * * * 8", CRON("* * * * 8") "day-of-week field: '8' is out of "
	    "range 0-7" },
	{ "*/0 * * * *", CRON("*/0 * * * *") "minute field: '*/0' has a step "
	    "out of range 1-1000" },
	{ "5-1 * * * *", CRON("5-1 * * * *") "minute field: '5-1' is a range "
	    "that ends before it starts" },
	{ "a * * * *", CRON("a * * * *") "minute field: 'a' is not valid" },
	{ "-5 * * * *", CRON("-5 * * * *") "minute field: '-5' is not valid" },
	{ "1-2-3 * * * *", CRON("1-2-3 * * * *") "minute field: '1-2-3' is "
	    "not valid" },
	{ "*/5/2 * * * *", CRON("*/5/2 * * * *") "minute field: '*/5/2' is "
	    "not valid" },
	{ "*/ * * * *", CRON("*/ * * * *") "minute field: '*/' is not "
	    "valid" },
	{ "0 0 * foo *", CRON("0 0 * foo *") "month field: 'foo' is not "
	    "valid" },
	{ "0 0 * * monday", CRON("0 0 * * monday") "day-of-week field: "
	    "'monday' is not valid" },
	{ "0 0 * mon *", CRON("0 0 * mon *") "month field: 'mon' is not "
	    "valid" },
	{ "1,,2 * * * *", CRON("1,,2 * * * *") "minute field: empty list "
	    "item in '1,,2'" },
	{ "0 0 30 2 *", CRON("0 0 30 2 *") "day-of-month field: no month "
	    "given has day 30" },
	{ "0 0 31 4,6,9,11 *", CRON("0 0 31 4,6,9,11 *") "day-of-month "
	    "field: no month given has day 31" },
	{ "every 0h", "bad schedule 'every 0h': the interval must be more "
	    "than zero" },
	{ "every 6x", "bad schedule 'every 6x': expected 'every N' with N a "
	    "whole number and a unit s, m, h or d, such as 'every 6h'" },
	{ "every", "bad schedule 'every': expected 'every N' with N a whole "
	    "number and a unit s, m, h or d, such as 'every 6h'" },
	{ "every 6", "bad schedule 'every 6': expected 'every N' with N a "
	    "whole number and a unit s, m, h or d, such as 'every 6h'" },
	{ "every -1h", "bad schedule 'every -1h': expected 'every N' with N "
	    "a whole number and a unit s, m, h or d, such as 'every 6h'" },
	{ "every 24856d", "bad schedule 'every 24856d': the interval is "
	    "longer than 68 years" },
	{ "every 99999999999999d", "bad schedule 'every 99999999999999d': "
	    "the interval is longer than 68 years" },
	{ "@hourlyx", "bad schedule '@hourlyx': unknown preset" },
	{ "", "bad schedule '': empty" },
	{ "   ", "bad schedule '': empty" },
};

static void
test_errors(void)
{
	struct schedule	*s;
	size_t		 i;
	char		*cause;

	for (i = 0; i < nitems(error_rows); i++) {
		cause = NULL;
		s = schedule_parse(error_rows[i].expr, NULL, &cause);
		CHECK(s == NULL, "'%s' parsed", error_rows[i].expr);
		CHECK_STR(cause, error_rows[i].cause);
		free(cause);
		schedule_free(s);
	}
}

int
main(void)
{
	test_cron();
	test_every();
	test_kinds();
	test_errors();
	return (unit_done());
}
