/* The batch script a task's job runs, and its environment. */

#ifndef JOBSCRIPT_H
#define JOBSCRIPT_H

#include <stdio.h>

#include "store.h"

struct jobscript_vars {
	const struct dag	*dag;
	const struct task	*task;
	const struct run	*run;
	int			 try_number;
	const char		*task_key;
	const char		*marker;	/* where the exit status goes */
	char *const		*inputs;	/* UPDRAFT_INPUT_*=path, or NULL */
	const char		*log;		/* array element: its log */
	const char		*upstream;	/* array element: markers */
};

const char	*jobscript_text(void);
char		**jobscript_env(const struct jobscript_vars *);
char		**jobscript_env_base(const struct dag *, const struct task *,
		     const char *);
char		**jobscript_env_own(const struct jobscript_vars *);
int		 jobscript_manifest_write(const char *, char **);
void		 jobscript_env_free(char **);
char		*jobscript_work_dir(const struct jobscript_vars *);
char		*jobscript_results_path(const char *, const char *);
char		*jobscript_output_path(const struct jobscript_vars *,
		     const struct task_output *, char **);
char		*jobscript_task_key(const struct dag *, const struct task *,
		     int64_t);
char		*jobscript_job_name(const struct config *, const char *,
		     const char *, int64_t, int);

#endif
