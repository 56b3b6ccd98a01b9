/* Unit tests for units.c: one row per input, what it gives or why not. */

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"
#include "units.h"
#include "unit.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

/* What a parser gives: OK with a value, BAD (malformed) or BIG (too large). */
#define OK	0
#define BAD	(-1)
#define BIG	(-2)
#define UNL	UNITS_UNLIMITED

/* An input and what it should give; want only when rc is OK. */
struct parse_case {
	const char	*in;
	int		 rc;
	long		 want;
};

/* Seconds. */
static const struct parse_case duration_cases[] = {
	{ "0",			OK,	0 },
	{ "45",			OK,	45 },
	{ "30s",		OK,	30 },
	{ "30S",		OK,	30 },
	{ "5m",			OK,	300 },
	{ "5M",			OK,	300 },		/* minutes, not months */
	{ "2h",			OK,	7200 },
	{ "1H",			OK,	3600 },
	{ "1d",			OK,	86400 },
	{ "1D",			OK,	86400 },
	{ "24855d",		OK,	2147472000 },
	{ "2147483647",		OK,	INT_MAX },
	{ "24856d",		BIG,	0 },
	{ "2147483648s",	BIG,	0 },
	{ "99999999999999999999",	BIG,	0 },
	{ "",			BAD,	0 },
	{ "s",			BAD,	0 },
	{ "5 min",		BAD,	0 },
	{ "5min",		BAD,	0 },
	{ "1h30m",		BAD,	0 },
	{ "-5s",		BAD,	0 },
	{ "+5s",		BAD,	0 },
	{ " 5s",		BAD,	0 },
	{ "5s ",		BAD,	0 },
	{ "1w",			BAD,	0 },
	{ "1.5h",		BAD,	0 },
};

/* Bytes (max_script_size): 1024-based units; a plain number is bytes. */
static const struct parse_case bytes_cases[] = {
	{ "1M",			OK,	1048576 },
	{ "512K",		OK,	524288 },
	{ "512k",		OK,	524288 },
	{ "1G",			OK,	1073741824 },
	{ "100",		OK,	100 },
	{ "2047M",		OK,	2146435072 },
	{ "2G",			BIG,	0 },
	{ "1T",			BAD,	0 },
	{ "1MB",		BAD,	0 },
	{ "",			BAD,	0 },
};

/* Megabytes; K rounds up to a whole MB. */
static const struct parse_case mem_cases[] = {
	{ "500",		OK,	500 },
	{ "500M",		OK,	500 },
	{ "500m",		OK,	500 },
	{ "16G",		OK,	16384 },
	{ "16g",		OK,	16384 },
	{ "1T",			OK,	1048576 },
	{ "512K",		OK,	1 },
	{ "1024K",		OK,	1 },
	{ "1025k",		OK,	2 },
	{ "0",			OK,	0 },
	{ "2047T",		OK,	2146435072 },
	{ "2048T",		BIG,	0 },
	{ "2097152G",		BIG,	0 },
	{ "99999999999999999999K",	BIG,	0 },
	{ "",			BAD,	0 },
	{ "G",			BAD,	0 },
	{ "2 gigs",		BAD,	0 },
	{ "2GB",		BAD,	0 },
	{ "1.5G",		BAD,	0 },
	{ "-1G",		BAD,	0 },
	{ "16P",		BAD,	0 },
};

/* Minutes, as sbatch --time reads them; seconds round up. */
static const struct parse_case time_cases[] = {
	{ "30",			OK,	30 },		/* MM */
	{ "0",			OK,	0 },
	{ "90",			OK,	90 },
	{ "1:30",		OK,	2 },		/* MM:SS */
	{ "0:01",		OK,	1 },
	{ "10:00",		OK,	10 },
	{ "120:59",		OK,	121 },
	{ "04:00:00",		OK,	240 },		/* HH:MM:SS */
	{ "1:00:01",		OK,	61 },
	{ "100:00:00",		OK,	6000 },
	{ "1-0",		OK,	1440 },		/* D-HH */
	{ "2-12",		OK,	3600 },
	{ "1-02:03",		OK,	1563 },		/* D-HH:MM */
	{ "1-02:03:04",		OK,	1564 },		/* D-HH:MM:SS */
	{ "0-00:00:00",		OK,	0 },
	{ "UNLIMITED",		OK,	UNL },
	{ "unlimited",		OK,	UNL },
	{ "INFINITE",		OK,	UNL },
	{ "Infinite",		OK,	UNL },
	{ "2147483647",		OK,	INT_MAX },
	{ "2147483648",		BIG,	0 },
	{ "99999999999999999999999",	BIG,	0 },
	{ "1491309-00",		BIG,	0 },
	{ "",			BAD,	0 },
	{ "UNLIMITED ",		BAD,	0 },
	{ "NEVER",		BAD,	0 },
	{ "4 hours",		BAD,	0 },
	{ "-1",			BAD,	0 },
	{ "+5",			BAD,	0 },
	{ " 5",			BAD,	0 },
	{ "5 ",			BAD,	0 },
	{ "1:60",		BAD,	0 },
	{ "1:60:00",		BAD,	0 },
	{ "1:00:60",		BAD,	0 },
	{ "1-24",		BAD,	0 },
	{ "1-00:60",		BAD,	0 },
	{ "1:2:3:4",		BAD,	0 },
	{ "1-",			BAD,	0 },
	{ "-5",			BAD,	0 },
	{ "1--2",		BAD,	0 },
	{ "1:",			BAD,	0 },
	{ ":30",		BAD,	0 },
	{ "1-2-3",		BAD,	0 },
	{ "1.5",		BAD,	0 },
};

