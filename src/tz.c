/* IANA time zones read from TZif files, without touching the global TZ. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* tm_gmtoff, tm_zone */
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"

/*
 * A zone is its table of transitions (from the TZif file) followed by the
 * POSIX TZ string in the file's footer, which rules every instant after the
 * last transition in the table. Debian's files hold transitions up to 2037;
 * the footer carries the zone on from there.
 *
 * Offsets here are seconds east of UTC, the TZif convention; POSIX TZ
 * strings count west ("CET-1" is one hour east), and are turned round as
 * they are read.
 */

#define TZ_DIR		"/usr/share/zoneinfo"
#define TZ_MAXFILE	(1024 * 1024)
#define TZ_MAXABBR	16

/* Instants further than this (some 31 million years) are clamped. */
#define TZ_FAR		1000000000000000LL

struct tz_type {
	long		 off;
	int		 isdst;
	const char	*abbr;
};

/* A day in a POSIX TZ rule: Jn, n or Mm.w.d. */
enum tz_rule_kind {
	TZ_JULIAN,	/* Jn: 1-365, February 29 never counted */
	TZ_ZERO,	/* n: 0-365, February 29 counted */
	TZ_MONTH,	/* Mm.w.d: weekday d of week w (5 is last) of month m */
};
struct tz_date {
	enum tz_rule_kind kind;
	int		 n;
	int		 m;
	int		 w;
	int		 d;
	long		 time;	/* after local midnight; may be < 0 or > 24h */
};

struct tz_footer {
	int		 present;
	int		 has_dst;
	long		 std_off;
	long		 dst_off;
	char		 std_abbr[TZ_MAXABBR];
	char		 dst_abbr[TZ_MAXABBR];
	struct tz_date	 start;	/* into daylight saving time */
	struct tz_date	 end;	/* back to standard time */
};

struct tz {
	char		*name;
	int64_t		*trans;
	uint8_t		*idx;
	size_t		 ntrans;
	struct tz_type	*types;
	size_t		 ntypes;
	char		*abbrs;
	struct tz_footer footer;
};

/* The instants at which a footer rule changes offset in one year. */
struct tz_change {
	int64_t		 when;
	int		 dst;	/* 1: into daylight saving time */
};

static const struct tz_type tz_utc_type = { 0, 0, "UTC" };

static int64_t
tz_clamp(int64_t t)
{
	if (t > TZ_FAR)
		return (TZ_FAR);
	if (t < -TZ_FAR)
		return (-TZ_FAR);
	return (t);
}

static int64_t
tz_floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b) != 0 && ((a < 0) != (b < 0)))
		q--;
	return (q);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
int64_t
civil_to_days(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The proleptic Gregorian date of a count of days since 1970-01-01. */
void
days_to_civil(int64_t z, int64_t *yp, int *mp, int *dp)
{
	int64_t	era, doe, yoe, y, doy, mp5;
	int	m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp5 = (5 * doy + 2) / 153;
	m = (int)(mp5 < 10 ? mp5 + 3 : mp5 - 9);
	*dp = (int)(doy - (153 * mp5 + 2) / 5 + 1);
	*mp = m;
	*yp = y + (m <= 2);
}

static int
tz_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
tz_month_days(int64_t y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && tz_leap(y))
		return (29);
	return (days[m - 1]);
}

/* Read a decimal number of at most max; return a pointer after it. */
static const char *
tz_posix_num(const char *p, long max, long *v)
{
	long	n = 0;

	if (!isdigit((unsigned char)*p))
		return (NULL);
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (*p++ - '0');
		if (n > max)
			return (NULL);
	}
	*v = n;
	return (p);
}

/* Read [+-]hh[:mm[:ss]] as seconds; hours go up to 167 (RFC 8536). */
static const char *
tz_posix_time(const char *p, long *secs)
{
	long	h, m = 0, s = 0;
	int	neg = 0;

	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');
	if ((p = tz_posix_num(p, 167, &h)) == NULL)
		return (NULL);
	if (*p == ':') {
		if ((p = tz_posix_num(p + 1, 59, &m)) == NULL)
			return (NULL);
		if (*p == ':' && (p = tz_posix_num(p + 1, 59, &s)) == NULL)
			return (NULL);
	}
	*secs = h * 3600 + m * 60 + s;
	if (neg)
		*secs = -*secs;
	return (p);
}

