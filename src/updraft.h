/* Types and functions shared by every part of Updraft. */

#ifndef UPDRAFT_H
#define UPDRAFT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define printflike(a, b) __attribute__((format(printf, a, b)))

/*
 * Time: every instant is an int64_t count of seconds since the Unix epoch
 * (UTC). A "wall" time is the same count read as if the zone were UTC: the
 * naive calendar reading of a clock in some zone.
 */

/* xmalloc.c: allocation that never returns NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) printflike(2, 3);
int	 xvasprintf(char **, const char *, va_list);

/* log.c: the one logging funnel. */
void	 log_open(const char *, int, int);
void	 log_warn(const char *, ...) printflike(1, 2);
void	 log_warnx(const char *, ...) printflike(1, 2);
void	 log_info(const char *, ...) printflike(1, 2);
void	 log_debug(const char *, ...) printflike(1, 2);
__attribute__((noreturn)) void fatal(const char *, ...) printflike(1, 2);
__attribute__((noreturn)) void fatalx(const char *, ...) printflike(1, 2);

/* tz.c: IANA time zones read from TZif files; no global TZ state. */
struct tz;
struct tz	*tz_load(const char *, char **);
void		 tz_free(struct tz *);
const char	*tz_name(const struct tz *);
long		 tz_offset(const struct tz *, int64_t);
int		 tz_next_transition(const struct tz *, int64_t, int64_t *);
int64_t		 tz_from_wall(const struct tz *, int64_t);
int		 tz_parse_time(const char *, const struct tz *, int64_t *,
		     char **);
void		 tz_breakdown(const struct tz *, int64_t, struct tm *);
void		 tz_format(const struct tz *, int64_t, char *, size_t);
int64_t		 civil_to_days(int64_t, int, int);
void		 days_to_civil(int64_t, int64_t *, int *, int *);

/* schedule.c: cron and `every` ticks; pure, "now" is always an argument. */
enum schedule_kind {
	SCHEDULE_NONE,		/* "none": manual runs only */
	SCHEDULE_ONCE,		/* "@once": one run at start_date */
	SCHEDULE_CRON,
	SCHEDULE_EVERY,		/* "every 6h": elapsed time from an anchor */
};
struct schedule;
struct schedule	*schedule_parse(const char *, const struct tz *, char **);
void		 schedule_free(struct schedule *);
enum schedule_kind schedule_kind(const struct schedule *);
int		 schedule_next(const struct schedule *, int64_t, int64_t,
		     int64_t *);

/* timetable.c: a DAG's intervals, from its schedule; pure like schedule.c. */
struct dag;
struct interval;
int	 timetable_first(const struct dag *, int64_t, struct interval *);
int	 timetable_next(const struct dag *, const struct interval *,
	     struct interval *);
int	 timetable_latest(const struct dag *, int64_t, int64_t,
	     struct interval *);

/* Slurm resources of one task, in sbatch's terms; 0 or NULL is unset. */
struct resources {
	char	*partition;
	char	*account;
	char	*qos;
	char	*constraint;
	char	*gres;
	long	 time_limit;	/* minutes */
	long	 mem_mb;	/* per node */
	long	 mem_per_cpu_mb;
	int	 cpus_per_task;
	int	 ntasks;
	int	 nodes;
	int	 gpus;
	long	 mem_per_gpu_mb;
	int	 cpus_per_gpu;
	int	 ntasks_per_node;
	int	 gpus_per_node;
	int	 gpus_per_task;
	int	 exclusive;	/* whole nodes */
	char	*reservation;
	char	*licenses;
	char	*comment;
	char	*mail_user;
	int	 mail_type;	/* RES_MAIL_* bits */
	int	 nice;		/* may be negative */
	struct {
		int	 num;		/* 0: no --signal */
		int	 secs;		/* before the time limit */
		int	 batch_only;	/* B: the batch shell only */
	} signal;
};
#define RES_MAIL_BEGIN		0x001
#define RES_MAIL_END		0x002
#define RES_MAIL_FAIL		0x004
#define RES_MAIL_REQUEUE	0x008
#define RES_MAIL_TIME100	0x010	/* TIME_LIMIT */
#define RES_MAIL_TIME90		0x020
#define RES_MAIL_TIME80		0x040
#define RES_MAIL_TIME50		0x080
#define RES_MAIL_STAGE_OUT	0x100
#define RES_MAIL_INVALID_DEPEND	0x200

/* A variable the DAG file sets in a job's environment. */
struct task_env {
	char	*name;
	char	*value;		/* may hold {{ templates }} */
};

