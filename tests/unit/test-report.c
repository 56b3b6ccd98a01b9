/* The report's text: HTML escapes, UTF-8 repair, URL parts, spans of time. */

#include <stdlib.h>

#include "report.h"
#include "unit.h"

#define FFFD	"\xef\xbf\xbd"

/* Input (len bytes; -1: a string) and the HTML text it must become. */
static const struct {
	const char	*in;
	int		 len;
	const char	*want;
} texts[] = {
	{ "plain text", -1, "plain text" },
	{ "<script>alert(1)</script>", -1,
	  "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "a & b \"c\" 'd'", -1, "a &amp; b &quot;c&quot; &#39;d&#39;" },
	{ "tab\tand\nnewline", -1, "tab\tand\nnewline" },
	{ "crlf\r\nline", -1, "crlf\nline" },
	{ "progress 10%\rprogress 20%", -1, "progress 10%\nprogress 20%" },
	{ "ends with cr\r", -1, "ends with cr\n" },
	{ "bell\a esc\033[31m del\177", -1,
	  "bell" FFFD " esc" FFFD "[31m del" FFFD },
	{ "nul\0byte", 8, "nul" FFFD "byte" },
	/* Valid UTF-8 stays: 2, 3 and 4 bytes. */
	{ "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x9a\x80", -1,
	  "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x9a\x80" },
	/* A C1 control is valid UTF-8 but a control. */
	{ "c1 \xc2\x85 here", -1, "c1 " FFFD " here" },
	{ "not c1 \xc2\xa0", -1, "not c1 \xc2\xa0" },
	/* Bytes that are not UTF-8: each a U+FFFD. */
	{ "latin1 caf\xe9!", -1, "latin1 caf" FFFD "!" },
	{ "\xff\xfe", -1, FFFD FFFD },
	{ "lone \x80 continuation", -1, "lone " FFFD " continuation" },
	{ "overlong \xc0\xaf", -1, "overlong " FFFD FFFD },
	{ "overlong3 \xe0\x80\xaf", -1, "overlong3 " FFFD FFFD FFFD },
	{ "surrogate \xed\xa0\x80", -1, "surrogate " FFFD FFFD FFFD },
	{ "too big \xf4\x90\x80\x80", -1, "too big " FFFD FFFD FFFD FFFD },
	{ "cut \xe2\x86", -1, "cut " FFFD FFFD },
	{ "", -1, "" },
};

/* What f holds, as a string to free. */
static char *
unit_take(FILE *f, char **buf)
{
	fclose(f);
	return (*buf);
}

int
main(void)
{
	static const struct {
		int64_t		 secs;
		const char	*want;
	} spans[] = {
		{ -5, "0s" }, { 0, "0s" }, { 59, "59s" }, { 60, "1m00s" },
		{ 185, "3m05s" }, { 3600, "1h00m" }, { 7810, "2h10m" },
		{ 86400, "1d00h" }, { 367200, "4d06h" },
	};
	char	*buf, *got, span[32];
	size_t	 size, i;
	FILE	*f;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		f = open_memstream(&buf, &size);
		if (texts[i].len < 0)
			report_text(f, texts[i].in);
		else
			report_text_len(f, texts[i].in, texts[i].len);
		got = unit_take(f, &buf);
		CHECK_STR(got, texts[i].want);
		free(got);
	}

	f = open_memstream(&buf, &size);
	report_text(f, NULL);
	got = unit_take(f, &buf);
	CHECK_STR(got, "");
	free(got);

	f = open_memstream(&buf, &size);
	report_url(f, "t9900_train/scheduled__2026-11-01T00:00:00+00:00 \"<x>");
	got = unit_take(f, &buf);
	CHECK_STR(got, "t9900_train%2Fscheduled__2026-11-01T00:00:00"
	    "%2B00:00%20%22%3Cx%3E");
	free(got);

	f = open_memstream(&buf, &size);
	report_time(f, 1762041600);
	fputc(' ', f);
	report_time(f, 0);
	got = unit_take(f, &buf);
	CHECK_STR(got, "2025-11-02 00:00:00 -");
	free(got);

	for (i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		report_span(span, sizeof span, spans[i].secs);
		CHECK_STR(span, spans[i].want);
	}

	CHECK_STR(report_state("upstream_failed"), "upstream_failed");
	CHECK_STR(report_state("\" onmouseover=\"x"), "unknown");
	CHECK_STR(report_state(NULL), "blank");
	CHECK(report_text_width("caf\xc3\xa9") == 4, "width of café");
	return (unit_done());
}
