/* Trigger rules: when a task may run, from its upstream tasks' states. */

/*
 * Airflow's meanings. A task with no upstream task always runs. Under the
 * default all_success a skipped upstream skips the task, as Airflow
 * propagates skips; none_failed is the rule that runs through skips.
 */

#include <string.h>

#include "updraft.h"

static const char *trigger_names[] = {
	[TRIGGER_ALL_SUCCESS] = "all_success",
	[TRIGGER_ALL_FAILED] = "all_failed",
	[TRIGGER_ALL_DONE] = "all_done",
	[TRIGGER_ONE_SUCCESS] = "one_success",
	[TRIGGER_ONE_FAILED] = "one_failed",
	[TRIGGER_NONE_FAILED] = "none_failed",
	[TRIGGER_NONE_SKIPPED] = "none_skipped",
	[TRIGGER_ALWAYS] = "always",
};

/* The rule named s, or -1. */
int
trigger_rule_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof trigger_names / sizeof trigger_names[0]; i++) {
		if (strcmp(s, trigger_names[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
trigger_rule_name(int rule)
{
	if (rule < 0 || rule > TRIGGER_ALWAYS)
		return ("?");
	return (trigger_names[rule]);
}

/* What a waiting task under rule does, given its upstream tasks. */
enum trigger_decision
trigger_decide(int rule, const struct trigger_counts *c)
{
	int	all_done = c->done == c->total;

	if (c->total == 0 || rule == TRIGGER_ALWAYS)
		return (TRIGGER_RUN);
	switch (rule) {
	case TRIGGER_ALL_SUCCESS:
		if (c->failed > 0)
			return (TRIGGER_UPSTREAM_FAILED);
		if (c->skipped > 0)
			return (TRIGGER_SKIP);
		return (c->success == c->total ? TRIGGER_RUN : TRIGGER_WAIT);
	case TRIGGER_ALL_FAILED:
		if (c->success > 0 || c->skipped > 0)
			return (TRIGGER_SKIP);
		return (c->failed == c->total ? TRIGGER_RUN : TRIGGER_WAIT);
	case TRIGGER_ALL_DONE:
		return (all_done ? TRIGGER_RUN : TRIGGER_WAIT);
	case TRIGGER_ONE_SUCCESS:
		if (c->success > 0)
			return (TRIGGER_RUN);
		if (!all_done)
			return (TRIGGER_WAIT);
		return (c->skipped == c->total ? TRIGGER_SKIP :
		    TRIGGER_UPSTREAM_FAILED);
	case TRIGGER_ONE_FAILED:
		if (c->failed > 0)
			return (TRIGGER_RUN);
		return (all_done ? TRIGGER_SKIP : TRIGGER_WAIT);
	case TRIGGER_NONE_FAILED:
		if (c->failed > 0)
			return (TRIGGER_UPSTREAM_FAILED);
		return (all_done ? TRIGGER_RUN : TRIGGER_WAIT);
	case TRIGGER_NONE_SKIPPED:
		if (c->skipped > 0)
			return (TRIGGER_SKIP);
		return (all_done ? TRIGGER_RUN : TRIGGER_WAIT);
	}
	return (TRIGGER_WAIT);
}