/* Events people can be told of (notify*.c); one bit per event kind. */
#define NOTIFY_TASK_FAILED	0x001
#define NOTIFY_TASK_RETRY	0x002	/* opt-in */
#define NOTIFY_RUN_FAILED	0x004
#define NOTIFY_RUN_SUCCESS	0x008	/* opt-in */
#define NOTIFY_SLA_MISS		0x010
#define NOTIFY_DAG_ERROR	0x020
#define NOTIFY_STARTED		0x040	/* the scheduler */
#define NOTIFY_STOPPED		0x080
#define NOTIFY_SLURM_LOST	0x100
#define NOTIFY_SLURM_BACK	0x200
#define NOTIFY_TEST		0x400	/* `updraft notify test` */
#define NOTIFY_DAG_PAUSED	0x800	/* by the scheduler: max_catchup_runs */
/* What a DAG may choose for its own events. */
#define NOTIFY_DAG_EVENTS	(NOTIFY_TASK_FAILED | NOTIFY_TASK_RETRY | \
	NOTIFY_RUN_FAILED | NOTIFY_RUN_SUCCESS | NOTIFY_SLA_MISS | \
	NOTIFY_DAG_PAUSED)

/* Who hears of a DAG's or a task's events (its 'notify' key). */
struct notify_spec {
	char	**channels;	/* site channel names, NULL-terminated; NULL:
				   inherit (in the end: every site channel) */
	int	  events;	/* NOTIFY_* bits; 0: inherit (the channel's) */
};

/*
 * An output of another DAG's task that a task reads (its 'inputs' key):
 * from the run of the same logical date, the latest successful one, or the
 * run of a fixed date.
 */
enum input_when {
	INPUT_SAME_DATE,
	INPUT_LATEST,
	INPUT_FIXED,
};
struct task_input {
	char		*name;		/* UPDRAFT_INPUT_<NAME> */
	char		*dag_id;
	char		*task_id;
	char		*output;
	enum input_when	 when;
	int64_t		 date;		/* INPUT_FIXED: its logical date */
	int		 line;
};

/* A file a task promises to write (its 'outputs' key). */
struct task_output {
	char	*name;
	char	*path;		/* may hold {{ templates }} */
};

struct task {
	char		 *id;
	int		  line;		/* where the task starts in its file */
	char		 *command;	/* run under bash -e; or NULL */
	char		 *script;	/* absolute path of an sbatch script; or NULL */
	char		**after;	/* upstream task ids */
	size_t		  nafter;
	struct resources  res;
	int		  retries;
	long		  retry_delay;	/* seconds */
	int		  depends_on_past;
	int		  trigger_rule;		/* TRIGGER_* */
	int		  retry_backoff;	/* delay doubles each try */
	long		  max_retry_delay;	/* seconds; 0: a day */
	struct task_env	 *env;		/* the DAG's, then the task's */
	size_t		  nenv;
	char		**modules;	/* NULL-terminated; or NULL */
	char		 *workdir;	/* as written (templates); or NULL */
	struct notify_spec notify;	/* its 'notify' (or the defaults') */
	struct task_input *inputs;
	size_t		  ninputs;
	struct task_output *outputs;
	size_t		  noutputs;
	int		  checksum;	/* SHA-256 of each declared output */
	int		  node_fail_uses_try;	/* NODE_FAIL counts as a try */
};

/* When a task may run, from its upstream tasks' states (Airflow's rules). */
enum trigger_rule {
	TRIGGER_ALL_SUCCESS,	/* the default */
	TRIGGER_ALL_FAILED,
	TRIGGER_ALL_DONE,
	TRIGGER_ONE_SUCCESS,
	TRIGGER_ONE_FAILED,
	TRIGGER_NONE_FAILED,
	TRIGGER_NONE_SKIPPED,
	TRIGGER_ALWAYS,
};
#define TRIGGER_RULE_NAMES "all_success, all_failed, all_done, " \
	"one_success, one_failed, none_failed, none_skipped or always"
/* How the upstream tasks of a waiting task stand. */
struct trigger_counts {
	int	total;
	int	success;
	int	skipped;
	int	failed;		/* failed or upstream_failed */
	int	done;		/* in a final state */
};
enum trigger_decision {
	TRIGGER_WAIT,
	TRIGGER_RUN,
	TRIGGER_SKIP,
	TRIGGER_UPSTREAM_FAILED,
};
int		 trigger_rule_parse(const char *);
const char	*trigger_rule_name(int);
enum trigger_decision trigger_decide(int, const struct trigger_counts *);

/* What a schedule's ticks mean for the runs it makes. */
enum timetable {
	TIMETABLE_INTERVAL,	/* Airflow 2: [tick, next tick), due at its end */
	TIMETABLE_TRIGGER,	/* Airflow 3: the tick itself, due at once */
};

/* One run's slice of time: its logical date and when it is due. */
struct interval {
	int64_t	logical;
	int64_t	start;
	int64_t	end;
	int64_t	due;
};

/* A run parameter a DAG declares (its 'params' key), with its default. */
enum param_type {
	PARAM_FLOAT,
	PARAM_INT,
	PARAM_STRING,
	PARAM_BOOL,
};
struct dag_param {
	char		*name;
	enum param_type	 type;
	char		*value;		/* the default, canonical (record.c) */
};

