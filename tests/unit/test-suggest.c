/* Spelling suggestions: one distance and one choice for every caller. */

#include "suggest.h"
#include "unit.h"

static const struct {
	const char	*a, *b;
	size_t		 d;		/* capped at SUGGEST_MAX + 1 */
} distances[] = {
	{ "", "", 0 },
	{ "list", "list", 0 },
	{ "lsit", "list", 1 },		/* a swap of neighbours is one */
	{ "lis", "list", 1 },
	{ "lists", "list", 1 },
	{ "lost", "list", 1 },
	{ "slit", "list", 2 },
	{ "tsil", "list", 3 },
	{ "l", "list", 3 },		/* lengths too far apart */
	{ "", "abc", 3 },
	{ "comand", "command", 1 },
	/* Long keys too (dagfile.c stopped at 32 characters). */
	{ "a_rather_long_key_name_of_forty_chars_x", "a_rather_long_key_name_"
	    "of_forty_chars_y", 1 },
};

static const char *const keys[] = {
	"schedule", "start_date", "catchup", "max_active_runs", "tasks",
};

static const struct {
	const char	*name;
	const char	*want;		/* NULL: nothing near */
} lists[] = {
	{ "sheduel", "schedule" },
	{ "catchpu", "catchup" },
	{ "task", "tasks" },
	{ "colour", NULL },
	{ "schedule", NULL },		/* the name itself is no suggestion */
};

int
main(void)
{
	struct suggest	s;
	size_t		i;

	for (i = 0; i < sizeof distances / sizeof distances[0]; i++) {
		CHECK(suggest_distance(distances[i].a, distances[i].b) ==
		    distances[i].d, "'%s' '%s': %zu, want %zu", distances[i].a,
		    distances[i].b, suggest_distance(distances[i].a,
		    distances[i].b), distances[i].d);
		CHECK(suggest_distance(distances[i].b, distances[i].a) ==
		    distances[i].d, "'%s' '%s' is not symmetric",
		    distances[i].a, distances[i].b);
	}
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		if (lists[i].want == NULL)
			CHECK(suggest_list(lists[i].name, keys, 5) == NULL,
			    "'%s' got '%s'", lists[i].name,
			    suggest_list(lists[i].name, keys, 5));
		else
			CHECK_STR(suggest_list(lists[i].name, keys, 5),
			    lists[i].want);
	}
	/* The first of equals wins. */
	suggest_init(&s, "cat");
	suggest_add(&s, "bat");
	suggest_add(&s, "hat");
	suggest_add(&s, NULL);
	CHECK_STR(s.best, "bat");
	suggest_add(&s, "cart");
	CHECK_STR(s.best, "bat");
	return (unit_done());
}
