/* Fuzz target: escape.c on any bytes, and what its output may hold. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is valid UTF-8 (escape_utf8_seq, checked by hand too). */
static void
fuzz_valid_utf8(const unsigned char *s)
{
	size_t	n;

	while (*s != '\0') {
		if ((n = escape_utf8_seq(s)) == 0)
			abort();
		if (n > 1 && (s[0] < 0xc2 || s[0] > 0xf4))
			abort();
		s += n;
	}
}

/*
 * The whole input is the text (an inner NUL ends it early). A terminal's
 * text holds no control character (a line feed only when kept) and is
 * valid UTF-8, and its length is what escape_terminal_buf says; a JSON
 * string is valid UTF-8 with no raw control character either.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*text, *out, *p;
	char		*json;
	size_t		 n, len;
	FILE		*f;
	int		 flags;

	if (size > 4096)
		return (0);
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	for (flags = 0; flags <= ESCAPE_KEEP_NEWLINE; flags++) {
		n = escape_terminal_buf((char *)text, NULL, 0, flags);
		if ((out = malloc(n + 1)) == NULL)
			abort();
		if (escape_terminal_buf((char *)text, (char *)out, n + 1,
		    flags) != n || strlen((char *)out) != n)
			abort();
		for (p = out; *p != '\0'; p++) {
			if ((*p < 0x20 && !(*p == '\n' &&
			    (flags & ESCAPE_KEEP_NEWLINE))) || *p == 0x7f)
				abort();
			if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
				abort();
		}
		fuzz_valid_utf8(out);
		free(out);
	}

	if ((f = open_memstream(&json, &len)) == NULL)
		abort();
	escape_json_string(f, (char *)text);
	if (fclose(f) != 0 || len < 2 || json[0] != '"' ||
	    json[len - 1] != '"')
		abort();
	for (p = (unsigned char *)json; *p != '\0'; p++) {
		if (*p < 0x20)
			abort();
	}
	fuzz_valid_utf8((unsigned char *)json);
	free(json);
	free(text);
	return (0);
}
