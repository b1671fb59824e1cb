#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo's assertions as a suite: tests/vm/demo.sh, the RFC 5619 Hub
# and Spokes softwire concentrator with real charon, xl2tpd and pppd and
# the four attacks with and without l2tp_ipsec, writes one result line per
# assertion; here they go to stdout too (DEMO_SUITE), with the report.
DEMO_SUITE=1 exec bash "$(dirname "$0")/demo.sh" "$@"
