/* The keys of a task and of the defaults, read into a struct task. */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dagfile-int.h"
#include "gres.h"
#include "notify.h"
#include "template.h"
#include "units.h"

static void
dagfile_after(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct task *t)
{
	const config_setting_t	*e;
	const char		*v;
	int			 i, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if ((v = config_setting_get_string(s)) == NULL)
			v = "";
		t->after = xreallocarray(NULL, 1, sizeof *t->after);
		t->after[t->nafter++] = xstrdup(v);
		return;
	}
	if (config_setting_type(s) != CONFIG_TYPE_LIST &&
	    config_setting_type(s) != CONFIG_TYPE_ARRAY) {
		dagfile_error(ctx, dagfile_line(s),
		    "%s'after' must be a string or a list of strings", prefix);
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (e == NULL || config_setting_type(e) != CONFIG_TYPE_STRING) {
			dagfile_error(ctx, dagfile_line(s),
			    "%s'after' must be a string or a list of strings",
			    prefix);
			return;
		}
	}
	if (n == 0)
		return;
	t->after = xreallocarray(NULL, n, sizeof *t->after);
	for (i = 0; i < n; i++) {
		v = config_setting_get_string(config_setting_get_elem(s, i));
		t->after[t->nafter++] = xstrdup(v != NULL ? v : "");
	}
}

/* Report what is wrong with the templates in str, a value of what. */
static int
dagfile_templates(struct dagfile_ctx *ctx, int line, const char *prefix,
    const char *str, const char *what)
{
	char	*cause;

	if (template_check(str, &cause) == 0)
		return (0);
	dagfile_error(ctx, line, "%s%s in %s", prefix, cause, what);
	free(cause);
	return (-1);
}

/* Return 1 if s is a valid environment variable name. */
static int
dagfile_valid_env_name(const char *s)
{
	const char	*p;

	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_')
			continue;
		return (0);
	}
	return (1);
}

/* Set name to value in an env list, replacing a value it has. */
static void
dagfile_env_set(struct task_env **env, size_t *n, const char *name,
    const char *value)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*env)[i].name, name) == 0) {
			free((*env)[i].value);
			(*env)[i].value = xstrdup(value);
			return;
		}
	}
	*env = xreallocarray(*env, *n + 1, sizeof **env);
	(*env)[*n].name = xstrdup(name);
	(*env)[*n].value = xstrdup(value);
	(*n)++;
}

/* Read an env group (the top level's or a task's) into a list. */
void
dagfile_env(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct task_env **env, size_t *nenv)
{
	const config_setting_t	*e;
	const char		*name, *value;
	char			*what;
	int			 i, n, line;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		dagfile_error(ctx, dagfile_line(s), "%s'env' must be a group: "
		    "env = { NAME = \"value\"; }", prefix);
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((e = dagfile_member(s, i, &name)) == NULL)
			continue;
		line = dagfile_line(e);
		if (!dagfile_valid_env_name(name)) {
			dagfile_error(ctx, line, "%senv: invalid variable name "
			    "'%s': use letters, digits and '_'", prefix, name);
			continue;
		}
		if (strncmp(name, "UPDRAFT_", 8) == 0 ||
		    strncmp(name, "SLURM_", 6) == 0) {
			dagfile_error(ctx, line, "%senv: '%s' is reserved: "
			    "names starting with UPDRAFT_ or SLURM_ are set by "
			    "updraft and Slurm", prefix, name);
			continue;
		}
		if (config_setting_type(e) != CONFIG_TYPE_STRING ||
		    (value = config_setting_get_string(e)) == NULL) {
			dagfile_error(ctx, line, "%senv: '%s' must be a string",
			    prefix, name);
			continue;
		}
		xasprintf(&what, "env '%s'", name);
		if (dagfile_templates(ctx, line, prefix, value, what) == 0)
			dagfile_env_set(env, nenv, name, value);
		free(what);
	}
}

