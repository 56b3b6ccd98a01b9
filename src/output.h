/* What verbs print: JSON values and times. */

#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "updraft.h"

void	 output_json_string(FILE *, const char *);
void	 output_json_time(FILE *, int64_t);
void	 output_time(char *, size_t, int64_t);

#endif
