/* {{ field }} templates in commands, env values and workdirs. */

#ifndef UPDRAFT_TEMPLATE_H
#define UPDRAFT_TEMPLATE_H

enum template_field {
	TEMPLATE_DS,
	TEMPLATE_DS_NODASH,
	TEMPLATE_TS,
	TEMPLATE_LOGICAL_DATE,
	TEMPLATE_DATA_INTERVAL_START,
	TEMPLATE_DATA_INTERVAL_END,
	TEMPLATE_RUN_ID,
	TEMPLATE_DAG_ID,
	TEMPLATE_TASK_ID,
	TEMPLATE_TRY_NUMBER,
	TEMPLATE_NFIELDS
};

const char	*template_field_name(enum template_field);
int		 template_check(const char *, char **);
char		*template_expand(const char *, const char *const *, char **);

#endif
