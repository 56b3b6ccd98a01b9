/* What verbs print: JSON values and times. */

#include "output.h"

/* A JSON string, escaped as RFC 8259 requires; NULL is null. */
void
output_json_string(FILE *f, const char *s)
{
	const unsigned char	*p;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* An instant as an ISO-8601 string in UTC; 0 is null. */
void
output_json_time(FILE *f, int64_t t)
{
	char	buf[40];

	if (t == 0) {
		fputs("null", f);
		return;
	}
	tz_format(NULL, t, buf, sizeof buf);
	output_json_string(f, buf);
}

/* An instant for a table: ISO-8601 in UTC, or "-" for none. */
void
output_time(char *buf, size_t len, int64_t t)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		tz_format(NULL, t, buf, len);
}