/*
 * The value of member i of an inputs or outputs group (what), a string
 * whose name makes a variable name; NULL after saying what is wrong.
 */
static const char *
dagfile_io_member(struct dagfile_ctx *ctx, const char *prefix,
    const char *what, const config_setting_t *s, int i, const char **name)
{
	const config_setting_t	*e;
	const char		*value;

	e = config_setting_get_elem(s, i);
	if (e == NULL || (*name = config_setting_name(e)) == NULL)
		return (NULL);
	if (!taskio_valid_name(*name)) {
		dagfile_error(ctx, dagfile_line(e), "%s%ss: invalid name '%s': "
		    "use a letter, then letters, digits and '_'", prefix, what,
		    *name);
		return (NULL);
	}
	if (config_setting_type(e) != CONFIG_TYPE_STRING ||
	    (value = config_setting_get_string(e)) == NULL) {
		dagfile_error(ctx, dagfile_line(e), "%s%s '%s' must be a %s",
		    prefix, what, *name, strcmp(what, "input") == 0 ?
		    "string" : "path");
		return (NULL);
	}
	return (value);
}

/* Read a task's inputs: NAME = "DAG:TASK:OUTPUT[@latest|@DATE]". */
static void
dagfile_inputs(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct task *t)
{
	const char		*name, *value;
	struct task_input	 in;
	char			*cause;
	int			 i, n;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		dagfile_error(ctx, dagfile_line(s), "%s'inputs' must be a "
		    "group: inputs = { model = \"dag:task:output\"; }", prefix);
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		value = dagfile_io_member(ctx, prefix, "input", s, i, &name);
		if (value == NULL)
			continue;
		if (taskio_parse_input(name, value, ctx->dag->tz, &in,
		    &cause) != 0) {
			dagfile_error(ctx, dagfile_line(config_setting_get_elem(
			    s, i)), "%s%s", prefix, cause);
			free(cause);
			continue;
		}
		in.line = dagfile_line(config_setting_get_elem(s, i));
		t->inputs = xreallocarray(t->inputs, t->ninputs + 1,
		    sizeof *t->inputs);
		t->inputs[t->ninputs++] = in;
	}
}

/* Read a task's declared outputs: NAME = "path with {{ templates }}". */
static void
dagfile_outputs(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct task *t)
{
	const char	*name, *value;
	char		*what;
	int		 i, n;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		dagfile_error(ctx, dagfile_line(s), "%s'outputs' must be a "
		    "group: outputs = { model = \"/path/{{ ds }}/model.pt\"; }",
		    prefix);
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		value = dagfile_io_member(ctx, prefix, "output", s, i, &name);
		if (value == NULL)
			continue;
		if (*value == '\0') {
			dagfile_error(ctx, dagfile_line(config_setting_get_elem(
			    s, i)), "%soutput '%s' must be a path", prefix,
			    name);
			continue;
		}
		xasprintf(&what, "output '%s'", name);
		if (dagfile_templates(ctx, dagfile_line(config_setting_get_elem(
		    s, i)), prefix, value, what) == 0) {
			t->outputs = xreallocarray(t->outputs, t->noutputs + 1,
			    sizeof *t->outputs);
			t->outputs[t->noutputs].name = xstrdup(name);
			t->outputs[t->noutputs++].path = xstrdup(value);
		}
		free(what);
	}
}

