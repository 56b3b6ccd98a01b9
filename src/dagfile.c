/* Read one .dag file (libconfig syntax) into a struct dag and validate it. */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libconfig.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "updraft.h"
#include "record.h"
#include "suggest.h"
#include "template.h"

#define DAGFILE_MAX_SIZE	(16 * 1024 * 1024)
#define DAGFILE_MAX_ID		128
#define DAGFILE_ID_HINT		"use letters, digits, '_', '.' and '-'"
#define DAGFILE_TIME_HINT \
	"MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS"
#define DAGFILE_MEM_HINT	"a number with K, M, G or T"
#define DAGFILE_SIGNAL_HINT	"[B:]SIGNAL[@SECONDS], e.g. B:USR1@300"
#define DAGFILE_MAIL_HINT \
	"a list of NONE, BEGIN, END, FAIL, REQUEUE, ALL, INVALID_DEPEND, " \
	"STAGE_OUT, TIME_LIMIT, TIME_LIMIT_90, TIME_LIMIT_80 or TIME_LIMIT_50"
#define DAGFILE_LICENSES_HINT	"NAME[:COUNT], separated by ',' or '|'"
/* sbatch's bound on --nice. */
#define DAGFILE_NICE_MAX	2147483645

/* Only this much of a script is read for #SBATCH lines. */
#define DAGFILE_SCRIPT_HEAD	(64 * 1024)

#define DAGFILE_FNV_OFFSET	0xcbf29ce484222325ULL
#define DAGFILE_FNV_PRIME	0x100000001b3ULL

/* One problem found; sorted by line before they are joined. */
struct dagfile_error {
	int		 line;
	size_t		 seq;
	char		*msg;
};

/* Everything one load needs to carry between its steps. */
struct dagfile_ctx {
	const char		*path;
	const struct config	*cfg;
	const struct dagfile_script_copy *copies;	/* an old version's */
	size_t			 ncopies;
	char			*dir;	/* the file's, absolute */
	uint64_t		 hash;
	struct dagfile_error	*errs;
	size_t			 nerrs;
	size_t			 errs_size;
	struct dag		*dag;
	size_t			 tasks_size;
	int			*id_lines;	/* each task's id */
	int			*after_lines;	/* its 'after' */
	struct task_env		*env;		/* the top level's */
	size_t			 nenv;
};

/* Index of each key in dagfile_task_keys. */
enum dagfile_key_index {
	KEY_ID,
	KEY_COMMAND,
	KEY_SCRIPT,
	KEY_AFTER,
	KEY_ENV,
	KEY_INPUTS,
	KEY_OUTPUTS,
	KEY_RETRIES,		/* the first key allowed in defaults */
	KEY_RETRY_DELAY,
	KEY_DEPENDS_ON_PAST,
	KEY_TRIGGER_RULE,
	KEY_RETRY_BACKOFF,
	KEY_MAX_RETRY_DELAY,
	KEY_PARTITION,
	KEY_ACCOUNT,
	KEY_QOS,
	KEY_TIME,
	KEY_MEM,
	KEY_MEM_PER_CPU,
	KEY_CPUS_PER_TASK,
	KEY_NTASKS,
	KEY_NODES,
	KEY_GPUS,
	KEY_GRES,
	KEY_CONSTRAINT,
	KEY_MEM_PER_GPU,
	KEY_CPUS_PER_GPU,
	KEY_NTASKS_PER_NODE,
	KEY_GPUS_PER_NODE,
	KEY_GPUS_PER_TASK,
	KEY_EXCLUSIVE,
	KEY_RESERVATION,
	KEY_LICENSES,
	KEY_NICE,
	KEY_SIGNAL,
	KEY_COMMENT,
	KEY_MAIL_TYPE,
	KEY_MAIL_USER,
	KEY_WORKDIR,
	KEY_MODULES,
	KEY_NOTIFY,
	KEY_CHECKSUM,
	KEY_COUNT
};
#define KEY_BIT(k) ((uint64_t)1 << (k))
/* Memory asked three ways: one replaces the others. */
#define KEY_MEM_GROUP \
	(KEY_BIT(KEY_MEM) | KEY_BIT(KEY_MEM_PER_CPU) | KEY_BIT(KEY_MEM_PER_GPU))

enum dagfile_kind {
	DK_ID,
	DK_COMMAND,
	DK_SCRIPT,
	DK_AFTER,
	DK_STRING,
	DK_COUNT0,	/* int >= 0 */
	DK_COUNT1,	/* int >= 1 */
	DK_TIME,	/* long minutes > 0 */
	DK_MEM,		/* long MB > 0 */
	DK_DURATION,	/* long seconds >= 0 */
	DK_BOOL,	/* int 0 or 1 */
	DK_ENV,		/* group of strings */
	DK_TEXT,	/* string, white space allowed */
	DK_NICE,	/* int, may be negative */
	DK_SIGNAL,	/* [B:]SIG[@secs] */
	DK_MAIL_TYPE,	/* int, RES_MAIL_* bits */
	DK_LICENSES,	/* string, name[:count] list */
	DK_WORKDIR,	/* string, templates */
	DK_MODULES,	/* list of strings */
	DK_NOTIFY,	/* channels, or { channels; events } */
	DK_TRIGGER,	/* int, TRIGGER_* */
	DK_INPUTS,	/* group of "DAG:TASK:OUTPUT[@when]" */
	DK_OUTPUTS,	/* group of path templates */
};

/* The keys of a task; the defaults take those from KEY_RETRIES on. */
static const struct dagfile_key {
	const char		*name;
	enum dagfile_kind	 kind;
	size_t			 off;
} dagfile_task_keys[KEY_COUNT] = {
	[KEY_ID] = { "id", DK_ID, 0 },
	[KEY_COMMAND] = { "command", DK_COMMAND, 0 },
	[KEY_SCRIPT] = { "script", DK_SCRIPT, 0 },
	[KEY_AFTER] = { "after", DK_AFTER, 0 },
	[KEY_ENV] = { "env", DK_ENV, 0 },
	[KEY_INPUTS] = { "inputs", DK_INPUTS, 0 },
	[KEY_OUTPUTS] = { "outputs", DK_OUTPUTS, 0 },
	[KEY_RETRIES] = { "retries", DK_COUNT0,
	    offsetof(struct task, retries) },
	[KEY_RETRY_DELAY] = { "retry_delay", DK_DURATION,
	    offsetof(struct task, retry_delay) },
	[KEY_DEPENDS_ON_PAST] = { "depends_on_past", DK_BOOL,
	    offsetof(struct task, depends_on_past) },
	[KEY_TRIGGER_RULE] = { "trigger_rule", DK_TRIGGER,
	    offsetof(struct task, trigger_rule) },
	[KEY_RETRY_BACKOFF] = { "retry_exponential_backoff", DK_BOOL,
	    offsetof(struct task, retry_backoff) },
	[KEY_MAX_RETRY_DELAY] = { "max_retry_delay", DK_DURATION,
	    offsetof(struct task, max_retry_delay) },
	[KEY_PARTITION] = { "partition", DK_STRING,
	    offsetof(struct task, res.partition) },
	[KEY_ACCOUNT] = { "account", DK_STRING,
	    offsetof(struct task, res.account) },
	[KEY_QOS] = { "qos", DK_STRING, offsetof(struct task, res.qos) },
	[KEY_TIME] = { "time", DK_TIME, offsetof(struct task, res.time_limit) },
	[KEY_MEM] = { "mem", DK_MEM, offsetof(struct task, res.mem_mb) },
	[KEY_MEM_PER_CPU] = { "mem_per_cpu", DK_MEM,
	    offsetof(struct task, res.mem_per_cpu_mb) },
	[KEY_CPUS_PER_TASK] = { "cpus_per_task", DK_COUNT1,
	    offsetof(struct task, res.cpus_per_task) },
	[KEY_NTASKS] = { "ntasks", DK_COUNT1,
	    offsetof(struct task, res.ntasks) },
	[KEY_NODES] = { "nodes", DK_COUNT1, offsetof(struct task, res.nodes) },
	[KEY_GPUS] = { "gpus", DK_COUNT0, offsetof(struct task, res.gpus) },
	[KEY_GRES] = { "gres", DK_STRING, offsetof(struct task, res.gres) },
	[KEY_CONSTRAINT] = { "constraint", DK_STRING,
	    offsetof(struct task, res.constraint) },
	[KEY_MEM_PER_GPU] = { "mem_per_gpu", DK_MEM,
	    offsetof(struct task, res.mem_per_gpu_mb) },
	[KEY_CPUS_PER_GPU] = { "cpus_per_gpu", DK_COUNT1,
	    offsetof(struct task, res.cpus_per_gpu) },
	[KEY_NTASKS_PER_NODE] = { "ntasks_per_node", DK_COUNT1,
	    offsetof(struct task, res.ntasks_per_node) },
	[KEY_GPUS_PER_NODE] = { "gpus_per_node", DK_COUNT0,
	    offsetof(struct task, res.gpus_per_node) },
	[KEY_GPUS_PER_TASK] = { "gpus_per_task", DK_COUNT0,
	    offsetof(struct task, res.gpus_per_task) },
	[KEY_EXCLUSIVE] = { "exclusive", DK_BOOL,
	    offsetof(struct task, res.exclusive) },
	[KEY_RESERVATION] = { "reservation", DK_STRING,
	    offsetof(struct task, res.reservation) },
	[KEY_LICENSES] = { "licenses", DK_LICENSES,
	    offsetof(struct task, res.licenses) },
	[KEY_NICE] = { "nice", DK_NICE, offsetof(struct task, res.nice) },
	[KEY_SIGNAL] = { "signal", DK_SIGNAL,
	    offsetof(struct task, res.signal) },
	[KEY_COMMENT] = { "comment", DK_TEXT,
	    offsetof(struct task, res.comment) },
	[KEY_MAIL_TYPE] = { "mail_type", DK_MAIL_TYPE,
	    offsetof(struct task, res.mail_type) },
	[KEY_MAIL_USER] = { "mail_user", DK_STRING,
	    offsetof(struct task, res.mail_user) },
	[KEY_WORKDIR] = { "workdir", DK_WORKDIR,
	    offsetof(struct task, workdir) },
	[KEY_MODULES] = { "modules", DK_MODULES,
	    offsetof(struct task, modules) },
	[KEY_NOTIFY] = { "notify", DK_NOTIFY, offsetof(struct task, notify) },
	[KEY_CHECKSUM] = { "checksum", DK_BOOL,
	    offsetof(struct task, checksum) },
};

