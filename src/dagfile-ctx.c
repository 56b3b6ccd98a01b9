/*
 * What every part of a .dag file's reading shares: the problems found (each
 * "FILE:LINE: message"), reading the file, and checking a setting's type,
 * range or id, with the message when it is wrong.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dagfile-int.h"
#include "suggest.h"

/* One problem found; sorted by line before they are joined. */
struct dagfile_error {
	int		 line;
	size_t		 seq;
	char		*msg;
};

void printflike(3, 4)
dagfile_error(struct dagfile_ctx *ctx, int line, const char *fmt, ...)
{
	struct dagfile_error	*e;
	va_list			 ap;

	if (ctx->nerrs == ctx->errs_size) {
		ctx->errs_size = ctx->errs_size == 0 ? 16 : ctx->errs_size * 2;
		ctx->errs = xreallocarray(ctx->errs, ctx->errs_size,
		    sizeof *ctx->errs);
	}
	e = &ctx->errs[ctx->nerrs];
	e->line = line;
	e->seq = ctx->nerrs++;
	va_start(ap, fmt);
	xvasprintf(&e->msg, fmt, ap);
	va_end(ap);
}

static int
dagfile_cmp_errors(const void *a0, const void *b0)
{
	const struct dagfile_error	*a = a0, *b = b0;

	if (a->line != b->line)
		return (a->line < b->line ? -1 : 1);
	return (a->seq < b->seq ? -1 : (a->seq > b->seq));
}

/* Join the problems, in line order, as "FILE:LINE: message" lines. */
char *
dagfile_join_errors(struct dagfile_ctx *ctx)
{
	struct dagfile_error	*e;
	char			*out, prefix[32];
	size_t			 i, size = 1, len = 0, plen;
	int			 n;

	plen = strlen(ctx->path);
	qsort(ctx->errs, ctx->nerrs, sizeof *ctx->errs, dagfile_cmp_errors);
	for (i = 0; i < ctx->nerrs; i++)
		size += plen + sizeof prefix + strlen(ctx->errs[i].msg) + 1;
	out = xmalloc(size);
	for (i = 0; i < ctx->nerrs; i++) {
		e = &ctx->errs[i];
		if (e->line > 0)
			snprintf(prefix, sizeof prefix, ":%d: ", e->line);
		else
			snprintf(prefix, sizeof prefix, ": ");
		n = snprintf(out + len, size - len, "%s%s%s%s",
		    i == 0 ? "" : "\n", ctx->path, prefix, e->msg);
		len += n;
	}
	out[len] = '\0';
	return (out);
}

void
dagfile_hash(uint64_t *h, const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	size_t			 i;

	for (i = 0; i < len; i++) {
		*h ^= p[i];
		*h *= DAGFILE_FNV_PRIME;
	}
}

/* Describe an errno left by reading a script. */
const char *
dagfile_strerror(int error)
{
	if (error == EINVAL)
		return ("not a regular file");
	if (error == EFBIG)
		return ("file too large");
	return (strerror(error));
}

/* Return 1 if s is a valid dag or task id. */
int
dagfile_valid_id(const char *s)
{
	const char	*p;

	if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-')
			continue;
		return (0);
	}
	return (1);
}

/* Check an id (what: "dag_id" or "task id"); report it if bad. 0 or -1. */
int
dagfile_check_id(struct dagfile_ctx *ctx, int line, const char *what,
    const char *id)
{
	if (strlen(id) > DAGFILE_MAX_ID) {
		dagfile_error(ctx, line, "%s is longer than %d characters",
		    what, DAGFILE_MAX_ID);
		return (-1);
	}
	if (!dagfile_valid_id(id)) {
		dagfile_error(ctx, line, "invalid %s '%s': " DAGFILE_ID_HINT,
		    what, id);
		return (-1);
	}
	return (0);
}

/* Report an unknown key, suggesting the closest known one if near. */
void
dagfile_unknown_key(struct dagfile_ctx *ctx, int line, const char *prefix,
    const char *name, const char **known, size_t nknown)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = 3;

	for (i = 0; i < nknown; i++) {
		d = suggest_distance(name, known[i]);
		if (d < bestd) {
			bestd = d;
			best = known[i];
		}
	}
	if (best != NULL) {
		dagfile_error(ctx, line,
		    "%sunknown key '%s' (did you mean '%s'?)", prefix, name,
		    best);
	} else
		dagfile_error(ctx, line, "%sunknown key '%s'", prefix, name);
}

int
dagfile_line(const config_setting_t *s)
{
	return (config_setting_source_line(s));
}

/* Read an integer setting, of either size; -1 if it is no integer. */
int
dagfile_integer(const config_setting_t *s, long long *v)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*v = config_setting_get_int(s);
		return (0);
	case CONFIG_TYPE_INT64:
		*v = config_setting_get_int64(s);
		return (0);
	}
	return (-1);
}

/*
 * Check that v, the value of name, is from min to max; report it if not.
 * Return 0 or -1.
 */
int
dagfile_range(struct dagfile_ctx *ctx, int line, const char *prefix,
    const char *name, long long v, long long min, long long max)
{
	if (min < 0 && (v < min || v > max)) {
		dagfile_error(ctx, line, "%s'%s' must be between %lld and %lld",
		    prefix, name, min, max);
		return (-1);
	}
	if (v < min && min == 0) {
		dagfile_error(ctx, line, "%s'%s' must not be negative", prefix,
		    name);
		return (-1);
	}
	if (v < min) {
		dagfile_error(ctx, line, "%s'%s' must be at least %lld", prefix,
		    name, min);
		return (-1);
	}
	if (v > max) {
		dagfile_error(ctx, line, "%s'%s' is too large", prefix, name);
		return (-1);
	}
	return (0);
}

/*
 * Read an integer setting from min to max into *out, or report why it
 * cannot be. Return 0 or -1.
 */
int
dagfile_int(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, long long min, long long max, long long *out)
{
	long long	ll;

	if (dagfile_integer(s, &ll) != 0) {
		dagfile_error(ctx, dagfile_line(s), "%s'%s' must be an integer",
		    prefix, config_setting_name(s));
		return (-1);
	}
	if (dagfile_range(ctx, dagfile_line(s), prefix, config_setting_name(s),
	    ll, min, max) != 0)
		return (-1);
	*out = ll;
	return (0);
}

/* Return the i-th member of a group and set *name, or NULL if it has none. */
const config_setting_t *
dagfile_member(const config_setting_t *group, int i, const char **name)
{
	const config_setting_t	*s;

	if ((s = config_setting_get_elem(group, i)) == NULL ||
	    (*name = config_setting_name(s)) == NULL)
		return (NULL);
	return (s);
}

/* Return a string setting's value, or NULL after reporting a wrong type. */
const char *
dagfile_string(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s)
{
	const char	*v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING ||
	    (v = config_setting_get_string(s)) == NULL) {
		dagfile_error(ctx, dagfile_line(s), "%s'%s' must be a string",
		    prefix, config_setting_name(s));
		return (NULL);
	}
	return (v);
}

/* Free what a load's context holds, not the DAG. */
void
dagfile_ctx_free(struct dagfile_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nerrs; i++)
		free(ctx->errs[i].msg);
	free(ctx->errs);
	free(ctx->id_lines);
	free(ctx->after_lines);
	dag_env_free(ctx->env, ctx->nenv);
	free(ctx->dir);
}
