/* Cron and `every` schedules: which instant is the next tick. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "updraft.h"
#include "units.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

/*
 * Too many clocks: a cron expression is written against the wall clock of
 * the schedule's zone, but ticks are instants, and twice a year in many
 * zones the wall clock skips an hour (or half an hour, or midnight) and
 * repeats one. Updraft reads the expression in one of two ways:
 *
 * - If the hour field covers every hour ("0,30 * * * *"), the schedule
 *   follows real time: every instant whose wall-clock reading matches
 *   fires. A repeated hour fires twice, once per occurrence; a skipped hour
 *   fires nothing, as the instants it names do not exist.
 *
 * - Otherwise ("30 2 * * *") it follows the wall clock: a matching reading
 *   that happens twice fires once, at its first occurrence; one that never
 *   happens fires once, at the instant the clocks jump over it. Several
 *   skipped readings collapse into that one firing, which is also the
 *   firing of a match at the reading just after the jump.
 *
 * Both are computed on "wall" seconds, the naive calendar reading of the
 * clock, and mapped to instants through the zone.
 */

/* Past these instants (years 1 and 9999) there are no ticks. */
#define SCHEDULE_MIN	(-62135596800LL)
#define SCHEDULE_MAX	253402300799LL

/* How many years to look ahead before deciding nothing matches. */
#define SCHEDULE_YEARS	400

struct schedule {
	enum schedule_kind	 kind;
	const struct tz		*tz;
	int64_t			 every;		/* seconds */

	uint64_t		 minute;	/* bits 0-59 */
	uint32_t		 hour;		/* bits 0-23 */
	uint32_t		 dom;		/* bits 1-31 */
	uint32_t		 month;		/* bits 1-12 */
	uint32_t		 dow;		/* bits 0-6, Sunday 0 */
	int			 dom_any;	/* covers 1-31 */
	int			 dow_any;	/* covers every weekday */
	int			 hour_any;	/* covers 0-23: real time */
};

struct schedule_field {
	const char		*name;
	int			 min;
	int			 max;
	const char *const	*names;		/* names for min, min+1... */
};

static const char *const schedule_months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec", NULL
};
static const char *const schedule_days[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const struct schedule_field schedule_fields[] = {
	{ "minute", 0, 59, NULL },
	{ "hour", 0, 23, NULL },
	{ "day-of-month", 1, 31, NULL },
	{ "month", 1, 12, schedule_months },
	{ "day-of-week", 0, 7, schedule_days },
};

static const struct {
	const char	*name;
	const char	*cron;
} schedule_presets[] = {
	{ "@hourly", "0 * * * *" },
	{ "@daily", "0 0 * * *" },
	{ "@midnight", "0 0 * * *" },
	{ "@weekly", "0 0 * * 0" },
	{ "@monthly", "0 0 1 * *" },
	{ "@quarterly", "0 0 1 1,4,7,10 *" },
	{ "@yearly", "0 0 1 1 *" },
	{ "@annually", "0 0 1 1 *" },
};

/* Read one value of a field, a number or a name; return -1 if neither. */
static int
schedule_value(const struct schedule_field *f, const char *s, size_t len,
    int *v)
{
	size_t	i;
	int	n = 0;

	if (len == 0)
		return (-1);
	if (isdigit((unsigned char)*s)) {
		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)s[i]))
				return (-1);
			if (n < 10000)
				n = n * 10 + (s[i] - '0');
		}
		*v = n;
		return (0);
	}
	if (f->names == NULL)
		return (-1);
	for (i = 0; f->names[i] != NULL; i++) {
		if (len == strlen(f->names[i]) &&
		    strncasecmp(s, f->names[i], len) == 0) {
			*v = f->min + (int)i;
			return (0);
		}
	}
	return (-1);
}

/*
 * Parse one field (a list of *, a, a-b, each with an optional /step) into
 * a bit set. Return -1 with a message (without the expression) in cause.
 */
