/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_PIDFD_H
#define AGENT_PIDFD_H

#include <stddef.h>

/*
 * A copy of descriptor @fd of process @pid (pidfd_getfd(2), Linux 5.6;
 * needs PTRACE_MODE_ATTACH_REALCREDS over it, which root has unless Yama's
 * ptrace_scope is 3), close-on-exec. Returns it, or -errno with @err
 * saying which of the process and the descriptor was not found.
 */
int fd_of_process(int pid, int fd, char *err, size_t errlen);

#endif