/* Read a zone abbreviation: letters, or anything in <>. */
static const char *
tz_posix_abbr(const char *p, char *out)
{
	const char	*start;
	size_t		 len;

	if (*p == '<') {
		start = ++p;
		while (*p != '>' && *p != '\0')
			p++;
		if (*p != '>')
			return (NULL);
		len = p++ - start;
	} else {
		start = p;
		while (isalpha((unsigned char)*p))
			p++;
		len = p - start;
	}
	if (len < 3 || len >= TZ_MAXABBR)
		return (NULL);
	memcpy(out, start, len);
	out[len] = '\0';
	return (p);
}

static const char *
tz_posix_date(const char *p, struct tz_date *d)
{
	long	v;

	memset(d, 0, sizeof *d);
	if (*p == 'J') {
		d->kind = TZ_JULIAN;
		if ((p = tz_posix_num(p + 1, 365, &v)) == NULL || v < 1)
			return (NULL);
		d->n = (int)v;
	} else if (*p == 'M') {
		d->kind = TZ_MONTH;
		if ((p = tz_posix_num(p + 1, 12, &v)) == NULL || v < 1)
			return (NULL);
		d->m = (int)v;
		if (*p++ != '.' || (p = tz_posix_num(p, 5, &v)) == NULL ||
		    v < 1)
			return (NULL);
		d->w = (int)v;
		if (*p++ != '.' || (p = tz_posix_num(p, 6, &v)) == NULL)
			return (NULL);
		d->d = (int)v;
	} else {
		d->kind = TZ_ZERO;
		if ((p = tz_posix_num(p, 365, &v)) == NULL)
			return (NULL);
		d->n = (int)v;
	}
	d->time = 7200;
	if (*p == '/' && (p = tz_posix_time(p + 1, &d->time)) == NULL)
		return (NULL);
	return (p);
}

/* Parse a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
static int
tz_posix_parse(const char *s, struct tz_footer *f)
{
	const char	*p = s;
	long		 off;

	memset(f, 0, sizeof *f);
	if ((p = tz_posix_abbr(p, f->std_abbr)) == NULL)
		return (-1);
	if ((p = tz_posix_time(p, &off)) == NULL)
		return (-1);
	f->std_off = -off;
	f->present = 1;
	if (*p == '\0')
		return (0);

	if ((p = tz_posix_abbr(p, f->dst_abbr)) == NULL)
		return (-1);
	f->has_dst = 1;
	f->dst_off = f->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = tz_posix_time(p, &off)) == NULL)
			return (-1);
		f->dst_off = -off;
	}
	if (*p == '\0') {
		/* No rule given: the traditional US one. */
		p = ",M3.2.0,M11.1.0";
	}
	if (*p++ != ',' || (p = tz_posix_date(p, &f->start)) == NULL)
		return (-1);
	if (*p++ != ',' || (p = tz_posix_date(p, &f->end)) == NULL)
		return (-1);
	if (*p != '\0')
		return (-1);
	return (0);
}

/* The day (since the epoch) a footer rule date falls on in year y. */
static int64_t
tz_rule_day(const struct tz_date *d, int64_t y)
{
	int64_t	first, day;
	int	wday, last;

	switch (d->kind) {
	case TZ_JULIAN:
		day = civil_to_days(y, 1, 1) + d->n - 1;
		if (d->n >= 60 && tz_leap(y))
			day++;
		return (day);
	case TZ_ZERO:
		return (civil_to_days(y, 1, 1) + d->n);
	case TZ_MONTH:
		break;
	}
	first = civil_to_days(y, d->m, 1);
	wday = (int)((first + 4) % 7 + 7) % 7;
	day = first + (d->d - wday + 7) % 7 + (int64_t)(d->w - 1) * 7;
	last = tz_month_days(y, d->m);
	while (day - first >= last)
		day -= 7;
	return (day);
}