static const char *dagfile_top_keys[] = {
	"dag_id", "schedule", "timetable", "timezone", "start_date",
	"end_date", "catchup", "max_active_runs", "env", "defaults", "tasks",
	"notify", "sla", "params",
	NULL
};

/* A task or the defaults while they are read: which keys were set. */
struct dagfile_spec {
	struct task	 t;
	uint64_t	 set;
};

static void printflike(3, 4)
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
static char *
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

static void
dagfile_hash(uint64_t *h, const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	size_t			 i;

	for (i = 0; i < len; i++) {
		*h ^= p[i];
		*h *= DAGFILE_FNV_PRIME;
	}
}

/*
 * Read a whole regular file into a NUL-terminated buffer, refusing more than
 * max bytes. Return -1 with errno set (EFBIG when too large, EINVAL when not
 * a regular file).
 */
static int
dagfile_read_file(const char *path, size_t max, char **out, size_t *outlen)
{
	struct stat	 sb;
	char		*buf = NULL;
	size_t		 len = 0, size = 0;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (S_ISDIR(sb.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	for (;;) {
		if (len == size) {
			if (size > max) {
				errno = EFBIG;
				goto fail;
			}
			size = size == 0 ? 8192 : size * 2;
			buf = xreallocarray(buf, 1, size + 1);
		}
		n = read(fd, buf + len, size - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (len > max) {
		errno = EFBIG;
		goto fail;
	}
	close(fd);
	if (buf == NULL)
		buf = xmalloc(1);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return (0);

fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return (-1);
}

/* Describe the errno left by dagfile_read_file. */
static const char *
dagfile_strerror(int error)
{
	if (error == EINVAL)
		return ("not a regular file");
	if (error == EFBIG)
		return ("file too large");
	return (strerror(error));
}

/* Return 1 if s is a valid dag or task id. */
static int
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

/* Report an unknown key, suggesting the closest known one if near. */
static void
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

/*
 * Look for what libconfig 1.5 mishandles before it parses: it truncates
 * integers that do not fit silently, and @include would read other files
 * (unhashed, and anything the user can name). Strings and comments are
 * skipped. Return the number of problems found.
 */
static int
dagfile_prescan(struct dagfile_ctx *ctx, const char *buf, size_t len)
{
	size_t		 i = 0, start;
	int		 line = 1, found = 0, hex;
	uint64_t	 v;
	char		 c;

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define IS_XDIGIT(c) (IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || \
	((c) >= 'A' && (c) <= 'F'))
	while (i < len) {
		c = buf[i];
		if (c == '\n') {
			line++;
			i++;
		} else if (c == '"') {
			for (i++; i < len && buf[i] != '"'; i++) {
				if (buf[i] == '\\' && i + 1 < len)
					i++;
				if (buf[i] == '\n')
					line++;
			}
			i++;
		} else if (c == '#' || (c == '/' && i + 1 < len &&
		    buf[i + 1] == '/')) {
			while (i < len && buf[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && buf[i + 1] == '*') {
			for (i += 2; i < len; i++) {
				if (buf[i] == '*' && i + 1 < len &&
				    buf[i + 1] == '/') {
					i += 2;
					break;
				}
				if (buf[i] == '\n')
					line++;
			}
		} else if (c == '@') {
			if (len - i >= 8 &&
			    strncmp(buf + i, "@include", 8) == 0) {
				dagfile_error(ctx, line,
				    "@include is not supported");
				found++;
			}
			i++;
		} else if (IS_ALPHA(c) || c == '*') {
			while (i < len && (IS_ALPHA(buf[i]) ||
			    IS_DIGIT(buf[i]) || buf[i] == '-' ||
			    buf[i] == '_' || buf[i] == '*'))
				i++;
		} else if (c == '.' && i + 1 < len && IS_DIGIT(buf[i + 1])) {
			while (i < len && (IS_DIGIT(buf[i]) || buf[i] == '.' ||
			    buf[i] == 'e' || buf[i] == 'E' || buf[i] == '+' ||
			    buf[i] == '-'))
				i++;
		} else if (IS_DIGIT(c)) {
			start = i;
			hex = (c == '0' && i + 1 < len &&
			    (buf[i + 1] == 'x' || buf[i + 1] == 'X'));
			v = 0;
			if (hex) {
				for (i += 2; i < len && IS_XDIGIT(buf[i]);
				    i++) {
					if (v <= INT_MAX)
						v = v * 16 + (IS_DIGIT(buf[i]) ?
						    buf[i] - '0' :
						    (buf[i] | 0x20) - 'a' + 10);
				}
			} else {
				for (; i < len && IS_DIGIT(buf[i]); i++) {
					if (v <= INT_MAX)
						v = v * 10 + (buf[i] - '0');
				}
			}
			if (!hex && i < len && (buf[i] == '.' ||
			    buf[i] == 'e' || buf[i] == 'E')) {
				/* A float: skip the rest of it. */
				while (i < len && (IS_DIGIT(buf[i]) ||
				    buf[i] == '.' || buf[i] == 'e' ||
				    buf[i] == 'E' || buf[i] == '+' ||
				    buf[i] == '-'))
					i++;
				continue;
			}
			if (v > INT_MAX) {
				dagfile_error(ctx, line,
				    "integer %.*s is out of range",
				    (int)(i - start), buf + start);
				found++;
			}
		} else
			i++;
	}
#undef IS_DIGIT
#undef IS_ALPHA
#undef IS_XDIGIT
	return (found);
}

/* Read an unsigned decimal field; return -1 if none, -2 if over INT_MAX. */
static int
dagfile_digits(const char **sp, long *out)
{
	const char	*s = *sp;
	long		 v = 0;
	int		 big = 0;

	if (*s < '0' || *s > '9')
		return (-1);
	for (; *s >= '0' && *s <= '9'; s++) {
		if (!big)
			v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			big = 1;
	}
	*sp = s;
	*out = v;
	return (big ? -2 : 0);
}

/*
 * Parse a duration: a number of seconds, or a number with s, m, h or d.
 * Return 0, -1 if malformed, -2 if over INT_MAX seconds.
 */
int
dagfile_parse_duration(const char *s, long *out)
{
	long	 v, mult = 1;
	int	 rc;

	if (s == NULL)
		return (-1);
	if ((rc = dagfile_digits(&s, &v)) == -1)
		return (-1);
	switch (*s) {
	case '\0':
		break;
	case 's':
		s++;
		break;
	case 'm':
		mult = 60;
		s++;
		break;
	case 'h':
		mult = 3600;
		s++;
		break;
	case 'd':
		mult = 86400;
		s++;
		break;
	default:
		return (-1);
	}
	if (*s != '\0')
		return (-1);
	if (rc == -2 || v > INT_MAX / mult)
		return (-2);
	*out = v * mult;
	return (0);
}

/*
 * Parse a memory size to MB: a number of MB, or a number with K, M, G or T
 * (either case; K rounds up). Return 0, -1 if malformed, -2 if over INT_MAX
 * MB.
 */
int
dagfile_parse_memory(const char *s, long *out)
{
	long	 v, mult = 1;
	int	 rc, kilo = 0;

	if (s == NULL)
		return (-1);
	if ((rc = dagfile_digits(&s, &v)) == -1)
		return (-1);
	switch (*s) {
	case '\0':
		break;
	case 'K':
	case 'k':
		kilo = 1;
		s++;
		break;
	case 'M':
	case 'm':
		s++;
		break;
	case 'G':
	case 'g':
		mult = 1024;
		s++;
		break;
	case 'T':
	case 't':
		mult = 1024 * 1024;
		s++;
		break;
	default:
		return (-1);
	}
	if (*s != '\0')
		return (-1);
	if (rc == -2)
		return (-2);
	if (kilo)
		v = (v + 1023) / 1024;
	else if (v > INT_MAX / mult)
		return (-2);
	else
		v *= mult;
	*out = v;
	return (0);
}

/*
 * Parse a time limit as sbatch does: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or
 * D-HH:MM:SS, to minutes, rounding seconds up. Return 0, -1 if malformed, -2
 * if over INT_MAX minutes.
 */
int
dagfile_parse_time_limit(const char *s, long *out)
{
	long	 f[3], days = -1;
	int64_t	 total;
	int	 n = 0, rc, big = 0;

	if (s == NULL)
		return (-1);
	if ((rc = dagfile_digits(&s, &f[0])) == -1)
		return (-1);
	big |= (rc == -2);
	if (*s == '-') {
		days = f[0];
		s++;
		if ((rc = dagfile_digits(&s, &f[0])) == -1)
			return (-1);
		big |= (rc == -2);
	}
	n = 1;
	while (*s == ':' && n < 3) {
		s++;
		if ((rc = dagfile_digits(&s, &f[n])) == -1)
			return (-1);
		big |= (rc == -2);
		n++;
	}
	if (*s != '\0')
		return (-1);

	/* Fields after the first are bounded; the first is not (but D-HH). */
	if (days != -1) {
		if (f[0] >= 24 || (n > 1 && f[1] >= 60) ||
		    (n > 2 && f[2] >= 60))
			return (-1);
	} else if (n > 1) {
		if (f[n - 1] >= 60 || (n > 2 && f[1] >= 60))
			return (-1);
	}
	if (big)
		return (-2);

	if (days != -1) {
		total = (int64_t)days * 1440 + (int64_t)f[0] * 60;
		if (n > 1)
			total += f[1];
		if (n > 2)
			total += (f[2] + 59) / 60;
	} else if (n == 1)
		total = f[0];
	else if (n == 2)
		total = f[0] + (f[1] + 59) / 60;
	else
		total = (int64_t)f[0] * 60 + f[1] + (f[2] + 59) / 60;
	if (total > INT_MAX)
		return (-2);
	*out = total;
	return (0);
}

/* The signals sbatch --signal knows by name. */
static const struct {
	const char	*name;
	int		 num;
} dagfile_signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ABRT", SIGABRT }, { "KILL", SIGKILL }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "URG", SIGURG }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "XCPU", SIGXCPU },
};

/*
 * Parse sbatch's --signal=[B:]SIG[@SECONDS]: SIG a number from 1 to 64 or a
 * name (USR1, SIGUSR1, either case), SECONDS from 0 to 65535 (default 60).
 * Return 0 or -1 if malformed.
 */
int
dagfile_parse_signal(const char *s, int *num, int *secs, int *batch_only)
{
	const char	*at;
	size_t		 len, i;
	long		 v;
	int		 b = 0, n = 0, t = 60;

	if (s == NULL)
		return (-1);
	if ((s[0] == 'B' || s[0] == 'b') && s[1] == ':') {
		b = 1;
		s += 2;
	}
	if ((at = strchr(s, '@')) == NULL)
		at = s + strlen(s);
	len = at - s;
	if (len > 0 && *s >= '0' && *s <= '9') {
		if (dagfile_digits(&s, &v) != 0 || s != at || v < 1 || v > 64)
			return (-1);
		n = (int)v;
	} else {
		if (len > 3 && strncasecmp(s, "SIG", 3) == 0) {
			s += 3;
			len -= 3;
		}
		for (i = 0; i < sizeof dagfile_signals /
		    sizeof dagfile_signals[0]; i++) {
			if (strlen(dagfile_signals[i].name) == len &&
			    strncasecmp(dagfile_signals[i].name, s, len) == 0)
				n = dagfile_signals[i].num;
		}
		if (n == 0)
			return (-1);
	}
	if (*at == '@') {
		s = at + 1;
		if (dagfile_digits(&s, &v) != 0 || *s != '\0' || v > 65535)
			return (-1);
		t = (int)v;
	}
	*num = n;
	*secs = t;
	*batch_only = b;
	return (0);
}

/* sbatch's --mail-type words; TIME_LIMIT_* before TIME_LIMIT. */
static const struct {
	const char	*name;
	int		 bits;
} dagfile_mail_types[] = {
	{ "NONE", 0 },
	{ "BEGIN", RES_MAIL_BEGIN },
	{ "END", RES_MAIL_END },
	{ "FAIL", RES_MAIL_FAIL },
	{ "REQUEUE", RES_MAIL_REQUEUE },
	{ "ALL", RES_MAIL_BEGIN | RES_MAIL_END | RES_MAIL_FAIL |
	    RES_MAIL_REQUEUE | RES_MAIL_STAGE_OUT | RES_MAIL_INVALID_DEPEND },
	{ "INVALID_DEPEND", RES_MAIL_INVALID_DEPEND },
	{ "STAGE_OUT", RES_MAIL_STAGE_OUT },
	{ "TIME_LIMIT", RES_MAIL_TIME100 },
	{ "TIME_LIMIT_90", RES_MAIL_TIME90 },
	{ "TIME_LIMIT_80", RES_MAIL_TIME80 },
	{ "TIME_LIMIT_50", RES_MAIL_TIME50 },
};

/*
 * Parse sbatch's --mail-type: words separated by commas, either case.
 * Return 0, or -1 with the first bad word's start and length in *bad and
 * *badlen.
 */
int
dagfile_parse_mail_type(const char *s, int *out, const char **bad,
    size_t *badlen)
{
	const char	*end;
	size_t		 len, i, n = sizeof dagfile_mail_types /
			    sizeof dagfile_mail_types[0];
	int		 bits = 0;

	for (;;) {
		if ((end = strchr(s, ',')) == NULL)
			end = s + strlen(s);
		len = end - s;
		for (i = 0; i < n; i++) {
			if (strlen(dagfile_mail_types[i].name) == len &&
			    strncasecmp(dagfile_mail_types[i].name, s, len) ==
			    0)
				break;
		}
		if (i == n) {
			*bad = s;
			*badlen = len;
			return (-1);
		}
		bits |= dagfile_mail_types[i].bits;
		if (*end == '\0')
			break;
		s = end + 1;
	}
	*out = bits;
	return (0);
}

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
			if (dagfile_digits(&p, &v) != 0 || v < 1)
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
	if ((rc = dagfile_digits(&s, &v)) == -1 || *s != '\0')
		return (-1);
	if (rc == -2 || v > DAGFILE_NICE_MAX)
		return (-2);
	*out = neg ? -v : v;
	return (0);
}

static int
dagfile_line(const config_setting_t *s)
{
	return (config_setting_source_line(s));
}

static int
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

/* Return a string setting's value, or NULL after reporting a wrong type. */
static const char *
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
		if (ll < 0) {
			dagfile_error(ctx, line, "%s'%s' must not be negative",
			    prefix, name);
			return (-1);
		}
		if (ll > INT_MAX) {
			dagfile_error(ctx, line, "%s'%s' is too large", prefix,
			    name);
			return (-1);
		}
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
 * Set key k from a string value, for the kinds given as strings both in a
 * DAG file and on an #SBATCH line; name is how the user wrote the key.
 * Return 0, or -1 after reporting why the value is bad.
 */
static int
dagfile_set_text(struct dagfile_ctx *ctx, int line, const char *where,
    const char *name, size_t k, const char *value, struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[k];
	const char			*bad, *p;
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
		if (strpbrk(value, " \t\n\r\f\v") != NULL) {
			dagfile_error(ctx, line,
			    "%s'%s' must not contain white space", where, name);
			return (-1);
		}
		if (key->kind == DK_LICENSES &&
		    !dagfile_valid_licenses(value)) {
			dagfile_error(ctx, line, "%sbad licenses '%s': "
			    "expected " DAGFILE_LICENSES_HINT, where, value);
			return (-1);
		}
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		break;
	case DK_TEXT:
		for (p = value; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				dagfile_error(ctx, line, "%s'%s' must not "
				    "contain control characters", where, name);
				return (-1);
			}
		}
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
		if (dagfile_parse_signal(value, &num, &secs, &batch) != 0) {
			dagfile_error(ctx, line, "%sbad signal '%s': expected "
			    DAGFILE_SIGNAL_HINT, where, value);
			return (-1);
		}
		spec->t.res.signal.num = num;
		spec->t.res.signal.secs = secs;
		spec->t.res.signal.batch_only = batch;
		break;
	case DK_MAIL_TYPE:
		if (dagfile_parse_mail_type(value, &bits, &bad, &badlen) !=
		    0) {
			dagfile_error(ctx, line, "%sbad mail type '%.*s': "
			    "expected " DAGFILE_MAIL_HINT, where, (int)badlen,
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

/* Set one option's value in spec, or report why it cannot be. */
static void
dagfile_sbatch_set(struct dagfile_ctx *ctx, int line, const char *where,
    const char *opt, const struct dagfile_sbatch_opt *o, const char *value,
    struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[o->key];
	const char			*p, *what = NULL, *hint = NULL;
	char				*field;
	long				 v;
	int				 rc;

	field = (char *)&spec->t + key->off;
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
		p = value;
		if ((rc = dagfile_digits(&p, &v)) == 0 && *p != '\0')
			rc = -1;
		if (rc == -1 && o->key == KEY_NODES && strchr(value, '-')) {
			dagfile_error(ctx, line, "%sbad %s '%s': ranges are "
			    "not supported, give one number", where, o->what,
			    value);
			return;
		}
		if (rc == -1 && (o->key == KEY_GPUS ||
		    o->key == KEY_GPUS_PER_NODE) && strchr(value, ':')) {
			dagfile_error(ctx, line, "%sbad %s '%s': expected a "
			    "number (for a gpu type use --gres=gpu:%s)", where,
			    o->what, value, value);
			return;
		}
		if (rc == -1) {
			dagfile_error(ctx, line, "%sbad %s '%s': expected a "
			    "number", where, o->what, value);
			return;
		}
		if (rc == -2) {
			dagfile_error(ctx, line, "%sbad %s '%s': too large",
			    where, o->what, value);
			return;
		}
		if (key->kind == DK_COUNT1 && v < 1) {
			dagfile_error(ctx, line, "%s'%s' must be at least 1",
			    where, opt);
			return;
		}
		*(int *)field = (int)v;
		break;
	case DK_TIME:
	case DK_MEM:
		if (key->kind == DK_TIME) {
			rc = dagfile_parse_time_limit(value, &v);
			what = "time limit";
			hint = DAGFILE_TIME_HINT;
		} else {
			rc = dagfile_parse_memory(value, &v);
			what = "memory size";
			hint = DAGFILE_MEM_HINT;
		}
		if (rc == -1) {
			dagfile_error(ctx, line, "%sbad %s '%s': expected %s",
			    where, what, value, hint);
			return;
		}
		if (rc == -2) {
			dagfile_error(ctx, line, "%sbad %s '%s': too large",
			    where, what, value);
			return;
		}
		if (v == 0) {
			dagfile_error(ctx, line,
			    "%s'%s' must be more than zero", where, opt);
			return;
		}
		if (dagfile_mem_conflict(ctx, line, where, spec, o->key, 1))
			return;
		*(long *)field = v;
		break;
	default:
		return;
	}
	spec->set |= KEY_BIT(o->key);
}

/* Read the options on one #SBATCH line (what follows "#SBATCH"). */
static void
dagfile_sbatch_line(struct dagfile_ctx *ctx, int line, const char *where,
    const char *text, size_t len, struct dagfile_spec *spec)
{
	const struct dagfile_sbatch_opt	*o;
	const char			*word, *value, *eq;
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
		value = NULL;
		if (word[1] == '-') {
			eq = strchr(word, '=');
			namelen = eq != NULL ? (size_t)(eq - word) :
			    strlen(word);
			o = dagfile_sbatch_find(word + 2, namelen - 2, 0);
			if (eq != NULL)
				value = eq + 1;
		} else {
			namelen = 2;
			o = dagfile_sbatch_find(NULL, 0, word[1]);
			if (word[2] != '\0')
				value = word + 2;
		}
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
 * a readable regular file, fold its bytes into the version hash and read its
 * #SBATCH lines into spec.
 */
static char *
dagfile_script(struct dagfile_ctx *ctx, const char *prefix, int line,
    const char *script, struct dagfile_spec *spec)
{
	struct stat	 sb;
	char		*path, *head, buf[65536];
	size_t		 headlen = 0, take, i;
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
	if ((fd = open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	for (;;) {
		if ((n = read(fd, buf, sizeof buf)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
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
	dagfile_sbatch(ctx, prefix, line, script, head, headlen, more, spec);
	free(head);
	return (path);

fail:
	dagfile_error(ctx, line, "%sscript '%s': %s", prefix, script,
	    dagfile_strerror(errno));
	if (fd != -1)
		close(fd);
	free(head);
	free(path);
	return (NULL);
}

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

static void
dagfile_env_free(struct task_env *env, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(env[i].name);
		free(env[i].value);
	}
	free(env);
}

/* Read an env group (the top level's or a task's) into a list. */
static void
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
		e = config_setting_get_elem(s, i);
		if (e == NULL || (name = config_setting_name(e)) == NULL)
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

/*
 * Read a 'notify' key (the DAG's or a task's): a list of site channels, or
 * { channels = [...]; events = [...]; }. -1 after an error.
 */
static int
dagfile_notify(struct dagfile_ctx *ctx, const char *prefix,
    const config_setting_t *s, struct notify_spec *spec)
{
	const config_setting_t	*list = s, *ev, *e;
	const char		*v;
	int			 i, n, bit, line = dagfile_line(s);

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
	n = list != NULL ? config_setting_length(list) : 0;
	if (list != NULL)
		spec->channels = xcalloc(n + 1, sizeof *spec->channels);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if ((v = config_setting_get_string(e)) == NULL) {
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
	n = ev != NULL ? config_setting_length(ev) : 0;
	if (ev != NULL && n == 0) {
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
			    "run_success, sla_miss, all)", prefix,
			    v != NULL ? v : "?");
			return (-1);
		}
		spec->events |= bit;
	}
	return (0);
}

/* Read one key of a task or of the defaults into spec. */
static void
dagfile_key(struct dagfile_ctx *ctx, const char *prefix, size_t k,
    const config_setting_t *s, struct dagfile_spec *spec)
{
	const struct dagfile_key	*key = &dagfile_task_keys[k];
	const char			*str, *name = key->name;
	char				*field;
	long long			 ll;
	long				 v;
	int				 line = dagfile_line(s), rc;

	field = (char *)&spec->t + key->off;
	switch (key->kind) {
	case DK_ID:
		return;		/* read by the caller */
	case DK_COMMAND:
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return;
		if (*str == '\0') {
			dagfile_error(ctx, line,
			    "%s'command' must not be empty", prefix);
			return;
		}
		if (dagfile_templates(ctx, line, prefix, str, "'command'") != 0)
			return;
		spec->t.command = xstrdup(str);
		break;
	case DK_SCRIPT:
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return;
		if (*str == '\0') {
			dagfile_error(ctx, line, "%s'script' must not be empty",
			    prefix);
			return;
		}
		/* Checked and resolved once command is known not to be set. */
		spec->t.script = xstrdup(str);
		break;
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
	case DK_STRING:
	case DK_TEXT:
	case DK_LICENSES:
	case DK_SIGNAL:
	case DK_MAIL_TYPE:
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return;
		dagfile_set_text(ctx, line, prefix, name, k, str, spec);
		return;
	case DK_WORKDIR:
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return;
		if (*str == '\0') {
			dagfile_error(ctx, line,
			    "%s'workdir' must not be empty", prefix);
			return;
		}
		if (dagfile_templates(ctx, line, prefix, str, "'workdir'") != 0)
			return;
		*(char **)field = xstrdup(str);
		break;
	case DK_MODULES:
		if (dagfile_modules(ctx, prefix, s, (char ***)field) != 0)
			return;
		break;
	case DK_NOTIFY:
		if (dagfile_notify(ctx, prefix, s, &spec->t.notify) != 0)
			return;
		break;
	case DK_NICE:
		if (dagfile_integer(s, &ll) != 0) {
			dagfile_error(ctx, line, "%s'%s' must be an integer",
			    prefix, name);
			return;
		}
		if (ll < -DAGFILE_NICE_MAX || ll > DAGFILE_NICE_MAX) {
			dagfile_error(ctx, line, "%s'%s' must be between "
			    "-2147483645 and 2147483645", prefix, name);
			return;
		}
		*(int *)field = (int)ll;
		break;
	case DK_COUNT0:
	case DK_COUNT1:
		if (dagfile_integer(s, &ll) != 0) {
			dagfile_error(ctx, line, "%s'%s' must be an integer",
			    prefix, name);
			return;
		}
		if (key->kind == DK_COUNT0 && ll < 0) {
			dagfile_error(ctx, line, "%s'%s' must not be negative",
			    prefix, name);
			return;
		}
		if (key->kind == DK_COUNT1 && ll < 1) {
			dagfile_error(ctx, line, "%s'%s' must be at least 1",
			    prefix, name);
			return;
		}
		if (ll > INT_MAX) {
			dagfile_error(ctx, line, "%s'%s' is too large", prefix,
			    name);
			return;
		}
		*(int *)field = (int)ll;
		break;
	case DK_TIME:
		if (dagfile_measure(ctx, prefix, s, dagfile_parse_time_limit,
		    "time limit", DAGFILE_TIME_HINT, 0, &v) != 0)
			return;
		*(long *)field = v;
		break;
	case DK_MEM:
		if (dagfile_measure(ctx, prefix, s, dagfile_parse_memory,
		    "memory size", DAGFILE_MEM_HINT, 0, &v) != 0)
			return;
		*(long *)field = v;
		break;
	case DK_DURATION:
		if (dagfile_measure(ctx, prefix, s, dagfile_parse_duration,
		    "duration", "a number with s, m, h or d", 1, &v) != 0)
			return;
		*(long *)field = v;
		break;
	case DK_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			dagfile_error(ctx, line, "%s'%s' must be true or false",
			    prefix, name);
			return;
		}
		*(int *)field = config_setting_get_bool(s) != 0;
		break;
	case DK_TRIGGER:
		if ((str = dagfile_string(ctx, prefix, s)) == NULL)
			return;
		if ((rc = trigger_rule_parse(str)) < 0) {
			dagfile_error(ctx, line, "%sbad trigger_rule '%s': "
			    "expected %s", prefix, str, TRIGGER_RULE_NAMES);
			return;
		}
		*(int *)field = rc;
		break;
	}
	spec->set |= KEY_BIT(k);
}

/* Read the keys of a task (or of the defaults if first is not 0). */
static void
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
		s = config_setting_get_elem(group, i);
		if (s == NULL || (name = config_setting_name(s)) == NULL)
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

static void
dagfile_free_list(char **list)
{
	size_t	i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
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
	int			 gpu_gres;

	dagfile_fill(spec, defaults);
	dagfile_fill(spec, script);
	if (~spec->set & KEY_BIT(KEY_RETRY_DELAY))
		spec->t.retry_delay = 300;

	if (res->partition == NULL && cfg != NULL) {
		if (res->gpus > 0 || res->gpus_per_node > 0 ||
		    res->gpus_per_task > 0 ||
		    (res->gres != NULL && strstr(res->gres, "gpu") != NULL))
			partition = cfg->gpu_partition;
		else
			partition = cfg->default_partition;
		if (partition != NULL)
			res->partition = xstrdup(partition);
	}

	/* Both become a gpu TRES; Slurm takes neither with the other. */
	gpu_gres = res->gres != NULL && dagfile_gres_gpu(res->gres);
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
	dagfile_env_free(t->env, t->nenv);
	t->env = env;
	t->nenv = nenv;
}

static void
dagfile_free_task(struct task *t)
{
	size_t	i;

	free(t->id);
	free(t->command);
	free(t->script);
	for (i = 0; i < t->nafter; i++)
		free(t->after[i]);
	free(t->after);
	free(t->res.partition);
	free(t->res.account);
	free(t->res.qos);
	free(t->res.constraint);
	free(t->res.gres);
	free(t->res.reservation);
	free(t->res.licenses);
	free(t->res.comment);
	free(t->res.mail_user);
	dagfile_env_free(t->env, t->nenv);
	dagfile_free_list(t->modules);
	free(t->workdir);
	notify_spec_free(&t->notify);
	taskio_free(t);
}

/* Read one task; it is added to the DAG even if it has problems. */
static void
dagfile_task(struct dagfile_ctx *ctx, const config_setting_t *group,
    size_t idx, const struct dagfile_spec *defaults)
{
	struct dag		*dag = ctx->dag;
	struct dagfile_spec	 spec, sbatch;
	const config_setting_t	*s, *cmd_s, *script_s;
	const char		*id = NULL;
	char			*prefix, *script;
	int			 line = dagfile_line(group), id_line = line;

	memset(&spec, 0, sizeof spec);
	memset(&sbatch, 0, sizeof sbatch);
	spec.t.line = line;

	if ((s = config_setting_get_member(group, "id")) == NULL)
		dagfile_error(ctx, line, "task #%zu: missing 'id'", idx + 1);
	else {
		id_line = dagfile_line(s);
		if ((id = dagfile_string(ctx, "", s)) == NULL)
			;
		else if (strlen(id) > DAGFILE_MAX_ID) {
			dagfile_error(ctx, id_line,
			    "task id is longer than %d characters",
			    DAGFILE_MAX_ID);
			id = NULL;
		} else if (!dagfile_valid_id(id)) {
			dagfile_error(ctx, id_line,
			    "invalid task id '%s': " DAGFILE_ID_HINT, id);
			id = NULL;
		}
	}
	if (id != NULL) {
		spec.t.id = xstrdup(id);
		xasprintf(&prefix, "task '%s': ", id);
	} else
		xasprintf(&prefix, "task #%zu: ", idx + 1);

	dagfile_spec(ctx, prefix, group, 0, &spec);

	cmd_s = config_setting_get_member(group, "command");
	script_s = config_setting_get_member(group, "script");
	if (cmd_s == NULL && script_s == NULL) {
		dagfile_error(ctx, line, "%smissing 'command' or 'script'",
		    prefix);
	} else if (cmd_s != NULL && script_s != NULL) {
		dagfile_error(ctx, dagfile_line(script_s),
		    "%s'command' and 'script' are both set", prefix);
	} else if (spec.t.script != NULL) {
		script = dagfile_script(ctx, prefix, dagfile_line(script_s),
		    spec.t.script, &sbatch);
		free(spec.t.script);
		spec.t.script = script;
	}

	dagfile_cascade(ctx, prefix, &spec, defaults, &sbatch);
	dagfile_free_task(&sbatch.t);
	dagfile_merge_env(ctx, &spec.t);

	s = config_setting_get_member(group, "after");
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
	ctx->after_lines[dag->ntasks] = s != NULL ? dagfile_line(s) : line;
	dag->tasks[dag->ntasks++] = spec.t;
	free(prefix);
}

/* A task id and where the task is, for sorting and searching. */
struct dagfile_ref {
	const char	*id;
	size_t		 idx;
};

static int
dagfile_cmp_refs(const void *a0, const void *b0)
{
	const struct dagfile_ref	*a = a0, *b = b0;
	int				 c;

	if ((c = strcmp(a->id, b->id)) != 0)
		return (c);
	return (a->idx < b->idx ? -1 : (a->idx > b->idx));
}

/* Return the index of the first task (in file order) with id, or -1. */
static ssize_t
dagfile_lookup(const struct dagfile_ref *refs, size_t n, const char *id)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(refs[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(refs[lo].id, id) == 0)
		return ((ssize_t)refs[lo].idx);
	return (-1);
}

/* Report a cycle found on the walk's stack, from its earliest task. */
static void
dagfile_cycle(struct dagfile_ctx *ctx, const size_t *cyc, size_t n)
{
	struct dag	*dag = ctx->dag;
	const char	*id;
	char		*msg;
	size_t		 i, first = 0, size = sizeof "cycle:", len;

	for (i = 0; i < n; i++) {
		if (cyc[i] < cyc[first])
			first = i;
		size += strlen(dag->tasks[cyc[i]].id) + 4;
	}
	size += strlen(dag->tasks[cyc[first]].id) + 4;
	msg = xmalloc(size);
	len = snprintf(msg, size, "cycle:");
	for (i = 0; i <= n; i++) {
		id = dag->tasks[cyc[(first + i) % n]].id;
		len += snprintf(msg + len, size - len, "%s %s",
		    i == 0 ? "" : " ->", id);
	}
	dagfile_error(ctx, dag->tasks[cyc[first]].line, "%s", msg);
	free(msg);
}

/*
 * Check the ids are unique, resolve every 'after' (dropping repeats) and look
 * for cycles with an iterative depth-first walk along downstream edges (u ->
 * t when t runs after u), so a deep graph cannot overflow the stack.
 */
static void
dagfile_graph(struct dagfile_ctx *ctx)
{
	struct dag		*dag = ctx->dag;
	struct dagfile_ref	*refs;
	struct task		*t;
	size_t			 n = dag->ntasks, nrefs = 0, nedges = 0;
	size_t			 i, j, k, u, e, depth, keep;
	size_t			*start, *edges, *fill, *stack, *next;
	size_t			*mark;
	ssize_t			 idx;
	char			*color;

	refs = xcalloc(n + 1, sizeof *refs);
	for (i = 0; i < n; i++) {
		if (dag->tasks[i].id != NULL) {
			refs[nrefs].id = dag->tasks[i].id;
			refs[nrefs++].idx = i;
		}
	}
	qsort(refs, nrefs, sizeof *refs, dagfile_cmp_refs);
	for (i = 1, j = 0; i < nrefs; i++) {
		if (strcmp(refs[i].id, refs[j].id) != 0) {
			j = i;
			continue;
		}
		dagfile_error(ctx, ctx->id_lines[refs[i].idx],
		    "duplicate task id '%s' (first at line %d)", refs[i].id,
		    ctx->id_lines[refs[j].idx]);
	}

	/* Count the edges out of each task, dropping repeated names. */
	start = xcalloc(n + 1, sizeof *start);
	mark = xcalloc(n + 1, sizeof *mark);	/* task index + 1 */
	for (i = 0; i < n; i++) {
		t = &dag->tasks[i];
		for (j = 0, keep = 0; j < t->nafter; j++) {
			idx = dagfile_lookup(refs, nrefs, t->after[j]);
			if (idx != -1 && mark[idx] == i + 1) {
				free(t->after[j]);
				continue;
			}
			t->after[keep++] = t->after[j];
			if (idx == -1) {
				/* A task without an id has its error. */
				if (t->id != NULL) {
					dagfile_error(ctx, ctx->after_lines[i],
					    "task '%s': 'after' names unknown "
					    "task '%s'", t->id, t->after[j]);
				}
				continue;
			}
			mark[idx] = i + 1;
			if (t->id != NULL) {
				start[idx]++;
				nedges++;
			}
		}
		t->nafter = keep;
	}
	for (i = 0, e = 0; i <= n; i++) {
		k = start[i];
		start[i] = e;
		e += k;
	}
	edges = xcalloc(nedges + 1, sizeof *edges);
	fill = xcalloc(n + 1, sizeof *fill);
	for (i = 0; i < n; i++) {
		t = &dag->tasks[i];
		for (j = 0; j < t->nafter && t->id != NULL; j++) {
			idx = dagfile_lookup(refs, nrefs, t->after[j]);
			if (idx != -1)
				edges[start[idx] + fill[idx]++] = i;
		}
	}

	color = xcalloc(n + 1, 1);	/* 0 new, 1 on the stack, 2 done */
	stack = xcalloc(n + 1, sizeof *stack);
	next = xcalloc(n + 1, sizeof *next);
	for (i = 0; i < n; i++) {
		if (color[i] != 0)
			continue;
		depth = 0;
		stack[depth++] = i;
		color[i] = 1;
		next[i] = start[i];
		while (depth > 0) {
			u = stack[depth - 1];
			if (next[u] == start[u + 1]) {
				color[u] = 2;
				depth--;
				continue;
			}
			j = edges[next[u]++];
			if (color[j] == 0) {
				color[j] = 1;
				next[j] = start[j];
				stack[depth++] = j;
			} else if (color[j] == 1) {
				for (k = depth; stack[k - 1] != j; k--)
					;
				dagfile_cycle(ctx, stack + k - 1,
				    depth - k + 1);
			}
		}
	}
	free(next);
	free(stack);
	free(color);
	free(fill);
	free(edges);
	free(mark);
	free(start);
	free(refs);
}

/* Return the file name of path without its directory and ".dag". */
static char *
dagfile_stem(const char *path)
{
	const char	*base = strrchr(path, '/');
	size_t		 len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".dag") == 0)
		len -= 4;
	return (xstrndup(base, len));
}

/* Return the absolute directory that holds path. */
static char *
dagfile_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real, *cwd, *abs;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, slash - path);
	if ((real = realpath(dir, NULL)) != NULL) {
		free(dir);
		abs = xstrdup(real);
		free(real);
		return (abs);
	}
	if (*dir != '/' && (cwd = getcwd(NULL, 0)) != NULL) {
		xasprintf(&abs, "%s/%s", cwd, dir);
		free(cwd);
		free(dir);
		return (abs);
	}
	return (dir);
}

/* Parse a date setting in the DAG's zone; return -1 if bad. */
static int
dagfile_date(struct dagfile_ctx *ctx, const config_setting_t *s,
    int64_t *out)
{
	const char	*v;
	char		*cause = NULL;

	if ((v = dagfile_string(ctx, "", s)) == NULL)
		return (-1);
	if (ctx->dag->tz == NULL)
		return (-1);
	if (tz_parse_time(v, ctx->dag->tz, out, &cause) != 0) {
		dagfile_error(ctx, dagfile_line(s), "%s",
		    cause != NULL ? cause : "invalid date");
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * Read 'params = { lr = 0.01; epochs = 10; name = "x"; flag = true; }': each
 * a run parameter whose type is its default's. Names reach jobs upper-cased
 * (UPDRAFT_PARAM_LR), so two that differ only in case are refused.
 */
static void
dagfile_params(struct dagfile_ctx *ctx, const config_setting_t *s)
{
	struct dag		*dag = ctx->dag;
	const config_setting_t	*e;
	struct dag_param	*p;
	const char		*name;
	char			 buf[32];
	size_t			 j;
	int			 i, n, line;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		dagfile_error(ctx, dagfile_line(s), "'params' must be a group: "
		    "params = { lr = 0.01; epochs = 10; }");
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (e == NULL || (name = config_setting_name(e)) == NULL)
			continue;
		line = dagfile_line(e);
		if (!record_valid_name(name)) {
			dagfile_error(ctx, line, "params: invalid name '%s': "
			    "use letters, digits and '_'", name);
			continue;
		}
		for (j = 0; j < dag->nparams; j++) {
			if (strcasecmp(dag->params[j].name, name) == 0)
				break;
		}
		if (j < dag->nparams) {
			dagfile_error(ctx, line, "params: '%s' and '%s' differ "
			    "only in case", dag->params[j].name, name);
			continue;
		}
		dag->params = xreallocarray(dag->params, dag->nparams + 1,
		    sizeof *dag->params);
		p = &dag->params[dag->nparams];
		switch (config_setting_type(e)) {
		case CONFIG_TYPE_FLOAT:
			p->type = PARAM_FLOAT;
			record_format_float(config_setting_get_float(e), buf,
			    sizeof buf);
			break;
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			p->type = PARAM_INT;
			snprintf(buf, sizeof buf, "%lld",
			    config_setting_get_int64(e));
			break;
		case CONFIG_TYPE_BOOL:
			p->type = PARAM_BOOL;
			snprintf(buf, sizeof buf, "%s",
			    config_setting_get_bool(e) ? "true" : "false");
			break;
		case CONFIG_TYPE_STRING:
			p->type = PARAM_STRING;
			break;
		default:
			dagfile_error(ctx, line, "params: '%s' must be a "
			    "number, a string, true or false", name);
			continue;
		}
		p->name = xstrdup(name);
		p->value = xstrdup(p->type == PARAM_STRING ?
		    config_setting_get_string(e) : buf);
		dag->nparams++;
	}
}

/* Read the top-level settings; the tasks come after. */
static void
dagfile_top(struct dagfile_ctx *ctx, const config_setting_t *root)
{
	struct dag		*dag = ctx->dag;
	const config_setting_t	*s, *sched_s;
	const char		*v, *name;
	char			*cause = NULL, *stem;
	long long		 ll;
	size_t			 k, nknown;
	int			 i, n, have_start = 0, have_end = 0;

	for (nknown = 0; dagfile_top_keys[nknown] != NULL; nknown++)
		;
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(root, i);
		if (s == NULL || (name = config_setting_name(s)) == NULL)
			continue;
		for (k = 0; k < nknown; k++) {
			if (strcmp(name, dagfile_top_keys[k]) == 0)
				break;
		}
		if (k == nknown) {
			dagfile_unknown_key(ctx, dagfile_line(s), "", name,
			    dagfile_top_keys, nknown);
		}
	}

	if ((s = config_setting_get_member(root, "dag_id")) != NULL) {
		if ((v = dagfile_string(ctx, "", s)) == NULL)
			;
		else if (strlen(v) > DAGFILE_MAX_ID) {
			dagfile_error(ctx, dagfile_line(s),
			    "dag_id is longer than %d characters",
			    DAGFILE_MAX_ID);
		} else if (!dagfile_valid_id(v)) {
			dagfile_error(ctx, dagfile_line(s),
			    "invalid dag_id '%s': " DAGFILE_ID_HINT, v);
		} else
			dag->id = xstrdup(v);
	} else {
		stem = dagfile_stem(ctx->path);
		if (strlen(stem) > DAGFILE_MAX_ID || !dagfile_valid_id(stem)) {
			dagfile_error(ctx, 0, "file name '%s' is not a valid "
			    "dag_id: set dag_id, or " DAGFILE_ID_HINT, stem);
			free(stem);
		} else
			dag->id = stem;
	}

	v = "UTC";
	if ((s = config_setting_get_member(root, "timezone")) != NULL &&
	    (v = dagfile_string(ctx, "", s)) == NULL)
		v = "UTC";
	if ((dag->tz = tz_load(v, &cause)) == NULL) {
		dagfile_error(ctx, s != NULL ? dagfile_line(s) : 0, "%s",
		    cause != NULL ? cause : "unknown time zone");
		free(cause);
		cause = NULL;
		/* Go on in UTC to find the other problems. */
		if (strcmp(v, "UTC") != 0)
			dag->tz = tz_load("UTC", &cause);
		free(cause);
		cause = NULL;
	}

	v = "none";
	if ((sched_s = config_setting_get_member(root, "schedule")) != NULL &&
	    (v = dagfile_string(ctx, "", sched_s)) == NULL)
		v = NULL;
	if (v != NULL) {
		dag->schedule_text = xstrdup(v);
		if (dag->tz != NULL &&
		    (dag->schedule = schedule_parse(v, dag->tz, &cause)) ==
		    NULL) {
			dagfile_error(ctx, sched_s != NULL ?
			    dagfile_line(sched_s) : 0, "%s",
			    cause != NULL ? cause : "bad schedule");
			free(cause);
			cause = NULL;
		}
	}

	if ((s = config_setting_get_member(root, "start_date")) != NULL)
		have_start = (dagfile_date(ctx, s, &dag->start_date) == 0);
	else if (dag->schedule != NULL &&
	    schedule_kind(dag->schedule) != SCHEDULE_NONE)
		dagfile_error(ctx, sched_s != NULL ? dagfile_line(sched_s) : 0,
		    "missing 'start_date'");
	if ((s = config_setting_get_member(root, "end_date")) != NULL) {
		have_end = (dagfile_date(ctx, s, &dag->end_date) == 0);
		if (have_start && have_end && dag->end_date < dag->start_date) {
			dagfile_error(ctx, dagfile_line(s),
			    "end_date is before start_date");
		}
	}

	dag->timetable = TIMETABLE_INTERVAL;
	if ((s = config_setting_get_member(root, "timetable")) != NULL &&
	    (v = dagfile_string(ctx, "", s)) != NULL) {
		if (strcmp(v, "trigger") == 0)
			dag->timetable = TIMETABLE_TRIGGER;
		else if (strcmp(v, "interval") != 0)
			dagfile_error(ctx, dagfile_line(s), "bad timetable "
			    "'%s': expected 'interval' or 'trigger'", v);
	}

	dag->catchup = 1;
	if ((s = config_setting_get_member(root, "catchup")) != NULL) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			dagfile_error(ctx, dagfile_line(s),
			    "'catchup' must be true or false");
		} else
			dag->catchup = config_setting_get_bool(s) != 0;
	}

	dag->max_active_runs = 16;
	if ((s = config_setting_get_member(root, "max_active_runs")) != NULL) {
		if (dagfile_integer(s, &ll) != 0) {
			dagfile_error(ctx, dagfile_line(s),
			    "'max_active_runs' must be an integer");
		} else if (ll < 1) {
			dagfile_error(ctx, dagfile_line(s),
			    "'max_active_runs' must be at least 1");
		} else if (ll > INT_MAX) {
			dagfile_error(ctx, dagfile_line(s),
			    "'max_active_runs' is too large");
		} else
			dag->max_active_runs = (int)ll;
	}

	if ((s = config_setting_get_member(root, "notify")) != NULL)
		dagfile_notify(ctx, "", s, &dag->notify);
	if ((s = config_setting_get_member(root, "sla")) != NULL &&
	    ((v = dagfile_string(ctx, "", s)) == NULL ||
	    dagfile_parse_duration(v, &dag->sla) != 0 || dag->sla <= 0))
		dagfile_error(ctx, dagfile_line(s), "'sla' must be a duration "
		    "like \"2h\"");
	if ((s = config_setting_get_member(root, "params")) != NULL)
		dagfile_params(ctx, s);
}

/* Read the defaults and the tasks, then check the graph. */
static void
dagfile_tasks(struct dagfile_ctx *ctx, const config_setting_t *root)
{
	struct dagfile_spec	 defaults;
	const config_setting_t	*s, *group;
	int			 i, n;

	memset(&defaults, 0, sizeof defaults);
	if ((s = config_setting_get_member(root, "env")) != NULL)
		dagfile_env(ctx, "", s, &ctx->env, &ctx->nenv);
	if ((s = config_setting_get_member(root, "defaults")) != NULL) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
			dagfile_error(ctx, dagfile_line(s),
			    "'defaults' must be a group");
		} else
			dagfile_spec(ctx, "defaults: ", s, KEY_RETRIES,
			    &defaults);
	}

	if ((s = config_setting_get_member(root, "tasks")) == NULL)
		dagfile_error(ctx, 0, "no tasks");
	else if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		dagfile_error(ctx, dagfile_line(s),
		    "'tasks' must be a list of groups: ( { id = ...; }, ... )");
	} else if ((n = config_setting_length(s)) == 0)
		dagfile_error(ctx, dagfile_line(s), "no tasks");
	else {
		for (i = 0; i < n; i++) {
			group = config_setting_get_elem(s, i);
			if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
				dagfile_error(ctx, dagfile_line(group),
				    "task #%d must be a group: { id = ...; }",
				    i + 1);
				continue;
			}
			dagfile_task(ctx, group, i, &defaults);
		}
		dagfile_graph(ctx);
	}
	dagfile_free_task(&defaults.t);
}

