/* GRES request strings (--gres), checked with sbatch's grammar. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "updraft.h"
#include "gres.h"

/*
 * Whether s is a count as Slurm reads one: digits, then an optional size
 * suffix (k, m, g, t, p, each also as KiB or KB...), any case.
 */
static int
gres_count(const char *s, size_t len)
{
	static const char *const suffixes[] = { "", "k", "kib", "kb", "m",
	    "mib", "mb", "g", "gib", "gb", "t", "tib", "tb", "p", "pib", "pb",
	    NULL };
	size_t	i, n;

	for (n = 0; n < len && isdigit((unsigned char)s[n]); n++)
		;
	if (n == 0)
		return (0);
	for (i = 0; suffixes[i] != NULL; i++) {
		if (strlen(suffixes[i]) == len - n &&
		    strncasecmp(s + n, suffixes[i], len - n) == 0)
			return (1);
	}
	return (0);
}

/* Whether s (len bytes) is a GRES name or type: letters, digits, _ . -. */
static int
gres_word(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && strchr("_.-", s[i]) ==
		    NULL)
			return (0);
	}
	return (1);
}

/*
 * Check one element, "[gres:]NAME[:TYPE][:COUNT]". Slurm reads it from the
 * right: what follows the last ':' is the count if it is a number, else
 * the type (count 1); what is left may hold one more ':', before the type,
 * and then only if no type was found already ("gpu:2:a100" is refused).
 */
static int
gres_element(const char *e, size_t len, char **cause)
{
	const char	*last, *first, *end = e + len;

	if (len > 5 && (strncmp(e, "gres:", 5) == 0 ||
	    strncmp(e, "gres/", 5) == 0)) {
		e += 5;
		len -= 5;
	}
	last = memrchr(e, ':', len);
	first = memchr(e, ':', len);
	if (last == NULL) {
		if (gres_word(e, len) && !isdigit((unsigned char)*e))
			return (0);
		goto bad;
	}
	if (last + 1 == end)
		goto bad;		/* "gpu:" */
	if (first == last) {
		/* NAME:COUNT or NAME:TYPE */
		if (gres_word(e, first - e) && !isdigit((unsigned char)*e) &&
		    (gres_count(last + 1, end - last - 1) ||
		    gres_word(last + 1, end - last - 1)))
			return (0);
		goto bad;
	}
	/* NAME:TYPE:COUNT: the last must be a count, the middle a type. */
	if (memchr(first + 1, ':', last - first - 1) == NULL &&
	    gres_word(e, first - e) && !isdigit((unsigned char)*e) &&
	    gres_word(first + 1, last - first - 1) &&
	    gres_count(last + 1, end - last - 1))
		return (0);
bad:
	xasprintf(cause, "bad gres element '%.*s': expected " GRES_HINT,
	    (int)len, e);
	return (-1);
}

/*
 * Check a --gres list: elements separated by ',', each as gres_element
 * reads it. 0, or -1 with the first bad element in *cause.
 */
int
gres_check(const char *list, char **cause)
{
	const char	*p = list;
	size_t		 len;

	if (*list == '\0') {
		xasprintf(cause, "empty gres: expected " GRES_HINT);
		return (-1);
	}
	for (;;) {
		len = strcspn(p, ",");
		if (len == 0 && (p[len] == ',' || p == list)) {
			xasprintf(cause, "empty element in gres '%s'", list);
			return (-1);
		}
		if (len != 0 && gres_element(p, len, cause) != 0)
			return (-1);
		if (p[len] == '\0')
			return (0);
		p += len + 1;
	}
}