/* The two footer changes in year y, in the order of the rule. */
static void
tz_footer_year(const struct tz_footer *f, int64_t y, struct tz_change *c)
{
	c[0].when = tz_rule_day(&f->start, y) * 86400 + f->start.time -
	    f->std_off;
	c[0].dst = 1;
	c[1].when = tz_rule_day(&f->end, y) * 86400 + f->end.time -
	    f->dst_off;
	c[1].dst = 0;
}

static int64_t
tz_year_of(int64_t t)
{
	int64_t	y;
	int	m, d;

	days_to_civil(tz_floordiv(t, 86400), &y, &m, &d);
	return (y);
}

/* Whether the footer puts instant t in daylight saving time. */
static int
tz_footer_dst(const struct tz_footer *f, int64_t t)
{
	struct tz_change	c[2];
	int64_t			y0, y, best = INT64_MIN;
	int			i, dst = 0;

	if (!f->has_dst)
		return (0);
	y0 = tz_year_of(t);
	for (y = y0 - 1; y <= y0 + 1; y++) {
		tz_footer_year(f, y, c);
		/* On a tie the later change in rule order wins. */
		for (i = 0; i < 2; i++) {
			if (c[i].when <= t && c[i].when >= best) {
				best = c[i].when;
				dst = c[i].dst;
			}
		}
	}
	return (dst);
}

/* Find the local time type in force at instant t. */
static void
tz_lookup(const struct tz *tz, int64_t t, struct tz_type *out)
{
	const struct tz_footer	*f;
	size_t			 lo, hi, mid;

	if (tz == NULL) {
		*out = tz_utc_type;
		return;
	}
	t = tz_clamp(t);
	f = &tz->footer;
	if (f->present && (tz->ntrans == 0 || t > tz->trans[tz->ntrans - 1])) {
		if (tz_footer_dst(f, t)) {
			out->off = f->dst_off;
			out->isdst = 1;
			out->abbr = f->dst_abbr;
		} else {
			out->off = f->std_off;
			out->isdst = 0;
			out->abbr = f->std_abbr;
		}
		return;
	}
	if (tz->ntrans == 0 || t < tz->trans[0]) {
		*out = tz->types[0];
		return;
	}
	/* The last transition at or before t. */
	lo = 0;
	hi = tz->ntrans;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	*out = tz->types[tz->idx[lo]];
}

static uint32_t
tz_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static uint64_t
tz_be64(const unsigned char *p)
{
	return ((uint64_t)tz_be32(p) << 32 | tz_be32(p + 4));
}

