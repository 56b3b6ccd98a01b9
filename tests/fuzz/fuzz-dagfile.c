/* Fuzz target: dagfile_load on the input written to a temporary file. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char	*__lsan_default_suppressions(void);

/* libconfig 1.5 leaks a small buffer on some syntax errors; not ours. */
const char *
__lsan_default_suppressions(void)
{
	return ("leak:libconfig\n");
}

/* A directory of our own, with a script the inputs may name. */
static char	 fuzz_dir[] = "/tmp/updraft-fuzz-dagfile.XXXXXX";
static char	*fuzz_path;

static void
fuzz_cleanup(void)
{
	char	*script;

	xasprintf(&script, "%s/train.sbatch", fuzz_dir);
	unlink(script);
	free(script);
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

static void
fuzz_setup(void)
{
	static const char	 sbatch[] = "#!/bin/bash\n#SBATCH --gpus=1\n"
	    "#SBATCH --time=01:00:00\n#SBATCH --mem=4G\necho train\n";
	char			*script;
	FILE			*f;

	if (mkdtemp(fuzz_dir) == NULL)
		fatal("mkdtemp");
	xasprintf(&fuzz_path, "%s/fuzz.dag", fuzz_dir);
	xasprintf(&script, "%s/train.sbatch", fuzz_dir);
	if ((f = fopen(script, "w")) == NULL)
		fatal("%s", script);
	fputs(sbatch, f);
	fclose(f);
	free(script);
	atexit(fuzz_cleanup);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dag	*dag;
	char		*cause = NULL;
	FILE		*f;

	if (fuzz_path == NULL)
		fuzz_setup();
	if ((f = fopen(fuzz_path, "w")) == NULL)
		fatal("%s", fuzz_path);
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fatal("%s", fuzz_path);

	if ((dag = dagfile_load(fuzz_path, NULL, &cause)) == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();	/* every failure says why */
		free(cause);
		return (0);
	}
	if (dag->ntasks == 0 || dag->id == NULL)
		abort();	/* a DAG that loads has an id and tasks */
	dag_free(dag);
	return (0);
}
