/* Text made safe for the report's page: HTML escapes, valid UTF-8, URLs. */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "state.h"

#define REPORT_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * The length of the UTF-8 sequence at s (at most len bytes), or 0 if it is
 * not a valid one: overlong forms, surrogates and code points past
 * U+10FFFF are not (RFC 3629).
 */
static size_t
report_text_utf8(const unsigned char *s, size_t len)
{
	size_t		n, i;
	unsigned int	cp;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

/*
 * Write len bytes of s as HTML text, fit for an element or a quoted
 * attribute: & < > " ' as references, every byte that is not valid UTF-8
 * and every control character (C0, DEL, C1) but tab and newline as
 * U+FFFD; a carriage return ends a line unless a newline follows it.
 */
void
report_text_len(FILE *f, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len) {
		switch (p[i]) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\t':
		case '\n':
			fputc(p[i], f);
			break;
		case '\r':
			if (i + 1 == len || p[i + 1] != '\n')
				fputc('\n', f);
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f) {
				fputs(REPORT_REPLACEMENT, f);
				break;
			}
			if ((n = report_text_utf8(p + i, len - i)) == 0) {
				fputs(REPORT_REPLACEMENT, f);
				break;
			}
			/* C1 controls are valid UTF-8, but controls. */
			if (n == 2 && p[i] == 0xc2 && p[i + 1] <= 0x9f)
				fputs(REPORT_REPLACEMENT, f);
			else
				fwrite(p + i, 1, n, f);
			i += n;
			continue;
		}
		i++;
	}
}

/* The same for a string; NULL writes nothing. */
void
report_text(FILE *f, const char *s)
{
	if (s != NULL)
		report_text_len(f, s, strlen(s));
}

/*
 * Write s as part of a URL's fragment: every byte but letters, digits and
 * "-._~:" percent-encoded, so that it is safe in an attribute as it is.
 */
void
report_url(FILE *f, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~:", *p) != NULL)
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

/* A state as the page's classes name it: one we know, or "unknown". */
const char *
report_state(const char *state)
{
	const struct state	*s;

	if (state == NULL)
		return ("blank");
	if ((s = state_find(state)) == NULL)
		return ("unknown");
	return (s->name);
}

/* An instant as the page shows it, in UTC: 2026-11-01 05:00:00. */
void
report_time(FILE *f, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		buf[32];

	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		fputs("-", f);
		return;
	}
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	fputs(buf, f);
}

/*
 * A length of time in its two largest units: 45s, 3m05s, 2h10m, 4d06h.
 */
void
report_span(char *buf, size_t len, int64_t secs)
{
	if (secs < 0)
		secs = 0;
	if (secs < 60)
		snprintf(buf, len, "%llds", (long long)secs);
	else if (secs < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(secs / 60),
		    (long long)(secs % 60));
	else if (secs < 86400)
		snprintf(buf, len, "%lldh%02lldm", (long long)(secs / 3600),
		    (long long)(secs % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%02lldh", (long long)(secs / 86400),
		    (long long)(secs % 86400 / 3600));
}

/* How many characters s shows: its bytes less UTF-8's continuations. */
int
report_text_width(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}