/* Read the TZif data in buf into tz; return -1 if it is malformed. */
static int
tz_parse_tzif(struct tz *tz, const unsigned char *buf, size_t len,
    int *leaps)
{
	const unsigned char	*p, *end = buf + len;
	uint32_t	 isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
	size_t		 tsize, i, need;
	int		 version, pass;
	const char	*footer, *nl;
	char		*s;

	p = buf;
	for (pass = 0; pass < 2; pass++) {
		if (end - p < 44 || memcmp(p, "TZif", 4) != 0)
			return (-1);
		version = p[4];
		isutcnt = tz_be32(p + 20);
		isstdcnt = tz_be32(p + 24);
		leapcnt = tz_be32(p + 28);
		timecnt = tz_be32(p + 32);
		typecnt = tz_be32(p + 36);
		charcnt = tz_be32(p + 40);
		p += 44;
		if (timecnt > 100000 || typecnt > 256 || charcnt > 65536 ||
		    leapcnt > 100000 || isutcnt > 256 || isstdcnt > 256)
			return (-1);
		tsize = pass == 0 ? 4 : 8;
		need = timecnt * tsize + timecnt + typecnt * 6 + charcnt +
		    leapcnt * (tsize + 4) + isstdcnt + isutcnt;
		if ((size_t)(end - p) < need)
			return (-1);
		if (pass == 0 && version != 0) {
			/* Skip the 32-bit block for the 64-bit one. */
			p += need;
			continue;
		}
		break;
	}
	if (typecnt == 0 || charcnt == 0)
		return (-1);
	*leaps = leapcnt != 0;

	tz->ntrans = timecnt;
	tz->trans = xreallocarray(NULL, timecnt + 1, sizeof *tz->trans);
	tz->idx = xmalloc(timecnt + 1);
	for (i = 0; i < timecnt; i++) {
		if (tsize == 4)
			tz->trans[i] = (int32_t)tz_be32(p + i * 4);
		else
			tz->trans[i] = (int64_t)tz_be64(p + i * 8);
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
			return (-1);
	}
	p += timecnt * tsize;
	for (i = 0; i < timecnt; i++) {
		if (p[i] >= typecnt)
			return (-1);
		tz->idx[i] = p[i];
	}
	p += timecnt;

	tz->abbrs = xmalloc(charcnt + 1);
	memcpy(tz->abbrs, p + typecnt * 6, charcnt);
	tz->abbrs[charcnt] = '\0';
	tz->ntypes = typecnt;
	tz->types = xreallocarray(NULL, typecnt, sizeof *tz->types);
	for (i = 0; i < typecnt; i++) {
		tz->types[i].off = (int32_t)tz_be32(p + i * 6);
		tz->types[i].isdst = p[i * 6 + 4] != 0;
		if (p[i * 6 + 5] >= charcnt)
			return (-1);
		tz->types[i].abbr = tz->abbrs + p[i * 6 + 5];
		if (tz->types[i].off <= -26 * 3600 ||
		    tz->types[i].off >= 26 * 3600)
			return (-1);
	}
	p += need - timecnt * tsize - timecnt;

	if (version == 0 || p >= end || *p != '\n')
		return (0);
	footer = (const char *)p + 1;
	nl = memchr(footer, '\n', end - (const unsigned char *)footer);
	if (nl == NULL)
		return (-1);
	if (nl == footer)
		return (0);
	s = xstrndup(footer, nl - footer);
	if (tz_posix_parse(s, &tz->footer) != 0) {
		free(s);
		return (-1);
	}
	free(s);
	if (tz->footer.std_off <= -26 * 3600 ||
	    tz->footer.std_off >= 26 * 3600 ||
	    tz->footer.dst_off <= -26 * 3600 ||
	    tz->footer.dst_off >= 26 * 3600)
		return (-1);
	return (0);
}

/*
 * Load the zone called name from TZDIR or /usr/share/zoneinfo. Return NULL
 * and a message in cause if it is unknown or its file is broken.
 */
struct tz *
tz_load(const char *name, char **cause)
{
	struct tz	*tz;
	const char	*dir;
	char		*path;
	unsigned char		*buf;
	size_t		 len;
	FILE		*f;
	int		 leaps = 0;

	if (*name == '\0' || *name == '/' || strstr(name, "..") != NULL) {
		xasprintf(cause, "unknown time zone '%s'", name);
		return (NULL);
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = TZ_DIR;
	xasprintf(&path, "%s/%s", dir, name);

	if ((f = fopen(path, "rb")) == NULL) {
		if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
			/* No file but a name everyone knows. */
			free(path);
			tz = xcalloc(1, sizeof *tz);
			tz->name = xstrdup(name);
			tz->types = xmalloc(sizeof *tz->types);
			tz->types[0] = tz_utc_type;
			tz->ntypes = 1;
			return (tz);
		}
		xasprintf(cause, "unknown time zone '%s'", name);
		free(path);
		return (NULL);
	}
	buf = xmalloc(TZ_MAXFILE);
	len = fread(buf, 1, TZ_MAXFILE, f);
	if (ferror(f)) {
		/* A directory such as "America" lands here. */
		fclose(f);
		free(buf);
		free(path);
		xasprintf(cause, "unknown time zone '%s'", name);
		return (NULL);
	}
	fclose(f);

	tz = xcalloc(1, sizeof *tz);
	tz->name = xstrdup(name);
	if (len < 4 || memcmp(buf, "TZif", 4) != 0) {
		xasprintf(cause, "unknown time zone '%s'", name);
		goto fail;
	}
	if (tz_parse_tzif(tz, buf, len, &leaps) != 0) {
		xasprintf(cause, "invalid time zone file '%s'", path);
		goto fail;
	}
	if (leaps) {
		xasprintf(cause, "time zone '%s' counts leap seconds, which "
		    "is not supported", name);
		goto fail;
	}
	free(buf);
	free(path);
	return (tz);

fail:
	free(buf);
	free(path);
	tz_free(tz);
	return (NULL);
}