static int
schedule_field(const struct schedule_field *f, const char *text,
    uint64_t *bits, char **cause)
{
	const char	*item, *end, *dash, *slash, *stop;
	int		 lo, hi, step, v;
	size_t		 len;

	*bits = 0;
	item = text;
	for (;;) {
		end = strchr(item, ',');
		if (end == NULL)
			end = item + strlen(item);
		len = end - item;
		if (len == 0) {
			xasprintf(cause, "%s field: empty list item in '%s'",
			    f->name, text);
			return (-1);
		}
		slash = memchr(item, '/', len);
		stop = slash != NULL ? slash : end;
		dash = memchr(item, '-', stop - item);

		step = 1;
		if (stop - item == 1 && *item == '*') {
			lo = f->min;
			hi = f->max;
		} else if (dash != NULL) {
			if (schedule_value(f, item, dash - item, &lo) != 0 ||
			    schedule_value(f, dash + 1, stop - dash - 1,
			    &hi) != 0)
				goto invalid;
		} else {
			if (schedule_value(f, item, stop - item, &lo) != 0)
				goto invalid;
			hi = slash != NULL ? f->max : lo;
		}
		if (lo < f->min || lo > f->max || hi < f->min || hi > f->max) {
			xasprintf(cause, "%s field: '%.*s' is out of range "
			    "%d-%d", f->name, (int)len, item, f->min, f->max);
			return (-1);
		}
		if (lo > hi) {
			xasprintf(cause, "%s field: '%.*s' is a range that "
			    "ends before it starts", f->name, (int)len, item);
			return (-1);
		}
		if (slash != NULL) {
			if (schedule_value(f, slash + 1, end - slash - 1,
			    &step) != 0 || !isdigit((unsigned char)slash[1]))
				goto invalid;
			if (step == 0 || step > 1000) {
				xasprintf(cause, "%s field: '%.*s' has a step "
				    "out of range 1-1000", f->name, (int)len,
				    item);
				return (-1);
			}
		}
		for (v = lo; v <= hi; v += step)
			*bits |= (uint64_t)1 << v;

		if (*end == '\0')
			break;
		item = end + 1;
	}
	return (0);

invalid:
	xasprintf(cause, "%s field: '%.*s' is not valid", f->name, (int)len,
	    item);
	return (-1);
}

/* The most days month m can have. */
static int
schedule_month_days(int m)
{
	static const int days[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return (days[m - 1]);
}

/* Parse a five-field cron expression into s. */
static int
schedule_parse_cron(struct schedule *s, const char *text, char **cause)
{
	char		*copy, *fields[5], *p, *msg;
	uint64_t	 bits[5], days;
	int		 n = 0, i, m, ok;

	copy = xstrdup(text);
	for (p = copy; *p != '\0';) {
		while (isspace((unsigned char)*p))
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n < 5)
			fields[n] = p;
		n++;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	}
	if (n != 5) {
		xasprintf(cause, "bad cron expression '%s': expected 5 fields, "
		    "got %d", text, n);
		free(copy);
		return (-1);
	}
	for (i = 0; i < 5; i++) {
		if (schedule_field(&schedule_fields[i], fields[i], &bits[i],
		    &msg) != 0) {
			xasprintf(cause, "bad cron expression '%s': %s", text,
			    msg);
			free(msg);
			free(copy);
			return (-1);
		}
	}
	free(copy);

	s->kind = SCHEDULE_CRON;
	s->minute = bits[0];
	s->hour = (uint32_t)bits[1];
	s->dom = (uint32_t)bits[2];
	s->month = (uint32_t)bits[3];
	s->dow = (uint32_t)(bits[4] & 0x7f);
	if (bits[4] & (1 << 7))
		s->dow |= 1;	/* 7 is Sunday too */
	s->hour_any = s->hour == 0xffffff;
	s->dom_any = s->dom == 0xfffffffeU;
	s->dow_any = s->dow == 0x7f;

	/* A day of the month that no month given has never comes. */
	if (!s->dom_any && s->dow_any) {
		ok = 0;
		for (m = 1; m <= 12; m++) {
			n = schedule_month_days(m);
			days = ((uint64_t)1 << (n + 1)) - 2;	/* 1 to n */
			if ((s->month & (1U << m)) && (s->dom & days))
				ok = 1;
		}
		if (!ok) {
			xasprintf(cause, "bad cron expression '%s': "
			    "day-of-month field: no month given has day %d",
			    text, __builtin_ctz(s->dom));
			return (-1);
		}
	}
	return (0);
}

