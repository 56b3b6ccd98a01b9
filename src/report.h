/* The HTML report: its data gathered from the store, its drawings, its page. */

#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "store.h"

struct dagbag;

/* What goes into a report. */
struct report_opts {
	const char	*state_dir;	/* where the logs are */
	int64_t		 since;		/* with has_since: logical dates from */
	int		 has_since;
	long		 last;		/* at most so many runs a DAG, newest */
	size_t		 tail_bytes;	/* at most so much of each log's end */
	int64_t		 now;		/* bars of what still runs end here */
	int		 link_logs;	/* the page is in state_dir: links */
};

/* One task instance's log: its path, and its end as read. */
struct report_log {
	char	*path;
	char	*tail;		/* NULL: not read; error says why */
	char	*error;
	int	 cut;		/* the tail is not the whole log */
};

/* A run with everything shown of it. */
struct report_run {
	struct store_record	 rec;
	struct report_log	*logs;	/* one for each of rec.tis */
	struct lineage_edge	*up;	/* the outputs it read */
	size_t			 nup;
	struct lineage_edge	*down;	/* the runs that read its outputs */
	size_t			 ndown;
};

/* A DAG with its runs, oldest logical date first. */
struct report_dag {
	struct store_dag	 sd;
	const struct dag	*dag;	/* its file as loaded; NULL: did not */
	int			 total;	/* its runs in the database */
	struct report_run	*runs;
	size_t			 nruns;
	const char		**rows;	/* task ids: the file's in graph order,
					   then those only runs have */
	size_t			 nrows;
	int			*level;	/* for rows[0..ndag): graph level */
	size_t			 ndag;
};

struct report {
	struct report_dag	*dags;
	size_t			 ndags;
	struct report_opts	 opts;
};

/* report-data.c */
int	 report_load(struct report *, struct store *, const struct dagbag *,
	     char **, size_t, const struct report_opts *, char **);
void	 report_free(struct report *);
const char *report_ti_state(const struct report_run *, const char *);
const struct ti *report_ti(const struct report_run *, const char *,
	     size_t *);

/* report-text.c: text made safe for the page. */
void	 report_text(FILE *, const char *);
void	 report_text_len(FILE *, const char *, size_t);
void	 report_url(FILE *, const char *);
const char *report_state(const char *);
void	 report_time(FILE *, int64_t);
void	 report_span(char *, size_t, int64_t);
int	 report_text_width(const char *);

/* report-svg.c: the DAG's graph and a run's Gantt chart. */
void	 report_svg_graph(FILE *, const struct report_dag *, size_t);
void	 report_svg_gantt(FILE *, const struct report_dag *,
	     const struct report_run *, int64_t);

/* report-html.c: the page. */
int	 report_write(FILE *, const struct report *);
int	 report_save(const struct report *, const char *, char **);

/* report-assets.c, made by make from src/report.css and src/report.js. */
extern const char *const report_css[];
extern const char *const report_js[];

#endif