void
tz_free(struct tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->name);
	free(tz->trans);
	free(tz->idx);
	free(tz->types);
	free(tz->abbrs);
	free(tz);
}

/* The name the zone was loaded by; "UTC" for NULL. */
const char *
tz_name(const struct tz *tz)
{
	if (tz == NULL)
		return ("UTC");
	return (tz->name);
}

/* Seconds east of UTC at instant t. */
long
tz_offset(const struct tz *tz, int64_t t)
{
	struct tz_type	type;

	tz_lookup(tz, t, &type);
	return (type.off);
}

/* The first footer change after after that changes the offset. */
static int
tz_footer_next(const struct tz *tz, int64_t after, int64_t *when)
{
	const struct tz_footer	*f = &tz->footer;
	struct tz_change	 c[8], tmp;
	int64_t			 y0;
	int			 i, j, n = 0;

	if (!f->present || !f->has_dst || f->std_off == f->dst_off)
		return (0);
	y0 = tz_year_of(after);
	for (i = -1; i <= 2; i++) {
		tz_footer_year(f, y0 + i, c + n);
		n += 2;
	}
	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && c[j - 1].when > c[j].when; j--) {
			tmp = c[j];
			c[j] = c[j - 1];
			c[j - 1] = tmp;
		}
	}
	for (i = 0; i < n; i++) {
		if (c[i].when <= after)
			continue;
		if (tz_offset(tz, c[i].when) != tz_offset(tz, c[i].when - 1)) {
			*when = c[i].when;
			return (1);
		}
	}
	return (0);
}

/*
 * Find the first instant after after where the offset changes (changes of
 * name or of isdst alone do not count). Return 1 and set *when, or 0 if
 * the offset never changes again.
 */
int
tz_next_transition(const struct tz *tz, int64_t after, int64_t *when)
{
	size_t	lo, hi, mid, i;
	int64_t	last, t;

	if (tz == NULL || after >= TZ_FAR)
		return (0);
	after = tz_clamp(after);
	if (tz->ntrans != 0) {
		/* The first transition after after. */
		lo = 0;
		hi = tz->ntrans;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (tz->trans[mid] <= after)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (i = lo; i < tz->ntrans; i++) {
			t = tz->trans[i];
			if (tz_offset(tz, t) != tz_offset(tz, t - 1)) {
				*when = t;
				return (1);
			}
		}
		last = tz->trans[tz->ntrans - 1];
		if (after < last)
			after = last;
	}
	return (tz_footer_next(tz, after, when));
}

/*
 * The instant a wall-clock reading stands for. A reading that happens twice
 * (clocks going back) is its first occurrence; one that never happens
 * (clocks going forward) is the instant the clocks jump.
 */
int64_t
tz_from_wall(const struct tz *tz, int64_t wall)
{
	int64_t	s, next;
	long	off;

	if (tz == NULL)
		return (wall);
	wall = tz_clamp(wall);
	/*
	 * Walk the constant-offset segments from a day before: segment
	 * [s, next) shows wall readings [s + off, next + off).
	 */
	s = wall - 2 * 86400;
	off = tz_offset(tz, s);
	for (;;) {
		if (wall < s + off)
			return (s);	/* in the gap before this segment */
		if (!tz_next_transition(tz, s, &next) || wall < next + off)
			return (wall - off);
		s = next;
		off = tz_offset(tz, s);
	}
}

static int
tz_digits(const char **pp, int n, int *v)
{
	const char	*p = *pp;
	int		 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return (-1);
		*v = *v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	return (0);
}

/*
 * Parse YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|+HHMM] into an instant; without
 * an offset it is a wall time in tz (UTC if tz is NULL).
 */
