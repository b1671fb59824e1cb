// SPDX-License-Identifier: GPL-2.0
/* The agent's event loop: one epoll instance, callbacks per descriptor. */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "daemon/loop.h"
#include "lib/status.h"

/* ---------------------------------------------------------------------- */
/* The fd table and the loop */

int daemon_add_fd(struct daemon *d, int fd, daemon_fd_fn fn, void *data)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct daemon_fd *f;
	unsigned int i;

	for (i = 0; i < DAEMON_MAX_FDS && d->fds[i].fn; i++)
		;
	if (i == DAEMON_MAX_FDS)
		return -ENOSPC;
	f = &d->fds[i];
	f->gen++;
	ev.data.u64 = (uint64_t)f->gen << 32 | i;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	f->fd = fd;
	f->fn = fn;
	f->data = data;
	return 0;
}

void daemon_del_fd(struct daemon *d, int fd)
{
	unsigned int i;

	for (i = 0; i < DAEMON_MAX_FDS; i++) {
		if (!d->fds[i].fn || d->fds[i].fd != fd)
			continue;
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, fd, NULL);
		d->fds[i].fn = NULL;
		d->fds[i].data = NULL;
		d->fds[i].fd = -1;
	}
}

int daemon_dispatch(struct daemon *d, int timeout_ms)
{
	struct epoll_event ev[DAEMON_MAX_FDS];
	struct daemon_fd *f;
	uint32_t slot, gen;
	int i, n, ran = 0;

	n = epoll_wait(d->epfd, ev, DAEMON_MAX_FDS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n && !d->stop; i++) {
		slot = (uint32_t)ev[i].data.u64;
		gen = (uint32_t)(ev[i].data.u64 >> 32);
		if (slot >= DAEMON_MAX_FDS)
			continue;
		f = &d->fds[slot];
		/* Removed, or removed and taken again, by an earlier callback */
		if (!f->fn || f->gen != gen)
			continue;
		f->fn(d, f->fd, ev[i].events, f->data);
		ran++;
	}
	return ran;
}

void daemon_stop(struct daemon *d, int status)
{
	if (!d->stop)
		d->status = status;
	d->stop = true;
}

/* ---------------------------------------------------------------------- */
/* systemd */

int daemon_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen;
	size_t len;
	int fd, ret = 1;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EAFNOSUPPORT;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (const struct sockaddr *)&sa, salen) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

