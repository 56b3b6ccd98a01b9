/* Text from users made safe to print: on a terminal, and as JSON. */

/*
 * Notes, labels, params, reasons and names come from users and jobs, and
 * end up on someone's terminal and in strict JSON readers.
 *
 * On a terminal, nothing a user wrote may act: every control character
 * (C0, DEL, and C1 written as UTF-8) is shown as a visible escape, and so
 * is every byte that is not part of valid UTF-8:
 *
 *	tab, line feed, carriage return	\t  \n  \r
 *	other C0 controls and DEL	\xHH  (ESC is \x1b)
 *	C1 controls U+0080..U+009F	\uHHHH (CSI is \u009b)
 *	a byte not in valid UTF-8	\xHH
 *
 * A backslash stays as it is: the escapes are for people to read, not a
 * format to parse back.
 *
 * Nothing here allocates or logs: log.c escapes through it.
 *
 * In JSON, every string is valid UTF-8: each byte that is not part of a
 * valid UTF-8 sequence (overlong forms, surrogates and code points above
 * U+10FFFF included) becomes U+FFFD, the replacement character, and
 * control characters are escaped as RFC 8259 asks.
 */

#include <stdlib.h>
#include <string.h>

#include "escape.h"

/*
 * The length of the valid UTF-8 sequence that starts at p (1 to 4), or 0
 * when p starts none (or is at the terminating NUL).
 */
size_t
escape_utf8_seq(const unsigned char *p)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (p[0] == 0)
		return (0);
	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return (0);
	if (p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (n);
}

/* The controls a terminal shows by name: \t, \n, \r. */
static const char	escape_named[] = "\t\n\r";
static const char	escape_names[] = "tnr";

/*
 * The next piece of s as a terminal shows it, into piece (at least 8
 * bytes, not NUL-terminated): its length. *used is how many bytes of s
 * it stands for.
 */
static size_t
escape_terminal_piece(const unsigned char *s, char *piece, size_t *used,
    int flags)
{
	const char	*c;
	size_t		 n;

	n = escape_utf8_seq(s);
	*used = n == 0 ? 1 : n;
	if (n > 1) {
		if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
			snprintf(piece, 8, "\\u%04x", s[1]);
			return (6);
		}
		memcpy(piece, s, n);
		return (n);
	}
	if (n == 1 && s[0] >= 0x20 && s[0] != 0x7f) {
		piece[0] = (char)s[0];
		return (1);
	}
	if (n == 1 && s[0] == '\n' && (flags & ESCAPE_KEEP_NEWLINE)) {
		piece[0] = '\n';
		return (1);
	}
	if (n == 1 && (c = strchr(escape_named, s[0])) != NULL) {
		piece[0] = '\\';
		piece[1] = escape_names[c - escape_named];
		return (2);
	}
	snprintf(piece, 8, "\\x%02x", s[0]);
	return (4);
}

/*
 * Write s as a terminal should show it into out (outlen bytes, always
 * NUL-terminated when outlen > 0, cut between pieces when too short), as
 * snprintf does: the length the whole of it needs.
 */
size_t
escape_terminal_buf(const char *s, char *out, size_t outlen, int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 piece[8];
	size_t			 n = 0, w = 0, k, used;

	while (*p != '\0') {
		k = escape_terminal_piece(p, piece, &used, flags);
		p += used;
		/* Once a piece did not fit, none after it is written. */
		if (w == n && n + k < outlen) {
			memcpy(out + w, piece, k);
			w += k;
		}
		n += k;
	}
	if (outlen > 0)
		out[w] = '\0';
	return (n);
}

/* Print s as a terminal should show it: the number of bytes printed. */
size_t
escape_terminal_write(FILE *f, const char *s, int flags)
{
	const unsigned char	*p = (const unsigned char *)s, *q;
	char			 piece[8];
	size_t			 n = 0, k, used;

	while (*p != '\0') {
		/* Printable ASCII in one go: most text is only that. */
		for (q = p; *q >= 0x20 && *q < 0x7f; q++)
			;
		if (q > p) {
			fwrite(p, 1, (size_t)(q - p), f);
			n += (size_t)(q - p);
			p = q;
			continue;
		}
		k = escape_terminal_piece(p, piece, &used, flags);
		fwrite(piece, 1, k, f);
		p += used;
		n += k;
	}
	return (n);
}

/* What JSON names in a string, and how; other controls are \\u00XX. */
static const char	 escape_json_from[] = "\"\\\n\t\r";
static const char	*escape_json_to[] = {
	"\\\"", "\\\\", "\\n", "\\t", "\\r"
};

/* A JSON string, escaped as RFC 8259 requires, in valid UTF-8; NULL is null. */
void
escape_json_string(FILE *f, const char *s)
{
	const unsigned char	*p, *q;
	const char		*c;
	size_t			 n;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		/* Write what needs no escape in one go. */
		for (q = p; *q >= 0x20 && *q < 0x80 && *q != '"' &&
		    *q != '\\'; q++)
			;
		if (q > p) {
			fwrite(p, 1, (size_t)(q - p), f);
			if (*q == '\0')
				break;
			p = q;
		}
		if (*p >= 0x80) {
			if ((n = escape_utf8_seq(p)) == 0)
				fputs("\xef\xbf\xbd", f);	/* U+FFFD */
			else {
				fwrite(p, 1, n, f);
				p += n - 1;
			}
			continue;
		}
		if ((c = strchr(escape_json_from, *p)) != NULL)
			fputs(escape_json_to[c - escape_json_from], f);
		else
			fprintf(f, "\\u%04x", *p);
	}
	fputc('"', f);
}

/* Print s with each byte that is not part of valid UTF-8 as U+FFFD. */
void
escape_utf8_write(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *q;
	size_t			 n;

	while (*p != '\0') {
		for (q = p; *q != '\0' && *q < 0x80; q++)
			;
		if (q > p) {
			fwrite(p, 1, (size_t)(q - p), f);
			p = q;
			continue;
		}
		if ((n = escape_utf8_seq(p)) == 0) {
			fputs("\xef\xbf\xbd", f);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
}
