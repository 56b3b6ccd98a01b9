/*
 * The units a user writes: durations, memory sizes, Slurm time limits,
 * signals and mail types. One parser for each, used by the DAG files,
 * updraft.conf, schedules ("every 6h") and the verbs' options alike.
 */

#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "updraft.h"
#include "units.h"

/*
 * Read an unsigned decimal field at *sp and move *sp past it. Return 0, -1
 * if there is no digit, -2 if over INT_MAX.
 */
int
units_parse_digits(const char **sp, long *out)
{
	const char	*s = *sp;
	long		 v = 0;
	int		 big = 0;

	if (*s < '0' || *s > '9')
		return (-1);
	for (; *s >= '0' && *s <= '9'; s++) {
		if (!big)
			v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			big = 1;
	}
	*sp = s;
	*out = v;
	return (big ? -2 : 0);
}

/* A unit after a number: what one of it is worth in the parser's unit. */
struct units_suffix {
	char	 letter;	/* lower case; the upper case is the same */
	long	 mult;
	long	 div;		/* rounded up */
};

static const struct units_suffix units_seconds[] = {
	{ 's', 1, 1 }, { 'm', 60, 1 }, { 'h', 3600, 1 }, { 'd', 86400, 1 },
	{ '\0', 0, 0 }
};

static const struct units_suffix units_megabytes[] = {
	{ 'k', 1, 1024 }, { 'm', 1, 1 }, { 'g', 1024, 1 },
	{ 't', 1024 * 1024, 1 }, { '\0', 0, 0 }
};

/*
 * Parse a whole number with an optional unit from table (either case), to
 * the table's base unit. Return 0, -1 if malformed, -2 if over INT_MAX.
 */
static int
units_parse_scaled(const char *s, const struct units_suffix *table,
    long *out)
{
	const struct units_suffix	*u = NULL;
	long				 v;
	int				 rc;

	if (s == NULL)
		return (-1);
	if ((rc = units_parse_digits(&s, &v)) == -1)
		return (-1);
	if (*s != '\0') {
		for (u = table; u->letter != '\0'; u++) {
			if (u->letter == tolower((unsigned char)*s))
				break;
		}
		if (u->letter == '\0' || s[1] != '\0')
			return (-1);
	}
	if (rc == -2)
		return (-2);
	if (u != NULL && u->div > 1)
		v = (v + u->div - 1) / u->div;
	else if (u != NULL) {
		if (v > INT_MAX / u->mult)
			return (-2);
		v *= u->mult;
	}
	*out = v;
	return (0);
}

/*
 * Parse a duration to seconds: a number of seconds, or a number with s, m, h
 * or d in either case. Return 0, -1 if malformed, -2 if over INT_MAX seconds.
 */
int
units_parse_duration(const char *s, long *out)
{
	return (units_parse_scaled(s, units_seconds, out));
}

static const struct units_suffix units_bytes[] = {
	{ 'k', 1024, 1 }, { 'm', 1024L * 1024, 1 },
	{ 'g', 1024L * 1024 * 1024, 1 }, { '\0', 0, 0 }
};

/*
 * Parse a file size to bytes: the memory grammar (K, M or G, either case,
 * 1024-based), but a plain number is bytes. Return 0, -1 if malformed, -2
 * if over INT_MAX bytes.
 */
int
units_parse_bytes(const char *s, long *out)
{
	return (units_parse_scaled(s, units_bytes, out));
}

/*
 * Parse a memory size to MB: a number of MB, or a number with K, M, G or T
 * (either case; K rounds up). Return 0, -1 if malformed, -2 if over INT_MAX
 * MB.
 */
int
units_parse_memory(const char *s, long *out)
{
	return (units_parse_scaled(s, units_megabytes, out));
}

/* A time limit's fields as written: [D-]A[:B[:C]]. */
struct units_time {
	long	 days;		/* -1: no D- */
	long	 f[3];
	int	 n;		/* fields after D- */
};

/*
 * Split a time limit into its fields and check that each after the first is
 * in range (the first is not bounded, but for D-HH). Return 0, -1 if
 * malformed, -2 if a field is over INT_MAX.
 */
static int
units_time_fields(const char *s, struct units_time *t)
{
	long	*f = t->f;
	int	 rc, big = 0;

	t->days = -1;
	if ((rc = units_parse_digits(&s, &f[0])) == -1)
		return (-1);
	big |= (rc == -2);
	if (*s == '-') {
		t->days = f[0];
		s++;
		if ((rc = units_parse_digits(&s, &f[0])) == -1)
			return (-1);
		big |= (rc == -2);
	}
	for (t->n = 1; *s == ':' && t->n < 3; t->n++) {
		s++;
		if ((rc = units_parse_digits(&s, &f[t->n])) == -1)
			return (-1);
		big |= (rc == -2);
	}
	if (*s != '\0')
		return (-1);
	if (t->days != -1) {
		if (f[0] >= 24 || (t->n > 1 && f[1] >= 60) ||
		    (t->n > 2 && f[2] >= 60))
			return (-1);
	} else if (t->n > 1) {
		if (f[t->n - 1] >= 60 || (t->n > 2 && f[1] >= 60))
			return (-1);
	}
	return (big ? -2 : 0);
}

/*
 * Parse a time limit as sbatch does: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or
 * D-HH:MM:SS, to minutes, rounding seconds up; UNLIMITED or INFINITE (either
 * case) is UNITS_UNLIMITED. Return 0, -1 if malformed, -2 if over INT_MAX
 * minutes.
 */