/*
 * Validate the text of a .dag file read from path; scripts named in copies
 * are read from their copies (and run from them). Return NULL with every
 * problem, one per line, in *cause.
 */
static struct dag *
dagfile_parse(const char *path, const char *buf, size_t len,
    const struct dagfile_script_copy *copies, size_t ncopies,
    const struct config *cfg, char **cause)
{
	struct dagfile_ctx	 ctx;
	struct dag		*dag;
	config_t		 lc;
	const char		*text;
	size_t			 i;

	if (memchr(buf, '\0', len) != NULL) {
		xasprintf(cause, "%s: not a text file", path);
		return (NULL);
	}

	memset(&ctx, 0, sizeof ctx);
	ctx.path = path;
	ctx.cfg = cfg;
	ctx.copies = copies;
	ctx.ncopies = ncopies;
	ctx.hash = DAGFILE_FNV_OFFSET;
	dagfile_hash(&ctx.hash, buf, len);
	dag = ctx.dag = xcalloc(1, sizeof *dag);
	dag->owner_uid = dag->owner_gid = -1;	/* ourselves; see dagbag.c */
	dag->path = xstrdup(path);

	config_init(&lc);
	if (dagfile_prescan(&ctx, buf, len) == 0 &&
	    config_read_string(&lc, buf) != CONFIG_TRUE) {
		text = config_error_text(&lc);
		if (text == NULL || strcmp(text, "syntax error") == 0)
			dagfile_error(&ctx, config_error_line(&lc),
			    "syntax error");
		else
			dagfile_error(&ctx, config_error_line(&lc),
			    "syntax error: %s", text);
	}
	if (ctx.nerrs == 0) {
		ctx.dir = dagfile_dir(path);
		dagfile_top(&ctx, config_root_setting(&lc));
		dagfile_tasks(&ctx, config_root_setting(&lc));
	}
	config_destroy(&lc);

	snprintf(dag->version, sizeof dag->version, "%016" PRIx64, ctx.hash);
	if (ctx.nerrs != 0) {
		*cause = dagfile_join_errors(&ctx);
		dag_free(dag);
		dag = NULL;
	} else if (dag->ntasks > 0 && dag->ntasks < ctx.tasks_size) {
		/* A scheduler keeps a thousand of these: no spare room. */
		dag->tasks = xreallocarray(dag->tasks, dag->ntasks,
		    sizeof *dag->tasks);
	}
	for (i = 0; i < ctx.nerrs; i++)
		free(ctx.errs[i].msg);
	free(ctx.errs);
	free(ctx.id_lines);
	free(ctx.after_lines);
	dagfile_env_free(ctx.env, ctx.nenv);
	free(ctx.dir);
	return (dag);
}

