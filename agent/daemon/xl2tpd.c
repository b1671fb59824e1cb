// SPDX-License-Identifier: GPL-2.0
/* xl2tpd's control file: a LAC dialled once its SA is up (xl2tpd.h). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daemon/xl2tpd.h"
#include "lib/log.h"

int xl2tpd_dial(const char *control, const char *lac, const char *peer)
{
	char cmd[128];
	struct stat st;
	int fd, n, ret = 0;

	/* Non-blocking: no reader is ENXIO at once, not a hang. */
	fd = open(control, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		log_warning("xl2tpd: control file %s: %s%s; [peer %s] is dialled when it can be",
			    control, strerror(-ret), ret == -ENXIO ? " (xl2tpd is not running)" : "",
			    peer);
		return ret;
	}
	if (fstat(fd, &st) || !S_ISFIFO(st.st_mode)) {
		log_error("xl2tpd: control file %s is not a FIFO (xl2tpd_control)", control);
		close(fd);
		return -EINVAL;
	}
	n = snprintf(cmd, sizeof(cmd), "c %s\n", lac);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		ret = -ENAMETOOLONG;
	} else if (write(fd, cmd, (size_t)n) != n) {
		/* At most PIPE_BUF bytes: all or nothing. */
		ret = errno ? -errno : -EIO;
	}
	close(fd);
	if (ret)
		log_warning("xl2tpd: 'c %s' to %s: %s", lac, control, strerror(-ret));
	else
		log_info("xl2tpd: the CHILD_SA of [peer %s] is up: 'c %s' to %s", peer, lac,
			 control);
	return ret;
}
