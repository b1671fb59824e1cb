// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood - the traffic of the data-path benchmark.
 *
 *   udpflood send SRC SPORT DST DPORT PAYLOAD SECONDS
 *	Send UDP datagrams of PAYLOAD bytes (an L2TPv3 data header, session
 *	0x00001000, then zeroes) from SRC:SPORT to DST:DPORT as fast as
 *	sendmmsg() allows for SECONDS, then print the number sent. The SPD
 *	of the sender's namespace puts them into ESP; the kernel encrypts in
 *	this process's context and, over veth, the receiver's softirq runs
 *	on the same CPU right after: the rate is that of the whole path.
 *   udpflood sink ADDR PORT
 *	Bind a UDP socket with the smallest receive buffer and never read:
 *	packets reach udp_rcv (so LOCAL_IN and the socket lookup run) and are
 *	counted in the namespace's Udp InDatagrams/RcvbufErrors, without a
 *	reader competing with the sender for the CPU.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void addr(struct sockaddr_in *sa, const char *ip, const char *port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(atoi(port));
	if (inet_pton(AF_INET, ip, &sa->sin_addr) != 1) {
		fprintf(stderr, "udpflood: bad address %s\n", ip);
		exit(2);
	}
}

static int do_send(char **argv)
{
	static unsigned char buf[65536];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_in src, dst;
	unsigned long long sent = 0;
	int fd, one = 1, i, len = atoi(argv[4]);
	double end;

	if (len < 8 || len > (int)sizeof(buf))
		return 2;
	addr(&src, argv[0], argv[1]);
	addr(&dst, argv[2], argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (void *)&src, sizeof(src)) ||
	    connect(fd, (void *)&dst, sizeof(dst))) {
		perror("udpflood: socket");
		return 1;
	}
	/* RFC 3931 4.1.2.1: L2TPv3 over UDP data header, session ID 0x1000. */
	buf[1] = 0x03;
	buf[6] = 0x10;
	iov.iov_base = buf;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + atof(argv[5]);
	while (now() < end) {
		int n = sendmmsg(fd, msgs, BATCH, 0);

		/* A full qdisc or a dropped first packet: try again. */
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN &&
		    errno != ECONNREFUSED && errno != EPERM) {
			perror("udpflood: sendmmsg");
			return 1;
		}
		if (n > 0)
			sent += n;
	}
	printf("%llu\n", sent);
	return 0;
}

static int do_sink(char **argv)
{
	struct sockaddr_in sa;
	int fd, small = 1;

	addr(&sa, argv[0], argv[1]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (fd < 0 || bind(fd, (void *)&sa, sizeof(sa))) {
		perror("udpflood: sink");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 8 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return do_sink(argv + 2);
	fprintf(stderr, "usage: udpflood send SRC SPORT DST DPORT PAYLOAD SECONDS\n"
			"       udpflood sink ADDR PORT\n");
	return 2;
}
