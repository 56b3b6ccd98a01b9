/* Spelling suggestions: the known word nearest to a misspelt one. */

/*
 * Verbs, DAG ids, params, DAG file keys and configuration keys all suggest
 * through here, so one misspelling gets one answer wherever it is typed.
 */

#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "updraft.h"

/*
 * The optimal string alignment distance between a and b: insertions,
 * deletions, substitutions and swaps of two neighbours, each 1. Stops
 * counting at SUGGEST_MAX + 1, which is all a suggestion needs.
 */
size_t
suggest_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d, *row[3], *buf;

	if ((la > lb ? la - lb : lb - la) > SUGGEST_MAX)
		return (SUGGEST_MAX + 1);
	buf = xcalloc(3 * (lb + 1), sizeof *buf);
	for (i = 0; i < 3; i++)
		row[i] = buf + i * (lb + 1);
	for (j = 0; j <= lb; j++)
		row[1][j] = j;
	for (i = 1; i <= la; i++) {
		/* row[0] is i - 2, row[1] is i - 1, row[2] is i. */
		row[2][0] = i;
		for (j = 1; j <= lb; j++) {
			d = row[1][j - 1] + (a[i - 1] != b[j - 1]);
			if (row[1][j] + 1 < d)
				d = row[1][j] + 1;
			if (row[2][j - 1] + 1 < d)
				d = row[2][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && row[0][j - 2] + 1 < d)
				d = row[0][j - 2] + 1;
			row[2][j] = d;
		}
		memmove(row[0], row[1], (lb + 1) * sizeof *buf);
		memmove(row[1], row[2], (lb + 1) * sizeof *buf);
	}
	d = row[1][lb];
	free(buf);
	return (d > SUGGEST_MAX ? SUGGEST_MAX + 1 : d);
}

/* Start looking for the candidate nearest to name. */
void
suggest_init(struct suggest *s, const char *name)
{
	s->name = name;
	s->best = NULL;
	s->bestd = SUGGEST_MAX + 1;
}

/*
 * Weigh one candidate: s->best becomes the nearest so far within
 * SUGGEST_MAX edits, the first of equals. The name itself is no
 * suggestion.
 */
void
suggest_add(struct suggest *s, const char *cand)
{
	size_t	d;

	if (cand == NULL || strcmp(cand, s->name) == 0)
		return;
	if ((d = suggest_distance(s->name, cand)) < s->bestd) {
		s->best = cand;
		s->bestd = d;
	}
}

/* The word of known[0..n) nearest to name, within SUGGEST_MAX; or NULL. */
const char *
suggest_list(const char *name, const char *const *known, size_t n)
{
	struct suggest	s;
	size_t		i;

	suggest_init(&s, name);
	for (i = 0; i < n; i++)
		suggest_add(&s, known[i]);
	return (s.best);
}