/*
 * Parse "every N[smhd]": a duration as units_parse_duration reads it, with
 * its unit (a bare "every 6" is too easily read as hours).
 */
static int
schedule_parse_every(struct schedule *s, const char *text, const char *p,
    char **cause)
{
	long	n;
	size_t	len;

	while (isspace((unsigned char)*p))
		p++;
	len = strlen(p);
	if (len == 0 || !isalpha((unsigned char)p[len - 1]))
		goto syntax;
	switch (units_parse_duration(p, &n)) {
	case -1:
		goto syntax;
	case -2:
		xasprintf(cause, "bad schedule '%s': the interval is longer "
		    "than 68 years", text);
		return (-1);
	}
	if (n == 0) {
		xasprintf(cause, "bad schedule '%s': the interval must be more "
		    "than zero", text);
		return (-1);
	}
	s->kind = SCHEDULE_EVERY;
	s->every = n;
	return (0);

syntax:
	xasprintf(cause, "bad schedule '%s': expected 'every N' with N a "
	    "whole number and a unit s, m, h or d, such as 'every 6h'", text);
	return (-1);
}

/*
 * Parse a schedule: a cron expression, a preset, "@once", "none" or
 * "every N[smhd]". Ticks are read in tz, which must outlive the schedule
 * (NULL is UTC). Return NULL with a message in cause if text is bad.
 */
struct schedule *
schedule_parse(const char *text, const struct tz *tz, char **cause)
{
	struct schedule	*s;
	char		*trim;
	size_t		 len, i;
	int		 error = 0;

	while (isspace((unsigned char)*text))
		text++;
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	trim = xstrndup(text, len);

	s = xcalloc(1, sizeof *s);
	s->tz = tz;
	if (*trim == '\0') {
		xasprintf(cause, "bad schedule '': empty");
		error = 1;
	} else if (strcasecmp(trim, "none") == 0)
		s->kind = SCHEDULE_NONE;
	else if (strcasecmp(trim, "@once") == 0)
		s->kind = SCHEDULE_ONCE;
	else if (strncasecmp(trim, "every", 5) == 0 &&
	    (trim[5] == '\0' || isspace((unsigned char)trim[5])))
		error = schedule_parse_every(s, trim, trim + 5, cause) != 0;
	else if (*trim == '@') {
		for (i = 0; i < nitems(schedule_presets); i++) {
			if (strcasecmp(trim, schedule_presets[i].name) == 0)
				break;
		}
		if (i == nitems(schedule_presets)) {
			xasprintf(cause, "bad schedule '%s': unknown preset",
			    trim);
			error = 1;
		} else {
			error = schedule_parse_cron(s, schedule_presets[i].cron,
			    cause) != 0;
		}
	} else
		error = schedule_parse_cron(s, trim, cause) != 0;

	free(trim);
	if (error) {
		free(s);
		return (NULL);
	}
	return (s);
}

void
schedule_free(struct schedule *s)
{
	free(s);
}

enum schedule_kind
schedule_kind(const struct schedule *s)
{
	return (s->kind);
}

/* The lowest bit at or above from in bits, or -1. */
static int
schedule_bit(uint64_t bits, int from)
{
	if (from > 63)
		return (-1);
	bits >>= from;
	if (bits == 0)
		return (-1);
	return (from + __builtin_ctzll(bits));
}

/* The days in month m of year y. */
static int
schedule_days_in(int64_t y, int m)
{
	if (m == 12)
		return (31);
	return ((int)(civil_to_days(y, m + 1, 1) - civil_to_days(y, m, 1)));
}

/* Whether day (since the epoch) matches the day fields: the OR rule. */
static int
schedule_day(const struct schedule *s, int64_t day, int mday)
{
	int	wday = (int)((day % 7 + 11) % 7);
	int	dom = (s->dom >> mday) & 1, dow = (s->dow >> wday) & 1;

	/*
	 * Cron's oldest oddity: when both day fields are restricted, a day
	 * matching either one fires; otherwise the restricted one decides.
	 */
	if (!s->dom_any && !s->dow_any)
		return (dom || dow);
	return (dom && dow);
}

/*
 * The first wall time after wall that matches the fields, in whole
 * minutes; or -1 if none comes within SCHEDULE_YEARS.
 */