/* sbatch --signal=[B:]SIG[@SECONDS]: the number, seconds, batch shell only. */
static const struct {
	const char	*in;
	int		 rc, num, secs, batch;
} signal_cases[] = {
	{ "USR1",		OK,	SIGUSR1, 60, 0 },
	{ "sigusr2@30",		OK,	SIGUSR2, 30, 0 },
	{ "SIGTERM",		OK,	SIGTERM, 60, 0 },
	{ "B:TERM@0",		OK,	SIGTERM, 0, 1 },
	{ "b:10@65535",		OK,	10, 65535, 1 },
	{ "64",			OK,	64, 60, 0 },
	{ "65",			BAD,	0, 0, 0 },
	{ "0",			BAD,	0, 0, 0 },
	{ "USR3",		BAD,	0, 0, 0 },
	{ "USR1@65536",		BAD,	0, 0, 0 },
	{ "USR1@",		BAD,	0, 0, 0 },
	{ "USR1@-1",		BAD,	0, 0, 0 },
	{ "@30",		BAD,	0, 0, 0 },
	{ "SIG",		BAD,	0, 0, 0 },
	{ "R:USR1",		BAD,	0, 0, 0 },	/* not supported */
	{ "USR1 ",		BAD,	0, 0, 0 },
	{ "",			BAD,	0, 0, 0 },
};

/* sbatch --mail-type: bits, or the first word it does not know. */
static const struct {
	const char	*in;
	int		 rc, bits;
	const char	*bad;
} mail_cases[] = {
	{ "END",		OK,	RES_MAIL_END, NULL },
	{ "begin,Fail",		OK,	RES_MAIL_BEGIN | RES_MAIL_FAIL, NULL },
	{ "NONE",		OK,	0, NULL },
	{ "TIME_LIMIT,TIME_LIMIT_50",	OK,
	    RES_MAIL_TIME100 | RES_MAIL_TIME50, NULL },
	{ "END,,FAIL",		BAD,	0, "" },
	{ "END,NEVER",		BAD,	0, "NEVER" },
	{ "END,",		BAD,	0, "" },
	{ "",			BAD,	0, "" },
};

static void
test_parser(const char *name, int (*parse)(const char *, long *),
    const struct parse_case *cases, size_t n)
{
	size_t	i;
	long	v;
	int	rc;

	for (i = 0; i < n; i++) {
		v = -12345;
		rc = parse(cases[i].in, &v);
		CHECK(rc == cases[i].rc, "%s('%s') returned %d, want %d", name,
		    cases[i].in, rc, cases[i].rc);
		if (cases[i].rc == OK) {
			CHECK(v == cases[i].want, "%s('%s') = %ld, want %ld",
			    name, cases[i].in, v, cases[i].want);
		} else {
			CHECK(v == -12345, "%s('%s') wrote %ld on failure",
			    name, cases[i].in, v);
		}
	}
	CHECK(parse(NULL, &v) == BAD, "%s(NULL) did not fail", name);
}

static void
test_signals(void)
{
	size_t	i;
	int	rc, num, secs, batch;

	for (i = 0; i < nitems(signal_cases); i++) {
		num = secs = batch = -7;
		rc = units_parse_signal(signal_cases[i].in, &num, &secs,
		    &batch);
		CHECK(rc == signal_cases[i].rc, "signal '%s' rc %d",
		    signal_cases[i].in, rc);
		if (rc == OK) {
			CHECK(num == signal_cases[i].num &&
			    secs == signal_cases[i].secs &&
			    batch == signal_cases[i].batch,
			    "signal '%s': %d %d %d", signal_cases[i].in, num,
			    secs, batch);
		} else
			CHECK(num == -7, "signal '%s' wrote on failure",
			    signal_cases[i].in);
	}
}

static void
test_mail_types(void)
{
	const char	*bad;
	size_t		 i, badlen;
	int		 rc, bits;

	for (i = 0; i < nitems(mail_cases); i++) {
		bits = -1;
		rc = units_parse_mail_type(mail_cases[i].in, &bits, &bad,
		    &badlen);
		CHECK(rc == mail_cases[i].rc, "mail '%s' rc %d",
		    mail_cases[i].in, rc);
		if (rc == OK)
			CHECK(bits == mail_cases[i].bits, "mail '%s' %#x",
			    mail_cases[i].in, bits);
		else
			CHECK(strlen(mail_cases[i].bad) == badlen &&
			    strncmp(bad, mail_cases[i].bad, badlen) == 0,
			    "mail '%s' bad '%.*s'", mail_cases[i].in,
			    (int)badlen, bad);
	}
}

int
main(void)
{
	test_parser("units_parse_duration", units_parse_duration,
	    duration_cases, nitems(duration_cases));
	test_parser("units_parse_bytes", units_parse_bytes, bytes_cases,
	    nitems(bytes_cases));
	test_parser("units_parse_memory", units_parse_memory, mem_cases,
	    nitems(mem_cases));
	test_parser("units_parse_time_limit", units_parse_time_limit,
	    time_cases, nitems(time_cases));
	test_signals();
	test_mail_types();
	return (unit_done());
}