/* Read a list of module names. */
static int
dagfile_modules(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, char ***out)
{
	const config_setting_t	*e;
	const char		*v;
	char			**list;
	int			 i, n, line = dagfile_line(s);

	if (config_setting_type(s) != CONFIG_TYPE_LIST &&
	    config_setting_type(s) != CONFIG_TYPE_ARRAY) {
		dagfile_error(ctx, line, "%s'modules' must be a list of "
		    "strings: modules = [\"cuda/12.2\"]", prefix);
		return (-1);
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (e == NULL || config_setting_type(e) != CONFIG_TYPE_STRING ||
		    (v = config_setting_get_string(e)) == NULL) {
			dagfile_error(ctx, line, "%s'modules' must be a list "
			    "of strings: modules = [\"cuda/12.2\"]", prefix);
			return (-1);
		}
		if (*v == '\0' || strpbrk(v, " \t\n\r\f\v") != NULL) {
			dagfile_error(ctx, line, "%sbad module name '%s': it "
			    "must not be empty or contain white space", prefix,
			    v);
			return (-1);
		}
	}
	list = xcalloc(n + 1, sizeof *list);
	for (i = 0; i < n; i++) {
		v = config_setting_get_string(config_setting_get_elem(s, i));
		list[i] = xstrdup(v);
	}
	*out = list;
	return (0);
}

/* Read notify's channels, each one updraft.conf names. */
static int
dagfile_notify_channels(struct dagfile_ctx *ctx, const char *prefix,
    int line, const config_setting_t *list, struct notify_spec *spec)
{
	const char	*v;
	int		 i, n = config_setting_length(list);

	spec->channels = xcalloc(n + 1, sizeof *spec->channels);
	for (i = 0; i < n; i++) {
		v = config_setting_get_string(config_setting_get_elem(list, i));
		if (v == NULL) {
			dagfile_error(ctx, line, "%s'notify': channels must be "
			    "strings", prefix);
			return (-1);
		}
		if (ctx->cfg != NULL && !notify_channel_known(ctx->cfg, v)) {
			dagfile_error(ctx, line, "%s'notify': no channel '%s' "
			    "in updraft.conf", prefix, v);
			return (-1);
		}
		spec->channels[i] = xstrdup(v);
	}
	return (0);
}

/* Read notify's events into spec->events. */
static int
dagfile_notify_events(struct dagfile_ctx *ctx, const char *prefix, int line,
    const config_setting_t *ev, struct notify_spec *spec)
{
	const char	*v;
	int		 i, n = config_setting_length(ev), bit;

	if (n == 0) {
		dagfile_error(ctx, line, "%s'notify': 'events' must be a list "
		    "of events", prefix);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		v = config_setting_get_string(config_setting_get_elem(ev, i));
		bit = v != NULL ? notify_event_bit(v) : 0;
		if (v != NULL && strcmp(v, "all") == 0)
			bit = NOTIFY_DAG_EVENTS;
		if ((bit & NOTIFY_DAG_EVENTS) == 0) {
			dagfile_error(ctx, line, "%s'notify': unknown event "
			    "'%s' (known: task_failed, task_retry, run_failed, "
			    "run_success, sla_miss, dag_paused, all)", prefix,
			    v != NULL ? v : "?");
			return (-1);
		}
		spec->events |= bit;
	}
	return (0);
}

/*
 * Read a 'notify' key (the DAG's or a task's): a list of site channels, or
 * { channels = [...]; events = [...]; }. -1 after an error.
 */
int
dagfile_notify(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct notify_spec *spec)
{
	const config_setting_t	*list = s, *ev;
	const char		*v;
	int			 i, n, line = dagfile_line(s);

	notify_spec_free(spec);
	ev = NULL;
	if (config_setting_type(s) == CONFIG_TYPE_GROUP) {
		list = config_setting_get_member(s, "channels");
		ev = config_setting_get_member(s, "events");
		n = config_setting_length(s);
		for (i = 0; i < n; i++) {
			v = config_setting_name(config_setting_get_elem(s, i));
			if (strcmp(v, "channels") != 0 &&
			    strcmp(v, "events") != 0) {
				dagfile_error(ctx, line, "%s'notify': unknown "
				    "key '%s' (known: channels, events)",
				    prefix, v);
				return (-1);
			}
		}
	}
	if (list != NULL && config_setting_type(list) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(list) != CONFIG_TYPE_LIST) {
		dagfile_error(ctx, line, "%s'notify' must be a list of channels "
		    "or { channels = [...]; events = [...]; }", prefix);
		return (-1);
	}
	if (list != NULL &&
	    dagfile_notify_channels(ctx, prefix, line, list, spec) != 0)
		return (-1);
	if (ev != NULL &&
	    dagfile_notify_events(ctx, prefix, line, ev, spec) != 0)
		return (-1);
	return (0);
}

