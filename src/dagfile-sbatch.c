/* A task's Slurm options: sbatch's names, as keys or on #SBATCH lines. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dagfile-int.h"
#include "safefile.h"
#include "units.h"

/* Return 1 if s is a license list: NAME[:COUNT] separated by ',' or '|'. */
static int
dagfile_valid_licenses(const char *s)
{
	const char	*p = s;
	long		 v;

	for (;;) {
		if (*p == '\0' || *p == ',' || *p == '|' || *p == ':')
			return (0);
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-' || *p == '@')
			p++;
		if (*p == ':') {
			p++;
			if (units_parse_digits(&p, &v) != 0 || v < 1)
				return (0);
		}
		if (*p == '\0')
			return (1);
		if (*p != ',' && *p != '|')
			return (0);
		p++;
	}
}

/* Parse a nice value as sbatch: an optionally signed number. */
static int
dagfile_parse_nice(const char *s, long *out)
{
	int	 neg = 0, rc;
	long	 v;

	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	if ((rc = units_parse_digits(&s, &v)) == -1 || *s != '\0')
		return (-1);
	if (rc == -2 || v > DAGFILE_NICE_MAX)
		return (-2);
	*out = neg ? -v : v;
	return (0);
}

/* An #SBATCH option Updraft reads; key -1 is one Updraft sets itself. */
static const struct dagfile_sbatch_opt {
	const char	*name;		/* long form, without "--" */
	char		 letter;	/* the short form, or 0 */
	int		 key;
	const char	*what;		/* what a count counts */
	const char	*bare;		/* the value without '=', if optional */
} dagfile_sbatch_opts[] = {
	{ "partition", 'p', KEY_PARTITION, NULL, NULL },
	{ "account", 'A', KEY_ACCOUNT, NULL, NULL },
	{ "qos", 'q', KEY_QOS, NULL, NULL },
	{ "time", 't', KEY_TIME, NULL, NULL },
	{ "mem", 0, KEY_MEM, NULL, NULL },
	{ "mem-per-cpu", 0, KEY_MEM_PER_CPU, NULL, NULL },
	{ "cpus-per-task", 'c', KEY_CPUS_PER_TASK, "cpu count", NULL },
	{ "ntasks", 'n', KEY_NTASKS, "task count", NULL },
	{ "nodes", 'N', KEY_NODES, "node count", NULL },
	{ "gpus", 'G', KEY_GPUS, "gpu count", NULL },
	{ "gres", 0, KEY_GRES, NULL, NULL },
	{ "constraint", 'C', KEY_CONSTRAINT, NULL, NULL },
	{ "mem-per-gpu", 0, KEY_MEM_PER_GPU, NULL, NULL },
	{ "cpus-per-gpu", 0, KEY_CPUS_PER_GPU, "cpu count", NULL },
	{ "ntasks-per-node", 0, KEY_NTASKS_PER_NODE, "task count", NULL },
	{ "gpus-per-node", 0, KEY_GPUS_PER_NODE, "gpu count", NULL },
	{ "gpus-per-task", 0, KEY_GPUS_PER_TASK, "gpu count", NULL },
	{ "exclusive", 0, KEY_EXCLUSIVE, NULL, "" },
	{ "reservation", 0, KEY_RESERVATION, NULL, NULL },
	{ "licenses", 'L', KEY_LICENSES, NULL, NULL },
	{ "nice", 0, KEY_NICE, NULL, "100" },
	{ "signal", 0, KEY_SIGNAL, NULL, NULL },
	{ "comment", 0, KEY_COMMENT, NULL, NULL },
	{ "mail-type", 0, KEY_MAIL_TYPE, NULL, NULL },
	{ "mail-user", 0, KEY_MAIL_USER, NULL, NULL },
	{ "output", 'o', -1, NULL, NULL },
	{ "error", 'e', -1, NULL, NULL },
	{ "job-name", 'J', -1, NULL, NULL },
	{ "chdir", 'D', -1, NULL, NULL },
	{ "array", 'a', -1, NULL, NULL },
	{ "dependency", 'd', -1, NULL, NULL },
	{ "wrap", 0, -1, NULL, NULL },
	{ "export", 0, -1, NULL, NULL },
};
#define DAGFILE_NSBATCH_OPTS \
	(sizeof dagfile_sbatch_opts / sizeof dagfile_sbatch_opts[0])

static int
dagfile_isspace(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v');
}

