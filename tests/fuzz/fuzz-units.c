/* Fuzz target: every parser of units.c on the same text, and their bounds. */

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"
#include "units.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every mail type bit units_parse_mail_type can set. */
#define FUZZ_MAIL_BITS	0x3ff

/*
 * The whole input is the text, so a corpus file reads as one value. What a
 * parser accepts must be in its range, and a duration must read back the
 * same when written in seconds.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*bad;
	char		*text, again[32];
	size_t		 badlen;
	long		 v, w;
	int		 num, secs, batch, bits;

	if (size > 256)
		return (0);
	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';	/* an inner NUL ends it early */

	if (units_parse_duration(text, &v) == 0) {
		if (v < 0 || v > INT_MAX)
			abort();
		snprintf(again, sizeof again, "%lds", v);
		if (units_parse_duration(again, &w) != 0 || w != v)
			abort();
	}
	if (units_parse_memory(text, &v) == 0 && (v < 0 || v > INT_MAX))
		abort();
	if (units_parse_time_limit(text, &v) == 0 &&
	    v != UNITS_UNLIMITED && (v < 0 || v > INT_MAX))
		abort();
	if (units_parse_signal(text, &num, &secs, &batch) == 0 &&
	    (num < 1 || num > 64 || secs < 0 || secs > 65535 ||
	    (batch != 0 && batch != 1)))
		abort();
	if (units_parse_mail_type(text, &bits, &bad, &badlen) == 0) {
		if ((bits & ~FUZZ_MAIL_BITS) != 0)
			abort();
	} else if (bad < text || bad + badlen > text + strlen(text))
		abort();
	free(text);
	return (0);
}