static int64_t
schedule_next_wall(const struct schedule *s, int64_t wall)
{
	int64_t	c, day, y, ystart;
	int	m, d, h, mi, mod, v;

	c = wall - ((wall % 60) + 60) % 60 + 60;	/* next whole minute */
	day = c / 86400 - (c % 86400 < 0);
	mod = (int)((c - day * 86400) / 60);
	h = mod / 60;
	mi = mod % 60;
	days_to_civil(day, &y, &m, &d);
	ystart = y;

	for (;;) {
		if (y > ystart + SCHEDULE_YEARS)
			return (-1);
		if (!(s->month & (1U << m))) {
			/* On to the first day of the next month given. */
			v = schedule_bit(s->month, m + 1);
			if (v == -1) {
				y++;
				v = schedule_bit(s->month, 1);
			}
			m = v;
			d = 1;
			h = mi = 0;
			day = civil_to_days(y, m, d);
			continue;
		}
		if (s->dow_any) {
			/* Only the day of the month counts: jump to it. */
			v = schedule_bit(s->dom, d);
			if (v == -1 || v > schedule_days_in(y, m)) {
				if (++m == 13) {
					m = 1;
					y++;
				}
				d = 1;
				h = mi = 0;
				day = civil_to_days(y, m, d);
				continue;
			}
			if (v != d) {
				day += v - d;
				d = v;
				h = mi = 0;
			}
		} else if (!schedule_day(s, day, d)) {
			day++;
			days_to_civil(day, &y, &m, &d);
			h = mi = 0;
			continue;
		}
		v = schedule_bit(s->hour, h);
		if (v == -1) {
			day++;
			days_to_civil(day, &y, &m, &d);
			h = mi = 0;
			continue;
		}
		if (v != h) {
			h = v;
			mi = 0;
		}
		v = schedule_bit(s->minute, mi);
		if (v == -1) {
			mi = 0;
			if (++h == 24) {
				day++;
				days_to_civil(day, &y, &m, &d);
				h = 0;
			}
			continue;
		}
		return (day * 86400 + h * 3600 + v * 60);
	}
}

/* Cron on the wall clock: see the comment at the top. */
static int
schedule_next_clock(const struct schedule *s, int64_t after, int64_t *tick)
{
	int64_t	wall, u;

	wall = after + tz_offset(s->tz, after);
	for (;;) {
		if ((wall = schedule_next_wall(s, wall)) == -1)
			return (0);
		u = tz_from_wall(s->tz, wall);
		if (u > after) {
			*tick = u;
			return (1);
		}
	}
}

/* Cron in real time: one constant-offset stretch of time after another. */
static int
schedule_next_real(const struct schedule *s, int64_t after, int64_t *tick)
{
	int64_t	start, next, wall, u;
	long	off;
	int	more;

	start = after + 1;
	for (;;) {
		off = tz_offset(s->tz, start);
		more = tz_next_transition(s->tz, start, &next);
		if ((wall = schedule_next_wall(s, start - 1 + off)) == -1)
			return (0);
		u = wall - off;
		if (!more || u < next) {
			*tick = u;
			return (1);
		}
		start = next;
	}
}

/*
 * Find the first tick strictly after after. For "every", ticks are anchor
 * plus whole intervals, and the first is anchor itself; cron ignores
 * anchor. Return 1 and set *tick, or 0 if there is none.
 */
int
schedule_next(const struct schedule *s, int64_t anchor, int64_t after,
    int64_t *tick)
{
	int64_t	k;

	if (after < SCHEDULE_MIN || after >= SCHEDULE_MAX)
		return (0);
	switch (s->kind) {
	case SCHEDULE_NONE:
	case SCHEDULE_ONCE:
		return (0);
	case SCHEDULE_EVERY:
		if (anchor < SCHEDULE_MIN || anchor >= SCHEDULE_MAX)
			return (0);
		if (after < anchor) {
			*tick = anchor;
			return (1);
		}
		k = (after - anchor) / s->every + 1;
		*tick = anchor + k * s->every;
		return (1);
	case SCHEDULE_CRON:
		break;
	}
	if (s->hour_any)
		return (schedule_next_real(s, after, tick));
	return (schedule_next_clock(s, after, tick));
}