/*
 * Split what follows "#SBATCH" into words in place, as sbatch does: white
 * space separates them, double quotes group, a backslash escapes the next
 * character and a '#' starting a word begins a comment. Return the number of
 * words (words has room for one per two characters, plus one), or -1 if a
 * quote is left open.
 */
static int
dagfile_sbatch_words(char *s, char **words)
{
	char	*r = s, *w = s;
	int	 n = 0, quoted;

	for (;;) {
		while (dagfile_isspace(*r))
			r++;
		if (*r == '\0' || *r == '#')
			break;
		words[n++] = w;
		quoted = 0;
		while (*r != '\0' && (quoted || !dagfile_isspace(*r))) {
			if (*r == '\\' && r[1] != '\0') {
				r++;
				*w++ = *r++;
			} else if (*r == '"') {
				quoted = !quoted;
				r++;
			} else
				*w++ = *r++;
		}
		if (quoted)
			return (-1);
		if (*r != '\0')
			r++;
		*w++ = '\0';
	}
	return (n);
}

/* Return the option named by a word ("--name" or "-X"), or NULL. */
static const struct dagfile_sbatch_opt *
dagfile_sbatch_find(const char *name, size_t len, char letter)
{
	const struct dagfile_sbatch_opt	*o;
	size_t				 i;

	for (i = 0; i < DAGFILE_NSBATCH_OPTS; i++) {
		o = &dagfile_sbatch_opts[i];
		if (letter != 0 && o->letter == letter)
			return (o);
		if (letter == 0 && strlen(o->name) == len &&
		    strncmp(o->name, name, len) == 0)
			return (o);
	}
	return (NULL);
}

/*
 * Report an unknown option; sbatch takes an unambiguous abbreviation of a
 * long one, so name the option it may be short for.
 */
static void
dagfile_sbatch_unknown(struct dagfile_ctx *ctx, int line, const char *where,
    const char *name, size_t len)
{
	const struct dagfile_sbatch_opt	*o, *best = NULL;
	size_t				 i;

	for (i = 0; i < DAGFILE_NSBATCH_OPTS && len > 2; i++) {
		o = &dagfile_sbatch_opts[i];
		if (o->key != -1 && strncmp(o->name, name + 2, len - 2) == 0) {
			best = o;
			break;
		}
	}
	if (best != NULL) {
		dagfile_error(ctx, line, "%sunknown #SBATCH option '%.*s' "
		    "(did you mean '--%s'?)", where, (int)len, name,
		    best->name);
	} else {
		dagfile_error(ctx, line, "%sunknown #SBATCH option '%.*s'",
		    where, (int)len, name);
	}
}

/*
 * Report memory asked two ways in one place: k is being set and another key
 * of the group is already set. Names are the keys' or, in a script, the
 * options' (dashed).
 */
static int
dagfile_mem_conflict(struct dagfile_ctx *ctx, int line, const char *where,
    const struct dagfile_spec *spec, size_t k, int dashed)
{
	char		 a[32], b[32];
	size_t		 other, first, second;
	char		*p;

	if ((KEY_MEM_GROUP & KEY_BIT(k)) == 0 ||
	    (spec->set & KEY_MEM_GROUP & ~KEY_BIT(k)) == 0)
		return (0);
	for (other = KEY_MEM; other < KEY_COUNT; other++) {
		if (other != k && (spec->set & KEY_MEM_GROUP &
		    KEY_BIT(other)))
			break;
	}
	first = other < k ? other : k;
	second = other < k ? k : other;
	snprintf(a, sizeof a, "%s%s", dashed ? "--" : "",
	    dagfile_task_keys[first].name);
	snprintf(b, sizeof b, "%s%s", dashed ? "--" : "",
	    dagfile_task_keys[second].name);
	if (dashed) {
		for (p = a; (p = strchr(p, '_')) != NULL; p++)
			*p = '-';
		for (p = b; (p = strchr(p, '_')) != NULL; p++)
			*p = '-';
	}
	dagfile_error(ctx, line, "%s'%s' and '%s' are both set", where, a, b);
	return (1);
}

/*
 * Check a value for a string key (one word), a licenses key or a text key
 * (no control characters); report it as name if it is bad. Return 0 or -1.
 */
static int
dagfile_check_text(struct dagfile_ctx *ctx, int line, const char *where,
    const char *name, enum dagfile_kind kind, const char *value)
{
	const char	*p;

	if (kind == DK_TEXT) {
		for (p = value; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				dagfile_error(ctx, line, "%s'%s' must not "
				    "contain control characters", where, name);
				return (-1);
			}
		}
		return (0);
	}
	if (strpbrk(value, " \t\n\r\f\v") != NULL) {
		dagfile_error(ctx, line, "%s'%s' must not contain white space",
		    where, name);
		return (-1);
	}
	if (kind == DK_LICENSES && !dagfile_valid_licenses(value)) {
		dagfile_error(ctx, line, "%sbad licenses '%s': expected "
		    DAGFILE_LICENSES_HINT, where, value);
		return (-1);
	}
	return (0);
}

