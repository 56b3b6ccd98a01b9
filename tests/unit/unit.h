/* A small harness for table-driven C unit tests: counts, reports, exits. */

#ifndef UNIT_H
#define UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_failed, unit_passed;

#define CHECK(cond, ...) do {						\
	if (cond)							\
		unit_passed++;						\
	else {								\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: check failed: %s: ",		\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	CHECK(g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0,	\
	    "got '%s', want '%s'", g_ ? g_ : "(null)",		\
	    w_ ? w_ : "(null)");					\
} while (0)

/* Print the tally in the form CI reads, and exit 0 only if all passed. */
static inline int
unit_done(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}

#endif
