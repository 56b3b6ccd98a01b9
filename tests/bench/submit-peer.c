/* Peer for bench-submit.sh: submit N batch jobs with libslurm, one call each. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>

/* 25.11's submit response carries a slurm_step_id_t: see src/cluster.c. */
#ifdef SLURM_STEP_ID_INITIALIZER
#define PEER_JOB_ID(r)	((r)->step_id.job_id)
#else
#define PEER_JOB_ID(r)	((r)->job_id)
#endif

/*
 * submit-peer N NAME PARTITION GRES: the same job N times, as the shell
 * loop's `sbatch -J NAME -p PARTITION --gres=GRES -o /dev/null --wrap` does;
 * prints each job id. The controller's own limit for one client.
 */
int
main(int argc, char **argv)
{
	job_desc_msg_t		 d;
	submit_response_msg_t	*resp;
	char			*env[] = { "PATH=/usr/bin:/bin", NULL };
	char			 gres[256];
	long			 n, i;

	if (argc != 5 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: submit-peer N NAME PARTITION GRES\n");
		return (2);
	}
	snprintf(gres, sizeof gres, "gres:%s", argv[4]);
	slurm_init(NULL);
	for (i = 0; i < n; i++) {
		slurm_init_job_desc_msg(&d);
		d.name = argv[2];
		d.partition = argv[3];
		d.tres_per_node = gres;
		d.script = "#!/bin/sh\nsleep 300\n";
		d.std_out = "/dev/null";
		d.work_dir = "/tmp";
		d.user_id = getuid();
		d.group_id = getgid();
		d.environment = env;
		d.env_size = 1;
		if (slurm_submit_batch_job(&d, &resp) != SLURM_SUCCESS) {
			fprintf(stderr, "submit-peer: %s\n",
			    slurm_strerror(errno));
			return (1);
		}
		printf("%u\n", PEER_JOB_ID(resp));
		slurm_free_submit_response_response_msg(resp);
	}
	slurm_fini();
	return (fflush(stdout) == 0 ? 0 : 1);
}
