/*
 * What the dagfile*.c files share while they read one .dag file. They call
 * downwards only: dagfile.c (top level) -> dagfile-task.c -> dagfile-sbatch.c
 * -> dagfile-keys.c; dagfile-graph.c; all -> dagfile-ctx.c.
 */

#ifndef DAGFILE_INT_H
#define DAGFILE_INT_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

#include "updraft.h"

#define DAGFILE_MAX_SIZE	(16 * 1024 * 1024)
#define DAGFILE_MAX_ID		128
#define DAGFILE_ID_HINT		"use letters, digits, '_', '.' and '-'"
#define DAGFILE_LICENSES_HINT	"NAME[:COUNT], separated by ',' or '|'"
/* sbatch's bound on --nice. */
#define DAGFILE_NICE_MAX	2147483645

/* Only this much of a script is read for #SBATCH lines. */
#define DAGFILE_SCRIPT_HEAD	(64 * 1024)

#define DAGFILE_FNV_OFFSET	0xcbf29ce484222325ULL
#define DAGFILE_FNV_PRIME	0x100000001b3ULL

struct dagfile_error;

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
	const config_setting_t	*root;		/* the file's top level */
	int			 have_start;	/* a valid start_date */
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
	KEY_NODE_FAIL_USES_TRY,
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

/* A task or the defaults while they are read: which keys were set. */
struct dagfile_spec {
	struct task	 t;
	uint64_t	 set;
};

/* A task key: its name, how it is read, where it goes in struct task. */
struct dagfile_key {
	const char		*name;
	enum dagfile_kind	 kind;
	size_t			 off;
};
/* dagfile-keys.c */
extern const struct dagfile_key dagfile_task_keys[KEY_COUNT];

/* dagfile-ctx.c: problems, the file, a setting's type, range or id. */
void	 dagfile_error(struct dagfile_ctx *, int, const char *, ...)
	     printflike(3, 4);
char	*dagfile_join_errors(struct dagfile_ctx *);
void	 dagfile_ctx_free(struct dagfile_ctx *);
void	 dagfile_hash(uint64_t *, const void *, size_t);
const char	*dagfile_strerror(int);
int	 dagfile_valid_id(const char *);
int	 dagfile_check_id(struct dagfile_ctx *, int, const char *,
	     const char *);
void	 dagfile_unknown_key(struct dagfile_ctx *, int, const char *,
	     const char *, const char **, size_t);
int	 dagfile_line(const config_setting_t *);
int	 dagfile_integer(const config_setting_t *, long long *);
int	 dagfile_range(struct dagfile_ctx *, int, const char *, const char *,
	     long long, long long, long long);
int	 dagfile_int(struct dagfile_ctx *, const char *,
	     const config_setting_t *, long long, long long, long long *);
const config_setting_t *dagfile_member(const config_setting_t *, int,
	     const char **);
const char	*dagfile_string(struct dagfile_ctx *, const char *,
	     const config_setting_t *);

/* dagfile-sbatch.c: sbatch options, as keys or on #SBATCH lines. */
int	 dagfile_set_text(struct dagfile_ctx *, int, const char *, const char *,
	     size_t, const char *, struct dagfile_spec *);
char	*dagfile_script(struct dagfile_ctx *, const char *, int, const char *,
	     struct dagfile_spec *);

/* dagfile-task.c: the keys of a task and of the defaults. */
void	 dagfile_env(struct dagfile_ctx *, const char *,
	     const config_setting_t *, struct task_env **, size_t *);
int	 dagfile_notify(struct dagfile_ctx *, const char *,
	     const config_setting_t *, struct notify_spec *);
void	 dagfile_spec(struct dagfile_ctx *, const char *,
	     const config_setting_t *, size_t, struct dagfile_spec *);
void	 dagfile_task(struct dagfile_ctx *, const config_setting_t *, size_t,
	     const struct dagfile_spec *);

/* dagfile-graph.c: ids, upstreams and cycles. */
void	 dagfile_graph(struct dagfile_ctx *);

#endif