/*
 * Load and validate one .dag file. Return NULL with every problem, one per
 * line, in *cause.
 */
struct dag *
dagfile_load(const char *path, const struct config *cfg, char **cause)
{
	struct dag	*dag;
	char		*buf;
	size_t		 len;

	if (dagfile_read_file(path, DAGFILE_MAX_SIZE, &buf, &len) != 0) {
		xasprintf(cause, "cannot open dag file '%s': %s", path,
		    dagfile_strerror(errno));
		return (NULL);
	}
	dag = dagfile_parse(path, buf, len, NULL, 0, cfg, cause);
	free(buf);
	return (dag);
}

/*
 * Load an old version of the .dag file at path from its text, each script
 * it ran from a copy; text is NUL-terminated.
 */
struct dag *
dagfile_load_version(const char *path, const char *text,
    const struct dagfile_script_copy *copies, size_t ncopies,
    const struct config *cfg, char **cause)
{
	return (dagfile_parse(path, text, strlen(text), copies, ncopies, cfg,
	    cause));
}

/* Fold a whole file into the hash; -1 when it cannot be read. */
static int
dagfile_hash_file(uint64_t *h, const char *path)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC)) == -1)
		return (-1);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return (-1);
		}
		dagfile_hash(h, buf, n);
	}
	close(fd);
	return (0);
}

