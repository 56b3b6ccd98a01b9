/* Fuzz target: schedule_parse, then a few schedule_next steps in a zone. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Zones with odd rules: half hours, DST at midnight, a skipped day. */
static const char *const fuzz_zones[] = {
	"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
	"Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Apia",
	"Pacific/Chatham", "America/St_Johns", "Africa/Casablanca",
};

/* Instants to start from: the edges of time, DST changes, the epoch. */
static const int64_t fuzz_starts[] = {
	0,				/* 1970-01-01 */
	-62135596800LL,			/* 0001-01-01, the first instant */
	253402300000LL,			/* late on 9999-12-31 */
	1774746000LL - 1,		/* just before 2026-03-29T01:00Z */
	1792890000LL - 1800,		/* Berlin's 2026 fall-back hour */
	1325239200LL,			/* Apia's missing 2011-12-30 */
	2147483647LL,			/* 2038 */
	4102444800LL,			/* 2100, not a leap year */
};

/* The zones, loaded once and kept; NULL is UTC without a zone. */
static struct tz	*fuzz_tz[nitems(fuzz_zones)];
static int		 fuzz_loaded;

static void
fuzz_load_zones(void)
{
	char	*cause;
	size_t	 i;

	for (i = 0; i < nitems(fuzz_zones); i++) {
		if ((fuzz_tz[i] = tz_load(fuzz_zones[i], &cause)) == NULL)
			free(cause);	/* a missing zone reads as UTC */
	}
	fuzz_loaded = 1;
}

/*
 * The whole input is the expression, so a corpus file reads as one; the
 * zone and the start come from a checksum of it. Ticks must go forward.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct schedule	*s;
	const struct tz	*tz;
	char		*text, *cause;
	uint32_t	 sum = 0;
	int64_t		 after, tick, anchor;
	size_t		 i;
	int		 n;

	if (size > 4096)
		return (0);
	if (!fuzz_loaded)
		fuzz_load_zones();
	for (i = 0; i < size; i++)
		sum = sum * 31 + data[i];
	text = xstrndup((const char *)data, size);	/* stops at a NUL */
	tz = fuzz_tz[sum % nitems(fuzz_tz)];
	if ((s = schedule_parse(text, tz, &cause)) == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();	/* every failure says why */
		free(cause);
		free(text);
		return (0);
	}
	after = fuzz_starts[(sum >> 8) % nitems(fuzz_starts)];
	anchor = after - (int64_t)(sum >> 16) * 60;
	for (n = 0; n < 16; n++) {
		if (!schedule_next(s, anchor, after, &tick))
			break;
		if (tick <= after)
			abort();	/* "strictly after" was broken */
		after = tick;
	}
	schedule_free(s);
	free(text);
	return (0);
}
