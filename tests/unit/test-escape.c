/* escape.c, table-driven: terminal escapes, JSON strings in valid UTF-8. */

#include <stdlib.h>

#include "escape.h"
#include "unit.h"
#include "updraft.h"

static const struct {
	const char	*in;
	const char	*terminal;	/* flags 0 */
	const char	*lines;		/* ESCAPE_KEEP_NEWLINE */
	const char	*json;
} escape_rows[] = {
	{ "plain text", "plain text", "plain text", "\"plain text\"" },
	{ "", "", "", "\"\"" },
	/* An attack: clear the screen, set the title, ring the bell. */
	{ "\033[2J\033]0;owned\007", "\\x1b[2J\\x1b]0;owned\\x07",
	    "\\x1b[2J\\x1b]0;owned\\x07",
	    "\"\\u001b[2J\\u001b]0;owned\\u0007\"" },
	{ "a\tb\nc\rd", "a\\tb\\nc\\rd", "a\\tb\nc\\rd",
	    "\"a\\tb\\nc\\rd\"" },
	{ "del\177", "del\\x7f", "del\\x7f", "\"del\177\"" },
	/* C1 CSI (U+009B) written as UTF-8. */
	{ "\302\2332J", "\\u009b2J", "\\u009b2J", "\"\302\2332J\"" },
	/* Valid UTF-8 stays: é, €, 😀. */
	{ "caf\303\251 \342\202\254 \360\237\230\200",
	    "caf\303\251 \342\202\254 \360\237\230\200",
	    "caf\303\251 \342\202\254 \360\237\230\200",
	    "\"caf\303\251 \342\202\254 \360\237\230\200\"" },
	/* Invalid: a lone continuation, Latin-1, a cut sequence. */
	{ "a\200b", "a\\x80b", "a\\x80b", "\"a\357\277\275b\"" },
	{ "caf\351", "caf\\xe9", "caf\\xe9", "\"caf\357\277\275\"" },
	{ "\342\202", "\\xe2\\x82", "\\xe2\\x82",
	    "\"\357\277\275\357\277\275\"" },
	/* Overlong '/', a surrogate, above U+10FFFF. */
	{ "\300\257", "\\xc0\\xaf", "\\xc0\\xaf",
	    "\"\357\277\275\357\277\275\"" },
	{ "\355\240\200", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80",
	    "\"\357\277\275\357\277\275\357\277\275\"" },
	{ "\364\220\200\200", "\\xf4\\x90\\x80\\x80",
	    "\\xf4\\x90\\x80\\x80",
	    "\"\357\277\275\357\277\275\357\277\275\357\277\275\"" },
	/* Quotes and backslashes: as they are on a terminal. */
	{ "say \"hi\" \\o/", "say \"hi\" \\o/", "say \"hi\" \\o/",
	    "\"say \\\"hi\\\" \\\\o/\"" },
};

/* What f wrote to a memory stream, allocated. */
static char *
escape_capture(void (*f)(FILE *, const char *), const char *s)
{
	FILE	*mf;
	char	*buf;
	size_t	 len;

	if ((mf = open_memstream(&buf, &len)) == NULL)
		abort();
	f(mf, s);
	fclose(mf);
	return (buf);
}

static void
escape_write_plain(FILE *f, const char *s)
{
	escape_terminal_write(f, s, 0);
}

static void
escape_write_lines(FILE *f, const char *s)
{
	escape_terminal_write(f, s, ESCAPE_KEEP_NEWLINE);
}

static void
test_escape(void)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof escape_rows / sizeof escape_rows[0]; i++) {
		got = escape_capture(escape_write_plain, escape_rows[i].in);
		CHECK_STR(got, escape_rows[i].terminal);
		CHECK(escape_terminal_buf(escape_rows[i].in, NULL, 0, 0) ==
		    strlen(escape_rows[i].terminal), "row %zu: length", i);
		free(got);
		got = escape_capture(escape_write_lines, escape_rows[i].in);
		CHECK_STR(got, escape_rows[i].lines);
		free(got);
		got = escape_capture(escape_json_string, escape_rows[i].in);
		CHECK_STR(got, escape_rows[i].json);
		free(got);
	}
	got = escape_capture(escape_json_string, NULL);
	CHECK_STR(got, "null");
	free(got);
}

/* A buffer too short is cut between pieces, never inside one. */
static void
test_escape_buf(void)
{
	char	buf[8];
	size_t	n;

	n = escape_terminal_buf("ab\033cd", buf, sizeof buf, 0);
	CHECK(n == 8, "needs %zu", n);
	CHECK_STR(buf, "ab\\x1bc");
	n = escape_terminal_buf("abcd\033", buf, 7, 0);
	CHECK(n == 8, "needs %zu", n);
	CHECK_STR(buf, "abcd");
	n = escape_terminal_buf("\303\251\303\251\303\251\303\251", buf,
	    sizeof buf, 0);
	CHECK(n == 8, "needs %zu", n);
	CHECK_STR(buf, "\303\251\303\251\303\251");
}

/* Raw JSON text (a stored object): only bad bytes are replaced. */
static void
test_escape_raw(void)
{
	char	*got;

	got = escape_capture(escape_utf8_write, "{\"l\": \"a\377b\"}");
	CHECK_STR(got, "{\"l\": \"a\357\277\275b\"}");
	free(got);
	got = escape_capture(escape_utf8_write, "{\"\303\251\": 1}");
	CHECK_STR(got, "{\"\303\251\": 1}");
	free(got);
}

int
main(void)
{
	test_escape();
	test_escape_buf();
	test_escape_raw();
	return (unit_done());
}