/*
 * Set key k from a string value, for the kinds given as strings both in a
 * DAG file and on an #SBATCH line; name is how the user wrote the key.
 * Return 0, or -1 after reporting why the value is bad.
 */
int
dagfile_set_text(struct dagfile_ctx *ctx, int line, const char *where,
    const char *name, size_t k, const char *value, struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[k];
	const char			*bad;
	char				*field = (char *)&spec->t + key->off;
	size_t				 badlen;
	long				 v;
	int				 bits, num, secs, batch, rc;

	if (*value == '\0' && key->kind != DK_NICE) {
		dagfile_error(ctx, line, "%s'%s' must not be empty", where,
		    name);
		return (-1);
	}
	switch (key->kind) {
	case DK_STRING:
	case DK_LICENSES:
	case DK_TEXT:
		if (dagfile_check_text(ctx, line, where, name, key->kind,
		    value) != 0)
			return (-1);
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		break;
	case DK_NICE:
		if ((rc = dagfile_parse_nice(value, &v)) != 0) {
			dagfile_error(ctx, line, "%sbad nice value '%s': %s",
			    where, value, rc == -1 ? "expected a number" :
			    "must be between -2147483645 and 2147483645");
			return (-1);
		}
		*(int *)field = (int)v;
		break;
	case DK_SIGNAL:
		if (units_parse_signal(value, &num, &secs, &batch) != 0) {
			dagfile_error(ctx, line, "%sbad signal '%s': expected "
			    UNITS_SIGNAL_HINT, where, value);
			return (-1);
		}
		spec->t.res.signal.num = num;
		spec->t.res.signal.secs = secs;
		spec->t.res.signal.batch_only = batch;
		break;
	case DK_MAIL_TYPE:
		if (units_parse_mail_type(value, &bits, &bad, &badlen) !=
		    0) {
			dagfile_error(ctx, line, "%sbad mail type '%.*s': "
			    "expected " UNITS_MAIL_HINT, where, (int)badlen,
			    bad);
			return (-1);
		}
		*(int *)field = bits;
		break;
	default:
		return (-1);
	}
	spec->set |= KEY_BIT(k);
	return (0);
}

/* Read a count option's value into *out, or report why it cannot be. */
static int
dagfile_sbatch_count(struct dagfile_ctx *ctx, int line, const char *where,
    const char *opt, const struct dagfile_sbatch_opt *o, const char *value,
    int *out)
{
	const char	*p = value;
	long		 v;
	int		 rc, min;

	if ((rc = units_parse_digits(&p, &v)) == 0 && *p != '\0')
		rc = -1;
	if (rc == -1 && o->key == KEY_NODES && strchr(value, '-')) {
		dagfile_error(ctx, line, "%sbad %s '%s': ranges are not "
		    "supported, give one number", where, o->what, value);
		return (-1);
	}
	if (rc == -1 && (o->key == KEY_GPUS || o->key == KEY_GPUS_PER_NODE) &&
	    strchr(value, ':')) {
		dagfile_error(ctx, line, "%sbad %s '%s': expected a number (for "
		    "a gpu type use --gres=gpu:%s)", where, o->what, value,
		    value);
		return (-1);
	}
	if (rc == -1) {
		dagfile_error(ctx, line, "%sbad %s '%s': expected a number",
		    where, o->what, value);
		return (-1);
	}
	if (rc == -2) {
		dagfile_error(ctx, line, "%sbad %s '%s': too large", where,
		    o->what, value);
		return (-1);
	}
	min = dagfile_task_keys[o->key].kind == DK_COUNT1;
	if (dagfile_range(ctx, line, where, opt, v, min, INT_MAX) != 0)
		return (-1);
	*out = (int)v;
	return (0);
}