/*
 * The version dag would have if its file were loaded again now: the hash of
 * the file, then of each task's script, as dagfile_load makes it, without
 * parsing. -1 when a file cannot be read.
 */
int
dagfile_version(const struct dag *dag, char out[17])
{
	uint64_t	 h = DAGFILE_FNV_OFFSET;
	size_t		 i;

	if (dagfile_hash_file(&h, dag->path) != 0)
		return (-1);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].script != NULL &&
		    dagfile_hash_file(&h, dag->tasks[i].script) != 0)
			return (-1);
	}
	snprintf(out, 17, "%016" PRIx64, h);
	return (0);
}

void
dag_free(struct dag *dag)
{
	size_t	i;

	if (dag == NULL)
		return;
	for (i = 0; i < dag->ntasks; i++)
		dagfile_free_task(&dag->tasks[i]);
	free(dag->tasks);
	for (i = 0; i < dag->nparams; i++) {
		free(dag->params[i].name);
		free(dag->params[i].value);
	}
	free(dag->params);
	if (dag->schedule != NULL)
		schedule_free(dag->schedule);
	if (dag->tz != NULL)
		tz_free(dag->tz);
	free(dag->schedule_text);
	free(dag->path);
	free(dag->id);
	notify_spec_free(&dag->notify);
	free(dag);
}

/* Return the task with this id, or NULL. */
struct task *
dag_find_task(const struct dag *dag, const char *id)
{
	size_t	i;

	if (dag == NULL || id == NULL)
		return (NULL);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].id != NULL &&
		    strcmp(dag->tasks[i].id, id) == 0)
			return (&dag->tasks[i]);
	}
	return (NULL);
}