/*
 * Return a string key's value if it is not empty (and its templates are
 * good, when it may hold any), or NULL after reporting why.
 */
static const char *
dagfile_nonempty(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, int templates)
{
	const char	*str, *name = config_setting_name(s);
	char		*what;
	int		 line = dagfile_line(s), rc = 0;

	if ((str = dagfile_string(ctx, prefix, s)) == NULL)
		return (NULL);
	if (*str == '\0') {
		dagfile_error(ctx, line, "%s'%s' must not be empty", prefix,
		    name);
		return (NULL);
	}
	if (templates) {
		xasprintf(&what, "'%s'", name);
		rc = dagfile_templates(ctx, line, prefix, str, what);
		free(what);
	}
	return (rc == 0 ? str : NULL);
}

/* Read an integer key (count or nice) into its int field. */
static int
dagfile_key_int(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, enum dagfile_kind kind, int *field)
{
	long long	min = 0, max = INT_MAX, ll;

	if (kind == DK_COUNT1)
		min = 1;
	else if (kind == DK_NICE) {
		min = -DAGFILE_NICE_MAX;
		max = DAGFILE_NICE_MAX;
	}
	if (dagfile_int(ctx, prefix, s, min, max, &ll) != 0)
		return (-1);
	*field = (int)ll;
	return (0);
}

/*
 * Read a value given as a string (through parse) or an integer (taken as
 * is) into *out, reporting problems as "what". Zero is allowed if allow0.
 */
static int
dagfile_measure(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, int (*parse)(const char *, long *),
    const char *what, const char *expected, int allow0, long *out)
{
	const char	*name = config_setting_name(s), *str;
	long long	 ll;
	long		 v;
	int		 line = dagfile_line(s), rc;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
		if (str == NULL)
			str = "";
		rc = parse(str, &v);
		if (rc == -1) {
			dagfile_error(ctx, line, "%sbad %s '%s': expected %s",
			    prefix, what, str, expected);
			return (-1);
		}
		if (rc == -2) {
			dagfile_error(ctx, line, "%sbad %s '%s': too large",
			    prefix, what, str);
			return (-1);
		}
	} else if (dagfile_integer(s, &ll) == 0) {
		if (dagfile_range(ctx, line, prefix, name, ll, 0, INT_MAX) != 0)
			return (-1);
		v = ll;
	} else {
		dagfile_error(ctx, line,
		    "%s'%s' must be a string or an integer", prefix, name);
		return (-1);
	}
	if (v == 0 && !allow0) {
		dagfile_error(ctx, line, "%s'%s' must be more than zero",
		    prefix, name);
		return (-1);
	}
	*out = v;
	return (0);
}

/* Read a time limit, memory size or duration into its long field. */
static int
dagfile_key_measure(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, enum dagfile_kind kind, long *field)
{
	switch (kind) {
	case DK_TIME:
		return (dagfile_measure(ctx, prefix, s, units_parse_time_limit,
		    "time limit", UNITS_TIME_HINT, 0, field));
	case DK_MEM:
		return (dagfile_measure(ctx, prefix, s, units_parse_memory,
		    "memory size", UNITS_MEM_HINT, 0, field));
	default:
		return (dagfile_measure(ctx, prefix, s, units_parse_duration,
		    "duration", UNITS_DURATION_HINT, 1, field));
	}
}

