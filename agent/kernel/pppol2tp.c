// SPDX-License-Identifier: GPL-2.0
/*
 * Which UDP socket of an L2TP daemon is which tunnel's. Twins of one
 * 4-tuple (clients behind one NAT) look alike in every address; the
 * kernel knows which tunnel each belongs to. An L2TPv2 daemon in kernel
 * mode holds, per tunnel, a PPPoL2TP socket connected with session 0 whose
 * getsockname() gives the tunnel's IDs and the descriptor of its UDP
 * socket in the daemon (struct sockaddr_pppol2tp, fd; linux/if_pppol2tp.h).
 * The module checks the pairing again when it is given the socket.
 */

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <linux/if_pppox.h>

#include "kernel/pppol2tp.h"
#include "lib/number.h"
#include "lib/pidfd.h"
#include "lib/vec.h"

static bool is_socket(int pid, int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strncmp(target, "socket:[", 8);
}

/* One L2TPv2 tunnel socket, from the address its copy @copy has. */
static bool read_tunnel(int copy, int fd, struct l2tp_sock *t)
{
	union {
		struct sockaddr sa;
		struct sockaddr_pppol2tp v4;
		struct sockaddr_pppol2tpin6 v6;
		struct sockaddr_storage ss;
	} a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	if (getsockname(copy, &a.sa, &len) || a.sa.sa_family != AF_PPPOX)
		return false;
	memset(t, 0, sizeof(*t));
	t->pppox_fd = fd;
	/* The IPv4 and IPv6 forms: the same fields, laid out apart. */
#define TUNNEL_OF(sp, fam, v, sin_addr, sin_port) do {			\
		if (len != sizeof(sp) || (sp).sa_protocol != PX_PROTO_OL2TP ||\
		    (sp).pppol2tp.s_session)				\
			break;						\
		t->tunnel_id = (sp).pppol2tp.s_tunnel;			\
		t->peer_tunnel_id = (sp).pppol2tp.d_tunnel;		\
		t->fd = (sp).pppol2tp.fd;				\
		t->peer.family = (fam);					\
		t->peer.addr.v = (sp).pppol2tp.addr.sin_addr;		\
		t->peer.port = ntohs((sp).pppol2tp.addr.sin_port);	\
		return true;						\
	} while (0)
	TUNNEL_OF(a.v4, AF_INET, v4, sin_addr, sin_port);
	TUNNEL_OF(a.v6, AF_INET6, v6, sin6_addr, sin6_port);
#undef TUNNEL_OF
	return false;	/* a session's socket, or L2TPv3 */
}

static int by_fd(const void *a, const void *b)
{
	return ((const struct l2tp_sock *)a)->pppox_fd -
	       ((const struct l2tp_sock *)b)->pppox_fd;
}

int pppol2tp_tunnels(int pid, struct vec *out, char *err, size_t errlen)
{
	char path[32], e[128];
	struct l2tp_sock t;
	struct dirent *de;
	int fd, copy, ret = 0;
	uint32_t n;
	size_t first = out->n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(err, errlen, "no process %d", pid);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	while ((de = readdir(dir))) {
		if (parse_u32(de->d_name, 0, INT32_MAX, false, &n))
			continue;	/* "." and ".." */
		fd = (int)n;
		if (!is_socket(pid, fd))
			continue;
		copy = fd_of_process(pid, fd, e, sizeof(e));
		if (copy < 0) {
			if (copy == -EBADF)
				continue;	/* closed meanwhile */
			snprintf(err, errlen, "%s", e);
			ret = copy;
			break;
		}
		if (read_tunnel(copy, fd, &t) && vec_push(out, &t, sizeof(t)))
			ret = -ENOMEM;
		close(copy);
		if (ret) {
			snprintf(err, errlen, "out of memory");
			break;
		}
	}
	closedir(dir);
	if (out->n > first)
		qsort((struct l2tp_sock *)out->v + first, out->n - first,
		      sizeof(t), by_fd);
	return ret;
}

/* Is process @pid in the agent's network namespace? */
static bool same_netns(int pid)
{
	char path[40];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	return !stat(path, &a) && !stat("/proc/self/ns/net", &b) &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* Does @pid hold tunnel @tid's PPPoL2TP socket? Its UDP descriptor, or -1. */
static int tunnel_fd_of(int pid, uint16_t tid)
{
	struct vec socks = { NULL, 0, 0 };
	const struct l2tp_sock *s;
	char err[160];
	int fd = -1;
	size_t i;

	if (pid <= 0 || !same_netns(pid) || pppol2tp_tunnels(pid, &socks, err, sizeof(err)))
		goto out;
	s = socks.v;
	for (i = 0; i < socks.n && fd < 0; i++)
		if (s[i].tunnel_id == tid)
			fd = s[i].fd;
out:
	vec_free(&socks);
	return fd;
}

int pppol2tp_find_tunnel(uint16_t tid, int hint, int *pid, int *fd)
{
	struct dirent *de;
	uint32_t n;
	DIR *dir;

	*fd = tunnel_fd_of(hint, tid);
	if (*fd >= 0) {
		*pid = hint;
		return 0;
	}
	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (parse_u32(de->d_name, 1, INT32_MAX, false, &n) ||
		    (int)n == hint || (int)n == getpid())
			continue;
		*fd = tunnel_fd_of((int)n, tid);
		if (*fd >= 0) {
			*pid = (int)n;
			break;
		}
	}
	closedir(dir);
	return *fd >= 0 ? 0 : -ENOENT;
}
