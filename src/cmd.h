/* The verb table: what each `updraft VERB` needs and how it runs. */

#ifndef CMD_H
#define CMD_H

#include <stdio.h>

#include "dagbag.h"

/* What a verb needs before it runs, satisfied once in cmd_run(). */
#define CMD_STORE	0x1	/* the database, open (created if missing) */
#define CMD_CONFIG	0x2	/* the configuration, loaded */
#define CMD_DAGS	0x4	/* the DAG files, loaded and recorded */
#define CMD_WRITES	0x8	/* writes the database: where the filesystem's
				   locks cannot be trusted, a request in the
				   spool for the scheduler (spool.c) */
#define CMD_OWNER	0x10	/* the scheduler: always opens read-write */

struct cmd_ctx {
	struct config	 cfg;
	struct store	*store;
	struct dagbag	 bag;
	struct fs_info	 fs;		/* state_dir's filesystem (fs.c) */
	const char	*config_file;	/* -c FILE, or NULL */
	int		 verbose;
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* after "updraft NAME " */
	const char	*summary;	/* one line for `updraft help` */
	const char	*help;		/* the rest of `updraft help NAME`, or NULL */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry *cmd_table[];

const struct cmd_entry	*cmd_find(const char *, char **);
int			 cmd_run(const struct cmd_entry *, struct cmd_ctx *,
			     int, char **);
int			 cmd_usage(const struct cmd_entry *);
void			 cmd_print_help(const struct cmd_entry *, FILE *);
int			 cmd_error(const char *, ...) printflike(1, 2);
int			 cmd_bad_value(const char *, ...) printflike(1, 2);
int			 cmd_listing_args(const struct cmd_entry *, int, char **, int,
			     int, int *, int *);
const char		*cmd_user(void);
int			 cmd_no_dag(struct cmd_ctx *, const char *);
int			 cmd_runs_since(const char *, int64_t *, char **);
int			 cmd_find_dag(struct cmd_ctx *, const char *);
int			 cmd_find_run(struct cmd_ctx *, const char *,
			     const char *, struct run *);
struct store_lease;
int			 cmd_lease(struct cmd_ctx *, struct store *,
			     struct store_lease *);
struct intervene;
int			 cmd_cancel_jobs(struct intervene *);

extern const struct cmd_entry cmd_backfill_entry;
extern const struct cmd_entry cmd_backfills_entry;
extern const struct cmd_entry cmd_cancel_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_clear_entry;
extern const struct cmd_entry cmd_compare_entry;
extern const struct cmd_entry cmd_dates_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_gantt_entry;
extern const struct cmd_entry cmd_graph_entry;
extern const struct cmd_entry cmd_grid_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_label_entry;
extern const struct cmd_entry cmd_lineage_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_logs_entry;
extern const struct cmd_entry cmd_mark_entry;
extern const struct cmd_entry cmd_note_entry;
extern const struct cmd_entry cmd_notify_entry;
extern const struct cmd_entry cmd_pause_entry;
extern const struct cmd_entry cmd_unpause_entry;
extern const struct cmd_entry cmd_versions_entry;
extern const struct cmd_entry cmd_runs_entry;
extern const struct cmd_entry cmd_scheduler_entry;
extern const struct cmd_entry cmd_scrontab_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_stop_entry;
extern const struct cmd_entry cmd_tasks_entry;
extern const struct cmd_entry cmd_trigger_entry;

#endif