/* Read a true or false key into its int field. */
static int
dagfile_key_bool(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, int *field)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		dagfile_error(ctx, dagfile_line(s), "%s'%s' must be true or "
		    "false", prefix, config_setting_name(s));
		return (-1);
	}
	*field = config_setting_get_bool(s) != 0;
	return (0);
}

/* Read trigger_rule into its int field. */
static int
dagfile_key_trigger(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, int *field)
{
	const char	*str;
	int		 rc;

	if ((str = dagfile_string(ctx, prefix, s)) == NULL)
		return (-1);
	if ((rc = trigger_rule_parse(str)) < 0) {
		dagfile_error(ctx, dagfile_line(s), "%sbad trigger_rule '%s': "
		    "expected %s", prefix, str, TRIGGER_RULE_NAMES);
		return (-1);
	}
	*field = rc;
	return (0);
}

/* Read a key whose value is text: a string, or what is spelled as one. */
static int
dagfile_key_text(struct dagfile_ctx *ctx, const char *prefix, size_t k,
    const config_setting_t *s, struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[k];
	const char			*str;
	char				*field = (char *)&spec->t + key->off;

	switch (key->kind) {
	case DK_COMMAND:
		if ((str = dagfile_nonempty(ctx, prefix, s, 1)) == NULL)
			return (-1);
		spec->t.command = xstrdup(str);
		return (0);
	case DK_SCRIPT:
		/* Checked and resolved once command is known not to be set. */
		if ((str = dagfile_nonempty(ctx, prefix, s, 0)) == NULL)
			return (-1);
		spec->t.script = xstrdup(str);
		return (0);
	case DK_WORKDIR:
		if ((str = dagfile_nonempty(ctx, prefix, s, 1)) == NULL)
			return (-1);
		*(char **)field = xstrdup(str);
		return (0);
	default:
		/* String, text, licenses, signal, mail type: as sbatch. */
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return (-1);
		return (dagfile_set_text(ctx, dagfile_line(s), prefix,
		    key->name, k, str, spec));
	}
}

/* Read one key of a task or of the defaults into spec. */
static void
dagfile_key(struct dagfile_ctx *ctx, const char *prefix, size_t k,
    const config_setting_t *s, struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[k];
	char				*field = (char *)&spec->t + key->off;
	int				 rc = 0;

	switch (key->kind) {
	case DK_ID:
		return;		/* read by the caller */
	case DK_COMMAND:
	case DK_SCRIPT:
	case DK_WORKDIR:
		rc = dagfile_key_text(ctx, prefix, k, s, spec);
		break;
	case DK_STRING:
	case DK_TEXT:
	case DK_LICENSES:
	case DK_SIGNAL:
	case DK_MAIL_TYPE:
		/* dagfile_set_text marks it set. */
		dagfile_key_text(ctx, prefix, k, s, spec);
		return;
	case DK_AFTER:
		dagfile_after(ctx, prefix, s, &spec->t);
		break;
	case DK_ENV:
		/* The task's own; the top level's are merged in later. */
		dagfile_env(ctx, prefix, s, &spec->t.env, &spec->t.nenv);
		break;
	case DK_INPUTS:
		dagfile_inputs(ctx, prefix, s, &spec->t);
		break;
	case DK_OUTPUTS:
		dagfile_outputs(ctx, prefix, s, &spec->t);
		break;
	case DK_MODULES:
		rc = dagfile_modules(ctx, prefix, s, (char ***)field);
		break;
	case DK_NOTIFY:
		rc = dagfile_notify(ctx, prefix, s, &spec->t.notify);
		break;
	case DK_NICE:
	case DK_COUNT0:
	case DK_COUNT1:
		rc = dagfile_key_int(ctx, prefix, s, key->kind, (int *)field);
		break;
	case DK_TIME:
	case DK_MEM:
	case DK_DURATION:
		rc = dagfile_key_measure(ctx, prefix, s, key->kind,
		    (long *)field);
		break;
	case DK_BOOL:
		rc = dagfile_key_bool(ctx, prefix, s, (int *)field);
		break;
	case DK_TRIGGER:
		rc = dagfile_key_trigger(ctx, prefix, s, (int *)field);
		break;
	}
	if (rc == 0)
		spec->set |= KEY_BIT(k);
}