/* Read a --time or memory option's value into *out, or report why not. */
static int
dagfile_sbatch_measure(struct dagfile_ctx *ctx, int line, const char *where,
    const char *opt, enum dagfile_kind kind, const char *value, long *out)
{
	const char	*what, *hint;
	long		 v;
	int		 rc;

	if (kind == DK_TIME) {
		rc = units_parse_time_limit(value, &v);
		what = "time limit";
		hint = UNITS_TIME_HINT;
	} else {
		rc = units_parse_memory(value, &v);
		what = "memory size";
		hint = UNITS_MEM_HINT;
	}
	if (rc == -1) {
		dagfile_error(ctx, line, "%sbad %s '%s': expected %s", where,
		    what, value, hint);
		return (-1);
	}
	if (rc == -2) {
		dagfile_error(ctx, line, "%sbad %s '%s': too large", where,
		    what, value);
		return (-1);
	}
	if (v == 0) {
		dagfile_error(ctx, line, "%s'%s' must be more than zero", where,
		    opt);
		return (-1);
	}
	*out = v;
	return (0);
}

/* Set one option's value in spec, or report why it cannot be. */
static void
dagfile_sbatch_set(struct dagfile_ctx *ctx, int line, const char *where,
    const char *opt, const struct dagfile_sbatch_opt *o, const char *value,
    struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[o->key];
	char				*field = (char *)&spec->t + key->off;
	long				 v;

	switch (key->kind) {
	case DK_STRING:
	case DK_TEXT:
	case DK_LICENSES:
	case DK_NICE:
	case DK_SIGNAL:
	case DK_MAIL_TYPE:
		dagfile_set_text(ctx, line, where, opt, o->key, value, spec);
		return;
	case DK_BOOL:
		/* Only the bare form: --exclusive=user is another thing. */
		if (*value != '\0') {
			dagfile_error(ctx, line, "%s'%s=%s' is not supported: "
			    "give '%s' alone", where, opt, value, opt);
			return;
		}
		*(int *)field = 1;
		break;
	case DK_COUNT0:
	case DK_COUNT1:
		if (dagfile_sbatch_count(ctx, line, where, opt, o, value,
		    (int *)field) != 0)
			return;
		break;
	case DK_TIME:
	case DK_MEM:
		if (dagfile_sbatch_measure(ctx, line, where, opt, key->kind,
		    value, &v) != 0 ||
		    dagfile_mem_conflict(ctx, line, where, spec, o->key, 1))
			return;
		*(long *)field = v;
		break;
	default:
		return;
	}
	spec->set |= KEY_BIT(o->key);
}

/*
 * Return the option a word names ("--name[=value]", "-X[value]"), or NULL;
 * set *namelen to the length of its name part and *value to what follows
 * it in the word, or NULL.
 */
static const struct dagfile_sbatch_opt *
dagfile_sbatch_word(const char *word, size_t *namelen, const char **value)
{
	const char	*eq;

	*value = NULL;
	if (word[1] != '-') {
		*namelen = 2;
		if (word[2] != '\0')
			*value = word + 2;
		return (dagfile_sbatch_find(NULL, 0, word[1]));
	}
	eq = strchr(word, '=');
	*namelen = eq != NULL ? (size_t)(eq - word) : strlen(word);
	if (eq != NULL)
		*value = eq + 1;
	return (dagfile_sbatch_find(word + 2, *namelen - 2, 0));
}

/* Read the options on one #SBATCH line (what follows "#SBATCH"). */
static void
dagfile_sbatch_line(struct dagfile_ctx *ctx, int line, const char *where,
    const char *text, size_t len, struct dagfile_spec *spec)
{
	const struct dagfile_sbatch_opt	*o;
	const char			*word, *value;
	char				*copy, **words, opt[64];
	size_t				 namelen;
	int				 i, n;

	copy = xstrndup(text, len);
	words = xreallocarray(NULL, strlen(copy) / 2 + 2, sizeof *words);
	if ((n = dagfile_sbatch_words(copy, words)) == -1) {
		dagfile_error(ctx, line, "%sunmatched '\"'", where);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		word = words[i];
		if (word[0] != '-' || word[1] == '\0') {
			dagfile_error(ctx, line, "%sunexpected '%s': expected "
			    "an option", where, word);
			continue;
		}
		o = dagfile_sbatch_word(word, &namelen, &value);
		if (o == NULL) {
			dagfile_sbatch_unknown(ctx, line, where, word, namelen);
			/* Its value, if it has one, is no option either. */
			if (value == NULL && i + 1 < n &&
			    words[i + 1][0] != '-')
				i++;
			continue;
		}
		snprintf(opt, sizeof opt, "%.*s", (int)namelen, word);
		/* An optional value comes only after '='. */
		if (value == NULL && o->bare != NULL)
			value = o->bare;
		else if (value == NULL && i + 1 < n)
			value = words[++i];
		if (o->key == -1) {
			dagfile_error(ctx, line, "%s'%s' is set by updraft and "
			    "cannot be given in a script", where, opt);
			continue;
		}
		if (value == NULL) {
			dagfile_error(ctx, line, "%s'%s' needs a value", where,
			    opt);
			continue;
		}
		dagfile_sbatch_set(ctx, line, where, opt, o, value, spec);
	}
	free(words);
	free(copy);
}

