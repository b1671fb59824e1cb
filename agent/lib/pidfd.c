// SPDX-License-Identifier: GPL-2.0
/* Taking another process's descriptor: an L2TP daemon's tunnel socket. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "lib/pidfd.h"

int fd_of_process(int pid, int fd, char *err, size_t errlen)
{
	int pidfd, copy, e;

	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		e = errno;
		snprintf(err, errlen, "process %d: %s", pid, strerror(e));
		return -e;
	}
	copy = pidfd_getfd(pidfd, fd, 0);
	e = errno;
	close(pidfd);
	if (copy < 0) {
		snprintf(err, errlen, "descriptor %d of process %d: %s", fd, pid,
			 strerror(e));
		return -e;
	}
	return copy;
}