/* Read the keys of a task (or of the defaults if first is not 0). */
void
dagfile_spec(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *group, size_t first, struct dagfile_spec *spec)
{
	const config_setting_t	*s;
	const char		*name, *known[KEY_COUNT], *mem[2];
	size_t			 k, nknown = 0, nmem = 0;
	int			 i, n, line;

	for (k = first; k < KEY_COUNT; k++)
		known[nknown++] = dagfile_task_keys[k].name;

	n = config_setting_length(group);
	for (i = 0; i < n; i++) {
		if ((s = dagfile_member(group, i, &name)) == NULL)
			continue;
		line = dagfile_line(s);
		for (k = 0; k < KEY_COUNT; k++) {
			if (strcmp(name, dagfile_task_keys[k].name) == 0)
				break;
		}
		if (k == KEY_ENV && k < first) {
			dagfile_error(ctx, line, "%s'env' can only be set in a "
			    "task or at the top level", prefix);
			continue;
		}
		if (k < first) {
			dagfile_error(ctx, line,
			    "%s'%s' can only be set in a task", prefix, name);
			continue;
		}
		if (k == KEY_COUNT) {
			dagfile_unknown_key(ctx, line, prefix, name, known,
			    nknown);
			continue;
		}
		dagfile_key(ctx, prefix, k, s, spec);
	}

	/* Memory asked two ways: name the first two, at the second. */
	for (k = KEY_MEM; k < KEY_COUNT && nmem < 2; k++) {
		if (spec->set & KEY_MEM_GROUP & KEY_BIT(k))
			mem[nmem++] = dagfile_task_keys[k].name;
	}
	if (nmem == 2) {
		s = config_setting_get_member(group, mem[1]);
		dagfile_error(ctx, dagfile_line(s != NULL ? s : group),
		    "%s'%s' and '%s' are both set", prefix, mem[0], mem[1]);
	}
}

static char **
dagfile_copy_list(char *const *list)
{
	char	**copy;
	size_t	  i, n;

	for (n = 0; list[n] != NULL; n++)
		;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(list[i]);
	return (copy);
}

/* Fill what spec left unset from what src set. */
static void
dagfile_fill(struct dagfile_spec *spec, const struct dagfile_spec *src)
{
	const struct dagfile_key	*key;
	const char			*from;
	char				*to;
	size_t				 k;

	for (k = KEY_RETRIES; k < KEY_COUNT; k++) {
		key = &dagfile_task_keys[k];
		if ((spec->set & KEY_BIT(k)) || (~src->set & KEY_BIT(k)))
			continue;
		/* mem, mem_per_cpu and mem_per_gpu replace each other. */
		if ((KEY_MEM_GROUP & KEY_BIT(k)) &&
		    (spec->set & KEY_MEM_GROUP))
			continue;
		from = (const char *)&src->t + key->off;
		to = (char *)&spec->t + key->off;
		switch (key->kind) {
		case DK_STRING:
		case DK_TEXT:
		case DK_LICENSES:
		case DK_WORKDIR:
			*(char **)to = xstrdup(*(char *const *)from);
			break;
		case DK_MODULES:
			*(char ***)to = dagfile_copy_list(
			    *(char **const *)from);
			break;
		case DK_NOTIFY:
			notify_spec_copy(&spec->t.notify, &src->t.notify);
			break;
		case DK_COUNT0:
		case DK_COUNT1:
		case DK_BOOL:
		case DK_NICE:
		case DK_MAIL_TYPE:
		case DK_TRIGGER:
			*(int *)to = *(const int *)from;
			break;
		case DK_SIGNAL:
			spec->t.res.signal = src->t.res.signal;
			break;
		case DK_TIME:
		case DK_MEM:
		case DK_DURATION:
			*(long *)to = *(const long *)from;
			break;
		default:
			break;
		}
		spec->set |= KEY_BIT(k);
	}
}

