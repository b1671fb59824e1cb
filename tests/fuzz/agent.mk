# SPDX-License-Identifier: GPL-2.0
#
# agent/Makefile, run in build/fuzz/agent with AGENT_DIR=<top>/agent: the
# sources come from there through vpath for .c and .h only. (VPATH would
# also find agent/libagent.a of the normal build and call it up to date.)
vpath %.c $(AGENT_DIR)
vpath %.h $(AGENT_DIR)
include $(AGENT_DIR)/Makefile
