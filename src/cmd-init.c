/* Start a DAGs folder: one commented example DAG to copy and change. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static int	cmd_init_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "[DIR]",
	.summary = "start a DAGs folder with a commented example DAG",
	.help = "Writes DIR/example_train.dag (DIR: the DAGs folder, "
	    "~/updraft/dags unless\nupdraft.conf or UPDRAFT_HOME says "
	    "otherwise), making DIR if needed: prep on\na CPU, train on "
	    "one GPU, eval, with params and declared outputs, every key\n"
	    "explained. Never overwrites a file: exits 1 if it is there "
	    "already.\n",
	.flags = CMD_CONFIG,
	.exec = cmd_init_exec,
};

/* The example's file name; its id is the name without ".dag". */
#define CMD_INIT_FILE	"example_train.dag"

static const char cmd_init_example[] =
"# A first DAG, written by `updraft init`: prepare data on a CPU, train on\n"
"# one GPU, evaluate on a CPU, every day.\n"
"#\n"
"#   prep (cpu) --> train (gpu, 1 GPU) --> eval (cpu)\n"
"#\n"
"# Every file ending in .dag in this folder is a DAG; its id is the file's\n"
"# name without .dag (here example_train) unless it sets dag_id. Copy this\n"
"# file under a new name and change it. The keys are in updraft-dag(5).\n"
"#\n"
"#   updraft check                  # every problem as file:line: message\n"
"#   updraft list                   # new DAGs start paused\n"
"#   updraft unpause example_train  # the latest day runs, then one a day\n"
"#   updraft trigger example_train --param lr=0.01   # one more run now\n"
"#   updraft scheduler              # runs them; Ctrl-C stops it\n"
"#   updraft runs example_train; updraft tasks example_train RUN_ID\n"
"\n"
"# When: a cron line (or \"@daily\", \"every 6h\") in this time zone. Each\n"
"# run covers one interval and starts when the interval has ended.\n"
"schedule = \"0 2 * * *\";\n"
"timezone = \"UTC\";\n"
"start_date = \"2026-01-01\";\n"
"# On unpause, only the latest interval, not one run per day since\n"
"# start_date (true would catch up on all of them).\n"
"catchup = false;\n"
"max_active_runs = 1;\n"
"\n"
"# Run parameters and their defaults. A manual run may set others:\n"
"#   updraft trigger example_train --param lr=0.01 --param epochs=5\n"
"# A job finds each as UPDRAFT_PARAM_<NAME>; runs record them, so that\n"
"# `updraft runs --where 'params.lr < 0.01'` and `updraft compare` work.\n"
"params = { lr = 0.001; epochs = 3; };\n"
"\n"
"# What every task asks Slurm for, unless the task says otherwise. Add\n"
"# account = \"...\"; qos = \"...\"; where your site needs them.\n"
"defaults = { partition = \"cpu\"; time = \"00:10:00\"; mem = \"500M\";\n"
"             retries = 1; retry_delay = \"1m\"; };\n"
"\n"
"# Commands run under bash -e, in this folder; each task is one Slurm job.\n"
"# Adjacent strings are joined, as in C.\n"
"# Its log: updraft logs example_train RUN_ID TASK.\n"
"tasks = (\n"
"  # outputs: files the task promises to write ({{ ds }} is the run's\n"
"  # day). The job gets each path as UPDRAFT_OUTPUT_<NAME>; a try that\n"
"  # leaves one missing fails. A relative path is under this folder: use\n"
"  # your scratch space for real data.\n"
"  { id = \"prep\";\n"
"    outputs = { data = \"out/{{ ds }}/data.csv\"; };\n"
"    command = \"mkdir -p out/$UPDRAFT_DS && \"\n"
"              \"seq 1 1000 > \\\"$UPDRAFT_OUTPUT_DATA\\\"\"; },\n"
"\n"
"  # One GPU on the gpu partition. The job sees its GPU in\n"
"  # CUDA_VISIBLE_DEVICES. after: the tasks that must succeed first.\n"
"  { id = \"train\"; after = [\"prep\"];\n"
"    partition = \"gpu\"; gres = \"gpu:1\"; time = \"01:00:00\";\n"
"    outputs = { model = \"out/{{ ds }}/model.txt\"; };\n"
"    command = \"echo \\\"lr=$UPDRAFT_PARAM_LR "
"epochs=$UPDRAFT_PARAM_EPOCHS\"\n"
"              \" gpu=$CUDA_VISIBLE_DEVICES\\\" > "
"\\\"$UPDRAFT_OUTPUT_MODEL\\\"\"; },\n"
"\n"
"  # Metrics: key=number lines in $UPDRAFT_METRICS, recorded with the run\n"
"  # (updraft compare example_train RUN1 RUN2; updraft export).\n"
"  { id = \"eval\"; after = [\"train\"];\n"
"    env = { MODEL = \"out/{{ ds }}/model.txt\"; };\n"
"    command = \"test -s \\\"$MODEL\\\" && \"\n"
"              \"echo val_loss=0.42 >> \\\"$UPDRAFT_METRICS\\\"\"; }\n"
");\n";

/* Write text to a new file at path, never over one; 0 or -1 with errno. */
static int
cmd_init_write(const char *path, const char *text)
{
	size_t	len = strlen(text), off = 0;
	ssize_t	n;
	int	fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1)
		return (-1);
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return (0);

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(path);
	errno = saved;
	return (-1);
}

static int
cmd_init_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*dir;
	char		*path;
	int		 rc;

	if ((rc = cmd_args(&cmd_init_entry, argc, argv, 0, 1)) != 0)
		return (rc);
	dir = optind < argc ? argv[optind] : ctx->cfg.dags_folder;
	if (fs_mkdirs(dir) != 0)
		return (cmd_error("cannot create directory '%s': %s", dir,
		    strerror(errno)));
	xasprintf(&path, "%s/%s", dir, CMD_INIT_FILE);
	if (cmd_init_write(path, cmd_init_example) != 0) {
		if (errno == EEXIST)
			rc = cmd_error("'%s' exists already: not overwritten",
			    path);
		else
			rc = cmd_error("cannot write '%s': %s", path,
			    strerror(errno));
		free(path);
		return (rc);
	}
	printf("wrote %s\n"
	    "next: updraft check; updraft unpause example_train; "
	    "updraft scheduler\n", path);
	free(path);
	return (0);
}