int
units_parse_time_limit(const char *s, long *out)
{
	struct units_time	 t;
	const long		*f = t.f;
	int64_t			 total;
	int			 rc;

	if (s == NULL)
		return (-1);
	if (strcasecmp(s, "UNLIMITED") == 0 || strcasecmp(s, "INFINITE") == 0) {
		*out = UNITS_UNLIMITED;
		return (0);
	}
	if ((rc = units_time_fields(s, &t)) != 0)
		return (rc);
	if (t.days != -1) {
		total = (int64_t)t.days * 1440 + (int64_t)f[0] * 60;
		if (t.n > 1)
			total += f[1];
		if (t.n > 2)
			total += (f[2] + 59) / 60;
	} else if (t.n == 1)
		total = f[0];
	else if (t.n == 2)
		total = f[0] + (f[1] + 59) / 60;
	else
		total = (int64_t)f[0] * 60 + f[1] + (f[2] + 59) / 60;
	if (total > INT_MAX)
		return (-2);
	*out = total;
	return (0);
}

/* The signals sbatch --signal knows by name. */
static const struct {
	const char	*name;
	int		 num;
} units_signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ABRT", SIGABRT }, { "KILL", SIGKILL }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "URG", SIGURG }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "XCPU", SIGXCPU },
};

/*
 * Parse sbatch's --signal=[B:]SIG[@SECONDS]: SIG a number from 1 to 64 or a
 * name (USR1, SIGUSR1, either case), SECONDS from 0 to 65535 (default 60).
 * Return 0 or -1 if malformed.
 */
int
units_parse_signal(const char *s, int *num, int *secs, int *batch_only)
{
	const char	*at;
	size_t		 len, i;
	long		 v;
	int		 b = 0, n = 0, t = 60;

	if (s == NULL)
		return (-1);
	if ((s[0] == 'B' || s[0] == 'b') && s[1] == ':') {
		b = 1;
		s += 2;
	}
	if ((at = strchr(s, '@')) == NULL)
		at = s + strlen(s);
	len = at - s;
	if (len > 0 && *s >= '0' && *s <= '9') {
		if (units_parse_digits(&s, &v) != 0 || s != at || v < 1 || v > 64)
			return (-1);
		n = (int)v;
	} else {
		if (len > 3 && strncasecmp(s, "SIG", 3) == 0) {
			s += 3;
			len -= 3;
		}
		for (i = 0; i < sizeof units_signals /
		    sizeof units_signals[0]; i++) {
			if (strlen(units_signals[i].name) == len &&
			    strncasecmp(units_signals[i].name, s, len) == 0)
				n = units_signals[i].num;
		}
		if (n == 0)
			return (-1);
	}
	if (*at == '@') {
		s = at + 1;
		if (units_parse_digits(&s, &v) != 0 || *s != '\0' || v > 65535)
			return (-1);
		t = (int)v;
	}
	*num = n;
	*secs = t;
	*batch_only = b;
	return (0);
}

/* sbatch's --mail-type words; TIME_LIMIT_* before TIME_LIMIT. */
static const struct {
	const char	*name;
	int		 bits;
} units_mail_types[] = {
	{ "NONE", 0 },
	{ "BEGIN", RES_MAIL_BEGIN },
	{ "END", RES_MAIL_END },
	{ "FAIL", RES_MAIL_FAIL },
	{ "REQUEUE", RES_MAIL_REQUEUE },
	{ "ALL", RES_MAIL_BEGIN | RES_MAIL_END | RES_MAIL_FAIL |
	    RES_MAIL_REQUEUE | RES_MAIL_STAGE_OUT | RES_MAIL_INVALID_DEPEND },
	{ "INVALID_DEPEND", RES_MAIL_INVALID_DEPEND },
	{ "STAGE_OUT", RES_MAIL_STAGE_OUT },
	{ "TIME_LIMIT", RES_MAIL_TIME100 },
	{ "TIME_LIMIT_90", RES_MAIL_TIME90 },
	{ "TIME_LIMIT_80", RES_MAIL_TIME80 },
	{ "TIME_LIMIT_50", RES_MAIL_TIME50 },
};

/*
 * Parse sbatch's --mail-type: words separated by commas, either case.
 * Return 0, or -1 with the first bad word's start and length in *bad and
 * *badlen.
 */
int
units_parse_mail_type(const char *s, int *out, const char **bad,
    size_t *badlen)
{
	const char	*end;
	size_t		 len, i, n = sizeof units_mail_types /
			    sizeof units_mail_types[0];
	int		 bits = 0;

	for (;;) {
		if ((end = strchr(s, ',')) == NULL)
			end = s + strlen(s);
		len = end - s;
		for (i = 0; i < n; i++) {
			if (strlen(units_mail_types[i].name) == len &&
			    strncasecmp(units_mail_types[i].name, s, len) ==
			    0)
				break;
		}
		if (i == n) {
			*bad = s;
			*badlen = len;
			return (-1);
		}
		bits |= units_mail_types[i].bits;
		if (*end == '\0')
			break;
		s = end + 1;
	}
	*out = bits;
	return (0);
}


/* A time limit in minutes as Slurm writes it: "HH:MM:00" or "D-HH:MM:00". */
void
units_format_time_limit(long minutes, char *buf, size_t len)
{
	if (minutes >= 1440)
		snprintf(buf, len, "%ld-%02ld:%02ld:00", minutes / 1440,
		    minutes % 1440 / 60, minutes % 60);
	else
		snprintf(buf, len, "%02ld:%02ld:00", minutes / 60,
		    minutes % 60);
}