int
tz_parse_time(const char *text, const struct tz *tz, int64_t *t,
    char **cause)
{
	const char	*p = text;
	int		 y, mo, d, h = 0, mi = 0, s = 0, oh, om, sign;
	int		 has_off = 0;
	long		 off = 0;
	int64_t		 wall;

	if (tz_digits(&p, 4, &y) != 0 || *p++ != '-' ||
	    tz_digits(&p, 2, &mo) != 0 || *p++ != '-' ||
	    tz_digits(&p, 2, &d) != 0)
		goto syntax;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (tz_digits(&p, 2, &h) != 0 || *p++ != ':' ||
		    tz_digits(&p, 2, &mi) != 0)
			goto syntax;
		if (*p == ':') {
			p++;
			if (tz_digits(&p, 2, &s) != 0)
				goto syntax;
		}
	}
	if (*p == 'Z') {
		p++;
		has_off = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (tz_digits(&p, 2, &oh) != 0)
			goto syntax;
		if (*p == ':')
			p++;
		if (tz_digits(&p, 2, &om) != 0)
			goto syntax;
		if (oh > 23 || om > 59) {
			xasprintf(cause, "invalid date '%s': offset is out of "
			    "range", text);
			return (-1);
		}
		off = sign * (oh * 3600L + om * 60L);
		has_off = 1;
	}
	if (*p != '\0')
		goto syntax;

	if (mo < 1 || mo > 12) {
		xasprintf(cause, "invalid date '%s': month is out of range "
		    "1-12", text);
		return (-1);
	}
	if (d < 1 || d > tz_month_days(y, mo)) {
		xasprintf(cause, "invalid date '%s': day is out of range 1-%d",
		    text, tz_month_days(y, mo));
		return (-1);
	}
	if (h > 23 || mi > 59 || s > 59) {
		xasprintf(cause, "invalid date '%s': %s is out of range 0-%d",
		    text, h > 23 ? "hour" : mi > 59 ? "minute" : "second",
		    h > 23 ? 23 : 59);
		return (-1);
	}

	wall = civil_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (has_off)
		*t = wall - off;
	else
		*t = tz_from_wall(tz, wall);
	return (0);

syntax:
	xasprintf(cause, "invalid date '%s': expected "
	    "YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]", text);
	return (-1);
}

/* Fill tm with instant t as read in tz (UTC if tz is NULL). */
void
tz_breakdown(const struct tz *tz, int64_t t, struct tm *tm)
{
	struct tz_type	type;
	int64_t		wall, days, secs, y;
	int		m, d;

	t = tz_clamp(t);
	tz_lookup(tz, t, &type);
	wall = t + type.off;
	days = tz_floordiv(wall, 86400);
	secs = wall - days * 86400;
	days_to_civil(days, &y, &m, &d);

	memset(tm, 0, sizeof *tm);
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01: Thu */
	tm->tm_yday = (int)(days - civil_to_days(y, 1, 1));
	tm->tm_isdst = type.isdst;
	tm->tm_gmtoff = type.off;
	tm->tm_zone = type.abbr;
}

/* Write t as ISO 8601 with its offset in tz, 2026-11-01T06:30:00+01:00. */
/* Two decimal digits of v (0 to 99) at p. */
static void
tz_put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
tz_format(const struct tz *tz, int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	struct tz_type	type;
	long		off;
	char		sign;

	t = tz_clamp(t);
	tz_breakdown(tz, t, &tm);
	tz_lookup(tz, t, &type);
	off = type.off;
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	/*
	 * The usual case by hand: `updraft dates` prints millions of these,
	 * and snprintf was most of its time.
	 */
	if (off % 60 == 0 && off < 100 * 3600 && len >= 26 &&
	    tm.tm_year + 1900 >= 0 && tm.tm_year + 1900 <= 9999) {
		tz_put2(buf, (tm.tm_year + 1900) / 100);
		tz_put2(buf + 2, (tm.tm_year + 1900) % 100);
		buf[4] = '-';
		tz_put2(buf + 5, tm.tm_mon + 1);
		buf[7] = '-';
		tz_put2(buf + 8, tm.tm_mday);
		buf[10] = 'T';
		tz_put2(buf + 11, tm.tm_hour);
		buf[13] = ':';
		tz_put2(buf + 14, tm.tm_min);
		buf[16] = ':';
		tz_put2(buf + 17, tm.tm_sec);
		buf[19] = sign;
		tz_put2(buf + 20, (int)(off / 3600));
		buf[22] = ':';
		tz_put2(buf + 23, (int)(off / 60 % 60));
		buf[25] = '\0';
		return;
	}
	if (off % 60 != 0) {
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld:"
		    "%02ld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
		    off / 60 % 60, off % 60);
	} else {
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, sign, off / 3600, off / 60 % 60);
	}
}