struct dag {
	char		*id;
	int		 id_line;	/* where dag_id is set; 0: the file's
					   name gave the id */
	char		*path;		/* the .dag file */
	char		*schedule_text;
	struct schedule	*schedule;
	struct tz	*tz;
	int64_t		 start_date;
	int64_t		 end_date;	/* 0: none */
	enum timetable	 timetable;
	int		 catchup;
	int		 max_active_runs;
	int		 max_catchup_runs;	/* 0: updraft.conf's */
	struct notify_spec notify;
	long		 sla;		/* seconds after an interval's end; 0 */
	struct task	*tasks;		/* in file order */
	size_t		 ntasks;
	char		 version[17];	/* hash of the file and its scripts */
	struct dag_param *params;	/* in file order */
	size_t		 nparams;
	int64_t		 checked_at;	/* the scheduler: the partitions it
					   passed validate_dag against */
	int		 fresh;		/* dagbag: new or changed since the
					   database last had it */
};

/* config.c: updraft.conf and UPDRAFT_HOME. */
struct config {
	char	*home;
	char	*file;		/* the config file read, or NULL */
	char	*dags_folder;
	char	*state_dir;
	char	*db_path;
	char	*logs_dir;
	char	*default_partition;
	char	*gpu_partition;
	int	 poll_interval;	/* seconds */
	int	 max_queued_jobs;	/* ours in Slurm's queue at once */
	int	 max_submit_per_pass;
	long	 max_script_size;	/* bytes a script may hold */
	int	 max_catchup_runs;	/* a DAG's catch-up, at most, at once */
	char	 job_suffix[16];	/* ends job names: see config.c */
	char	*site_group;	/* updraft site: whose schedulers it runs */
	char	**site_env;	/* updraft site: variables passed on;
				   NULL-terminated */
	int	 db_locks;	/* CONFIG_LOCKS_* */
	char	*host_name;	/* this host in the scheduler's lease */
	struct notify_site *notify;	/* channels; NULL: none (notify.h) */
};
/* max_script_size when updraft.conf does not set it. */
#define CONFIG_MAX_SCRIPT_SIZE	(1024 * 1024)
/* Whether to trust the database's filesystem locks (config db_locks). */
#define CONFIG_LOCKS_AUTO	0	/* as fs_probe finds */
#define CONFIG_LOCKS_TRUSTED	1
#define CONFIG_LOCKS_UNTRUSTED	2
int	 config_load(struct config *, const char *, char **);
int	 config_load_site(struct config *, const char *, char **);
const char *config_library_version(void);
int64_t	 config_lease_length(const struct config *);
void	 config_free(struct config *);

/* fs.c: network filesystems, where SQLite's locking cannot be trusted; mkdir -p. */
struct fs_info {
	const char	*name;		/* "NFS", "Lustre"...; NULL: local */
	int		 locks_trusted;	/* POSIX locks reach every host */
	const char	*why;		/* when not trusted */
};
void	 fs_classify(uint64_t, const char *, struct fs_info *);
void	 fs_probe(const char *, struct fs_info *);
int	 fs_mkdirs(const char *);

/* notify.c: messages to people through libcurl. */
const char	*notify_library_version(void);

/* notify-config.c: site channels (updraft.conf, secrets_file). */
struct config_setting_t;
int	 notify_config_parse(struct config *, const struct config_setting_t *,
	     char **);
void	 notify_site_free(struct notify_site *);
int	 notify_event_bit(const char *);
int	 notify_channel_known(const struct config *, const char *);
void	 notify_spec_free(struct notify_spec *);
void	 notify_spec_copy(struct notify_spec *, const struct notify_spec *);

/* dagfile*.c: one .dag file (libconfig syntax) to a struct dag. */
struct dagfile_script_copy {
	const char	*path;		/* where the script was */
	const char	*copy;		/* a file with its text then */
};
struct dag	*dagfile_load(const char *, const struct config *, char **);
struct dag	*dagfile_load_version(const char *, const char *,
		     const struct dagfile_script_copy *, size_t,
		     const struct config *, char **);
int		 dagfile_version(const struct dag *, char [17]);
char		*dagfile_source(const struct dag *);

/* dag.c: the DAG object once loaded. */
struct task	*dag_find_task(const struct dag *, const char *);
size_t		*dag_task_order(const struct dag *, int *);
void		 dag_env_free(struct task_env *, size_t);
void		 dag_strings_free(char **);
void		 dag_task_free(struct task *);
void		 dag_free(struct dag *);
char		*dag_dup_error(const struct dag *, const char *);

/* taskio.c: a task's 'inputs' and 'outputs', parsed and checked. */
int		 taskio_valid_name(const char *);
int		 taskio_parse_input(const char *, const char *,
		     const struct tz *, struct task_input *, char **);
int		 taskio_check_inputs(const struct dag *, struct dag *const *,
		     size_t, char **);

#endif
