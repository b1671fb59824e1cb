#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold Documentation/agent.rst's file map to agent/'s tree.

Every module of the agent (a .c file, or a header without one) must have
its row ``folder/file`` in agent.rst, and every row must name a file that
exists. One "PASS host: filemap: ..." or "FAIL host: filemap: ..." line
per rule, the files on stderr; exit status 1 on a FAIL.

--self-test proves that a file missing from the map and a row naming no
file are caught.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent")
DOC = os.path.join(ROOT, "Documentation", "agent.rst")
ROW = re.compile(r"^``([a-z]+/[a-z0-9_]+\.[ch])``\s", re.M)


def modules(top):
    """The modules under @top: "folder/x.c", or "folder/x.h" without x.c."""
    out = set()
    for d, _, names in os.walk(top):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), top)
            if os.sep not in rel:
                continue
            if n.endswith(".c") or (n.endswith(".h") and n[:-2] + ".c" not in names):
                out.add(rel.replace(os.sep, "/"))
    return out


def problems(top, doc_text):
    have = modules(top)
    rows = set(ROW.findall(doc_text))
    return sorted(have - rows), sorted(rows - have)


def report(missing, stale):
    for ok, what, files in ((not missing, "every agent file has a row in agent.rst", missing),
                            (not stale, "every row of agent.rst names a file", stale)):
        print("%s host: filemap: %s" % ("PASS" if ok else "FAIL", what), flush=True)
        for f in files:
            print("  " + f, file=sys.stderr)
    return not missing and not stale


def self_test():
    text = open(DOC).read()
    some = sorted(modules(AGENT))[0]
    missing, _ = problems(AGENT, text.replace("``%s``" % some, "``gone``"))
    _, stale = problems(AGENT, text + "\n``lib/nothing.c``    no such file\n")
    ok = True
    for caught, what in ((some in missing, "a file without a row (%s)" % some),
                         ("lib/nothing.c" in stale, "a row without a file")):
        print("%s host: filemap: self-test: %s is caught" % ("PASS" if caught else "FAIL", what),
              flush=True)
        ok &= caught
    return ok


if __name__ == "__main__":
    if "--self-test" in sys.argv[1:]:
        sys.exit(0 if self_test() else 1)
    sys.exit(0 if report(*problems(AGENT, open(DOC).read())) else 1)
