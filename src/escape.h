/* Text from users made safe to print: on a terminal, and as JSON. */

#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#define ESCAPE_KEEP_NEWLINE	0x1	/* a line feed stays one */

size_t	 escape_utf8_seq(const unsigned char *);
size_t	 escape_terminal_buf(const char *, char *, size_t, int);
size_t	 escape_terminal_write(FILE *, const char *, int);
void	 escape_json_string(FILE *, const char *);
void	 escape_utf8_write(FILE *, const char *);

#endif