/*
 * Read the #SBATCH lines at the top of a script into spec, as sbatch does:
 * after the "#!" line, up to the first line that is neither blank nor a
 * comment. The head is the first len bytes of the script; more is set if the
 * script goes on past it.
 */
static void
dagfile_sbatch(struct dagfile_ctx *ctx, const char *prefix, int line,
    const char *script, const char *head, size_t len, int more,
    struct dagfile_spec *spec)
{
	const char	*p = head, *end = head + len, *nl, *s;
	char		*where;
	int		 lineno = 0;

	while (p < end) {
		if ((nl = memchr(p, '\n', end - p)) == NULL) {
			if (more)
				break;
			nl = end;
		}
		lineno++;
		if (lineno == 1 && nl - p >= 2 && p[0] == '#' && p[1] == '!')
			;
		else if (nl - p >= 7 && strncmp(p, "#SBATCH", 7) == 0 &&
		    (nl - p == 7 || dagfile_isspace(p[7]))) {
			xasprintf(&where, "%sscript '%s' line %d: ", prefix,
			    script, lineno);
			dagfile_sbatch_line(ctx, line, where, p + 7,
			    nl - p - 7, spec);
			free(where);
		} else {
			for (s = p; s < nl && dagfile_isspace(*s); s++)
				;
			if (s < nl && *s != '#')
				return;		/* the first command */
		}
		p = nl + 1;
	}
	if (more) {
		dagfile_error(ctx, line, "%sscript '%s': its #SBATCH header is "
		    "longer than %d KiB", prefix, script,
		    DAGFILE_SCRIPT_HEAD / 1024);
	}
}

/*
 * Resolve a task's script relative to the DAG file's directory, check it is
 * a regular file that we or root own and nobody else may write, no bigger
 * than max_script_size (safefile.c), fold its bytes into the version hash
 * and read its #SBATCH lines into spec.
 */
char *
dagfile_script(struct dagfile_ctx *ctx, const char *prefix, int line,
    const char *script, struct dagfile_spec *spec)
{
	struct stat	 sb;
	char		*path, *head, *why = NULL, buf[65536];
	size_t		 headlen = 0, take, i, total = 0, max;
	ssize_t		 n;
	int		 fd = -1, more = 0;

	if (*script == '/')
		path = xstrdup(script);
	else
		xasprintf(&path, "%s/%s", ctx->dir, script);
	/* An old version runs the copy of the script it had. */
	for (i = 0; i < ctx->ncopies; i++) {
		if (strcmp(ctx->copies[i].path, path) == 0) {
			free(path);
			path = xstrdup(ctx->copies[i].copy);
			break;
		}
	}
	head = xmalloc(DAGFILE_SCRIPT_HEAD);
	max = ctx->cfg != NULL && ctx->cfg->max_script_size > 0 ?
	    (size_t)ctx->cfg->max_script_size : CONFIG_MAX_SCRIPT_SIZE;
	if ((fd = safefile_open(path, SAFEFILE_PRIVATE, 0, &sb, &why)) == -1)
		goto fail;
	/* Bounded as read too: it may grow after fstat. */
	while ((size_t)sb.st_size <= max && total <= max) {
		if ((n = read(fd, buf, sizeof buf)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		total += n;
		dagfile_hash(&ctx->hash, buf, n);
		take = DAGFILE_SCRIPT_HEAD - headlen;
		if ((size_t)n > take)
			more = 1;
		else
			take = n;
		memcpy(head + headlen, buf, take);
		headlen += take;
	}
	close(fd);
	if ((size_t)sb.st_size > max || total > max) {
		dagfile_error(ctx, line, "%sscript '%s' is bigger than "
		    "max_script_size (%zu bytes)", prefix, script, max);
		free(head);
		free(path);
		return (NULL);
	}
	dagfile_sbatch(ctx, prefix, line, script, head, headlen, more, spec);
	free(head);
	return (path);

fail:
	dagfile_error(ctx, line, "%sscript '%s': %s", prefix, script,
	    why != NULL ? why : dagfile_strerror(errno));
	free(why);
	if (fd != -1)
		close(fd);
	free(head);
	free(path);
	return (NULL);
}