/* Return 1 if a --gres list asks for a gpu: an element named "gpu". */
static int
dagfile_gres_gpu(const char *gres)
{
	const char	*p = gres;
	size_t		 len;

	while (*p != '\0') {
		if (strncmp(p, "gres:", 5) == 0 || strncmp(p, "gres/", 5) == 0)
			p += 5;
		len = strcspn(p, ":,");
		if (len == 3 && strncmp(p, "gpu", 3) == 0)
			return (1);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return (0);
}

/*
 * Fill what the task left unset from the defaults, then from its script's
 * #SBATCH lines (as sbatch's command line beats them), then the config.
 * Then check what only the whole can show.
 */
static void
dagfile_cascade(struct dagfile_ctx *ctx, const char *prefix,
    struct dagfile_spec *spec, const struct dagfile_spec *defaults,
    const struct dagfile_spec *script)
{
	const struct config	*cfg = ctx->cfg;
	struct resources	*res = &spec->t.res;
	const char		*partition;
	char			*cause;
	int			 gpu_gres, own;

	/* Its own partition: its key, or its script's #SBATCH line. */
	own = res->partition != NULL ||
	    (script != NULL && script->t.res.partition != NULL);
	dagfile_fill(spec, defaults);
	dagfile_fill(spec, script);
	if (~spec->set & KEY_BIT(KEY_RETRY_DELAY))
		spec->t.retry_delay = 300;

	/*
	 * A task that asks for GPUs runs on a GPU machine: without a
	 * partition of its own it goes to gpu_partition, whatever the
	 * defaults say (they usually name the CPU partition). Updraft's
	 * rule, not sbatch's.
	 */
	gpu_gres = res->gres != NULL && dagfile_gres_gpu(res->gres);
	if (cfg != NULL && !own && (res->gpus > 0 || res->gpus_per_node > 0 ||
	    res->gpus_per_task > 0 || gpu_gres)) {
		if (cfg->gpu_partition != NULL) {
			free(res->partition);
			res->partition = xstrdup(cfg->gpu_partition);
		}
	} else if (res->partition == NULL && cfg != NULL) {
		partition = cfg->default_partition;
		if (partition != NULL)
			res->partition = xstrdup(partition);
	}

	if (res->gres != NULL && gres_check(res->gres, &cause) != 0) {
		dagfile_error(ctx, spec->t.line, "%s%s", prefix, cause);
		free(cause);
	}
	/* Both become a gpu TRES; Slurm takes neither with the other. */
	if (gpu_gres && res->gpus > 0) {
		dagfile_error(ctx, spec->t.line, "%s'gpus' and a gpu 'gres' "
		    "are both set: give one", prefix);
	}
	if (gpu_gres && res->gpus_per_node > 0) {
		dagfile_error(ctx, spec->t.line, "%s'gpus_per_node' and a gpu "
		    "'gres' are both set: give one", prefix);
	}
}

/* Give the task the top level's env, under its own. */
static void
dagfile_merge_env(struct dagfile_ctx *ctx, struct task *t)
{
	struct task_env	*env = NULL;
	size_t		 nenv = 0, i;

	if (ctx->nenv == 0)
		return;
	for (i = 0; i < ctx->nenv; i++)
		dagfile_env_set(&env, &nenv, ctx->env[i].name,
		    ctx->env[i].value);
	for (i = 0; i < t->nenv; i++)
		dagfile_env_set(&env, &nenv, t->env[i].name, t->env[i].value);
	dag_env_free(t->env, t->nenv);
	t->env = env;
	t->nenv = nenv;
}

/* Return the task's id, or NULL after reporting why it has none. */
static const char *
dagfile_task_id(struct dagfile_ctx *ctx, const config_setting_t *group,
    size_t idx, int *id_line)
{
	const config_setting_t	*s;
	const char		*id;

	if ((s = config_setting_get_member(group, "id")) == NULL) {
		dagfile_error(ctx, *id_line, "task #%zu: missing 'id'",
		    idx + 1);
		return (NULL);
	}
	*id_line = dagfile_line(s);
	if ((id = dagfile_string(ctx, "", s)) == NULL ||
	    dagfile_check_id(ctx, *id_line, "task id", id) != 0)
		return (NULL);
	return (id);
}

/* Read the script into spec, or report that command and script clash. */
static void
dagfile_task_script(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *group, struct dagfile_spec *spec,
    struct dagfile_spec *sbatch)
{
	const config_setting_t	*cmd_s, *script_s;
	char			*script;

	cmd_s = config_setting_get_member(group, "command");
	script_s = config_setting_get_member(group, "script");
	if (cmd_s == NULL && script_s == NULL) {
		dagfile_error(ctx, spec->t.line,
		    "%smissing 'command' or 'script'", prefix);
	} else if (cmd_s != NULL && script_s != NULL) {
		dagfile_error(ctx, dagfile_line(script_s),
		    "%s'command' and 'script' are both set", prefix);
	} else if (spec->t.script != NULL) {
		script = dagfile_script(ctx, prefix, dagfile_line(script_s),
		    spec->t.script, sbatch);
		free(spec->t.script);
		spec->t.script = script;
	}
}

/* Add t to the DAG, with the lines of its id and its 'after'. */
static void
dagfile_task_add(struct dagfile_ctx *ctx, const struct task *t, int id_line,
    int after_line)
{
	struct dag	*dag = ctx->dag;

	if (dag->ntasks == ctx->tasks_size) {
		ctx->tasks_size = ctx->tasks_size == 0 ? 8 :
		    ctx->tasks_size * 2;
		dag->tasks = xreallocarray(dag->tasks, ctx->tasks_size,
		    sizeof *dag->tasks);
		ctx->id_lines = xreallocarray(ctx->id_lines, ctx->tasks_size,
		    sizeof *ctx->id_lines);
		ctx->after_lines = xreallocarray(ctx->after_lines,
		    ctx->tasks_size, sizeof *ctx->after_lines);
	}
	ctx->id_lines[dag->ntasks] = id_line;
	ctx->after_lines[dag->ntasks] = after_line;
	dag->tasks[dag->ntasks++] = *t;
}

/* Read one task; it is added to the DAG even if it has problems. */
void
dagfile_task(struct dagfile_ctx *ctx, const config_setting_t *group,
    size_t idx, const struct dagfile_spec *defaults)
{
	struct dagfile_spec	 spec, sbatch;
	const config_setting_t	*s;
	const char		*id;
	char			*prefix;
	int			 line = dagfile_line(group), id_line = line;

	memset(&spec, 0, sizeof spec);
	memset(&sbatch, 0, sizeof sbatch);
	spec.t.line = line;

	if ((id = dagfile_task_id(ctx, group, idx, &id_line)) != NULL) {
		spec.t.id = xstrdup(id);
		xasprintf(&prefix, "task '%s': ", id);
	} else
		xasprintf(&prefix, "task #%zu: ", idx + 1);

	dagfile_spec(ctx, prefix, group, 0, &spec);
	dagfile_task_script(ctx, prefix, group, &spec, &sbatch);
	dagfile_cascade(ctx, prefix, &spec, defaults, &sbatch);
	dag_task_free(&sbatch.t);
	dagfile_merge_env(ctx, &spec.t);

	s = config_setting_get_member(group, "after");
	dagfile_task_add(ctx, &spec.t, id_line, s != NULL ? dagfile_line(s) :
	    line);
	free(prefix);
}
