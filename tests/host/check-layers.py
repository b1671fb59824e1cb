#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold agent/ to its layers (Documentation/agent.rst, "Layout").

Every source file of the agent lives in one layer folder, and a file may
include the headers of its own folder and of the layers below it, never of
a layer above or beside it:

    lib < kernel, ike < policy < text < daemon < cli

(kernel and ike are peers: the two clients of the world outside, the
kernel's netlink families and the IKE daemon, know nothing of each other).
Within a folder, the modules (a .c and its .h) must not include each other
in a cycle. Prints one "PASS host: layers: ..." or "FAIL host: layers: ..."
line per rule, the offending includes on stderr, and exits 1 on a FAIL.

--self-test proves that each rule catches its violation: an include
upwards, one sideways, a cycle, a file outside the layers.
"""

import os
import re
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent")
RANK = {"lib": 0, "kernel": 1, "ike": 1, "policy": 2, "text": 3, "daemon": 4, "cli": 5}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(top):
    """{"folder/file": text} of every .c and .h under @top."""
    out = {}
    for d, _, names in os.walk(top):
        for n in names:
            if n.endswith((".c", ".h")):
                p = os.path.join(d, n)
                out[os.path.relpath(p, top)] = open(p).read()
    return out


def layer(path):
    head = path.split(os.sep)[0] if os.sep in path else ""
    return head if head in RANK else None


def problems(top):
    """{rule: [messages]} for the tree at @top."""
    src = sources(top)
    bad = {"placed": [], "direction": [], "cycles": []}
    graph = {}
    for path, text in sorted(src.items()):
        own = layer(path)
        if own is None:
            bad["placed"].append("%s is in no layer folder (%s)" % (path, ", ".join(RANK)))
            continue
        mod = os.path.splitext(path)[0]
        for inc in INCLUDE.findall(text):
            to = layer(inc)
            if to is None:
                if inc.split("/")[0] not in RANK and "/" in inc:
                    bad["direction"].append("%s includes \"%s\": no such layer" % (path, inc))
                elif "/" not in inc and os.path.exists(os.path.join(top, inc)):
                    bad["direction"].append("%s includes \"%s\" without its layer" % (path, inc))
                continue
            if to == own:
                dst = os.path.splitext(inc)[0]
                if dst != mod:
                    graph.setdefault(mod, set()).add(dst)
            elif RANK[to] >= RANK[own]:
                how = "upwards" if RANK[to] > RANK[own] else "sideways"
                bad["direction"].append("%s includes \"%s\" (%s: %s is not below %s)"
                                        % (path, inc, how, to, own))
    bad["cycles"] = ["include cycle: " + " -> ".join(c) for c in cycles(graph)]
    return bad


def cycles(graph):
    """The include cycles of @graph ({module: {module}}), each once."""
    found, seen, stack = [], set(), []

    def visit(m):
        if m in stack:
            c = stack[stack.index(m):] + [m]
            key = frozenset(c)
            if key not in seen:
                seen.add(key)
                found.append(c)
            return
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            visit(n)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    return found


RULES = {
    "placed": "every source file is in a layer folder",
    "direction": "every include goes to the own layer or one below",
    "cycles": "no include cycle inside a layer",
}


def check():
    bad = problems(AGENT)
    ok = True
    for rule, what in RULES.items():
        good = not bad[rule]
        print("%s host: layers: %s" % ("PASS" if good else "FAIL", what), flush=True)
        for m in bad[rule]:
            print("  " + m, file=sys.stderr)
        ok &= good
    return ok


def self_test():
    """Each mutation of a copy of agent/ must break exactly its rule."""
    mutations = {
        "direction": ("lib/vec.c", '#include "kernel/nl.h"\n'),
        "direction ": ("kernel/nl.c", '#include "ike/x.h"\n'),
        "cycles": ("lib/names.h", '#include "lib/vec.h"\n', "lib/vec.h", '#include "lib/names.h"\n'),
        "placed": ("stray.c", ""),
    }
    ok = True
    for rule, edits in mutations.items():
        with tempfile.TemporaryDirectory(prefix="layers-") as tmp:
            tree = os.path.join(tmp, "agent")
            shutil.copytree(AGENT, tree, ignore=shutil.ignore_patterns("*.o", "*.d", "*.a"))
            for i in range(0, len(edits), 2):
                p = os.path.join(tree, edits[i])
                old = open(p).read() if os.path.exists(p) else ""
                open(p, "w").write(edits[i + 1] + old)
            caught = bool(problems(tree)[rule.strip()])
        print("%s host: layers: self-test: %s %s is caught"
              % ("PASS" if caught else "FAIL", rule.strip(), edits[0]), flush=True)
        ok &= caught
    return ok


if __name__ == "__main__":
    sys.exit(0 if (self_test() if "--self-test" in sys.argv[1:] else check()) else 1)
