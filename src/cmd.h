/* The verb table: what each `updraft VERB` needs and how it runs. */

#ifndef CMD_H
#define CMD_H

#include <getopt.h>
#include <stdio.h>

#include "dagbag.h"

/* What a verb needs before it runs, satisfied once in cmd_run(). */
#define CMD_STORE	0x1	/* the database, open: created if missing by a
				   verb that writes, an empty one in memory
				   for one that reads (cmd.c) */
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

/*
 * A verb's options are written once, in a table of struct cmd_opt ending
 * with an empty one: it makes getopt_long's options (cmd_getopt), the
 * usage line (cmd_usage_line: the usage names an option, "--since", and
 * the table adds its value, "--since T"), the list of `updraft help VERB`
 * and the words bash completion offers (`updraft help --options VERB`).
 * The switch on cmd_getopt()'s answer is then the only other place an
 * option appears.
 */
struct cmd_opt {
	const char	*name;		/* the long name, without "--" */
	int		 ch;		/* what cmd_getopt returns for it */
	const char	*arg;		/* the value's name, NULL if none */
	const char	*help;		/* its line in `updraft help VERB`,
					   wrapped there; NULL: hidden */
	int		 flags;
};
#define CMD_OPT_SHORT	0x1		/* -ch is the option too */

/*
 * Usage errors, one idiom: exit status 2 and, on standard error, either the
 * usage line (a wrong option, too few or too many arguments: cmd_usage) or
 * one message saying what is wrong with a value, "updraft: bad WHAT
 * 'VALUE': WHY" (cmd_bad_value; WHAT is the option, "--last", or the
 * argument, "state"), or "bad WHAT: WHY" where WHY, a lower layer's cause,
 * quotes the value. A verb returns what these return. An unknown verb is
 * cmd_find's cause through cmd_bad_value too. Errors met while running
 * exit 1 (cmd_error).
 */

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* after "updraft NAME ", options by
					   name only: see struct cmd_opt */
	const char	*summary;	/* one line for `updraft help` */
	const char	*help;		/* the rest of `updraft help NAME`, or NULL */
	const struct cmd_opt *opts;	/* its options, or NULL */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry *cmd_table[];
extern const struct cmd_opt cmd_listing_opts[];
extern const struct cmd_opt cmd_columns_opts[];

/*
 * The options of a listing with columns: --json, --utc, and Slurm's
 * --format (-o), --noheader, --parsable. A verb with its own table adds
 * CMD_COLUMNS_OPTS to it and hands its getopt answers to cmd_columns_opt.
 */
#define CMD_COLUMNS_OPTS \
	{ "format", 'o', "FIELD[%W],...", \
	  "print these fields (named as in --json; --format help lists " \
	  "them) in columns; %W makes a column W bytes wide, cut or " \
	  "padded", \
	  CMD_OPT_SHORT }, \
	{ "noheader", 'H', NULL, "no heading line", 0 }, \
	{ "parsable", 'P', NULL, \
	  "cells joined by |, no padding, none empty (a | in a value " \
	  "is written \\x7c)", 0 }
struct cmd_columns {
	int		 json;
	int		 utc;
	int		 noheader;
	int		 parsable;
	const char	*format;	/* --format's value, or NULL */
};
struct output_object;
struct output_format;
int			 cmd_columns_opt(int, struct cmd_columns *);
int			 cmd_columns_args(const struct cmd_entry *, int, char **,
			     int, int, struct cmd_columns *);
int			 cmd_columns_format(const struct cmd_entry *,
			     const struct cmd_columns *,
			     const struct output_object *, const char *,
			     struct output_format *);

const struct cmd_entry	*cmd_find(const char *, char **);
int			 cmd_writes(const char *);
void			 cmd_print_line(FILE *, const char *);
int			 cmd_run(const struct cmd_entry *, struct cmd_ctx *,
			     int, char **);
int			 cmd_getopt(const struct cmd_entry *, int, char **);
char			*cmd_usage_line(const struct cmd_entry *);
int			 cmd_usage(const struct cmd_entry *);
void			 cmd_print_help(const struct cmd_entry *, FILE *);
void			 cmd_print_options(const struct cmd_entry *, FILE *);
int			 cmd_error(const char *, ...) printflike(1, 2);
int			 cmd_bad_value(const char *, const char *, const char *,
			     ...) printflike(3, 4);
struct tz;
int			 cmd_time_value(const char *, const char *,
			     const struct tz *, int64_t *);
int			 cmd_args(const struct cmd_entry *, int, char **, int,
			     int);
int			 cmd_listing_args(const struct cmd_entry *, int, char **, int,
			     int, int *, int *);
const char		*cmd_user(void);
int			 cmd_no_dag(struct cmd_ctx *, const char *);
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
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_label_entry;
extern const struct cmd_entry cmd_lineage_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_logs_entry;
extern const struct cmd_entry cmd_mark_entry;
extern const struct cmd_entry cmd_note_entry;
extern const struct cmd_entry cmd_notify_entry;
extern const struct cmd_entry cmd_pause_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_unpause_entry;
extern const struct cmd_entry cmd_versions_entry;
extern const struct cmd_entry cmd_runs_entry;
extern const struct cmd_entry cmd_scheduler_entry;
extern const struct cmd_entry cmd_scrontab_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_site_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_stop_entry;
extern const struct cmd_entry cmd_tasks_entry;
extern const struct cmd_entry cmd_trigger_entry;

#endif
