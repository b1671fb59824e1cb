#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold the man page's SYNOPSIS to the command tables.

The synopsis lines of "l2tp-ipsec help" come from the command tables of
agent/cli/ (one row per command: name, handler, synopsis). Each must be an
entry of Documentation/l2tp-ipsec.8's SYNOPSIS (entries are separated by
.br; fonts and line breaks do not count, words and punctuation do), and
each entry must be one of them. One "PASS host: synopsis: ..." or
"FAIL host: synopsis: ..." line per rule, the lines on stderr; exit status 1
on a FAIL.

--self-test proves that a changed entry and an entry of no command are
caught.
"""

import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROG = os.path.join(ROOT, "agent", "l2tp-ipsec")
MAN = os.path.join(ROOT, "Documentation", "l2tp-ipsec.8")
# Macros whose arguments alternate fonts, written without spaces between.
ALTERNATING = {"BR", "RB", "IR", "RI", "BI", "IB"}


def words(text):
    return " ".join(text.split())


def table_synopses():
    """The synopses "l2tp-ipsec help" prints, one string each."""
    out = subprocess.run([PROG, "help"], capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")
    start = lines.index("Usage:") + 1
    syn = []
    for line in lines[start:]:
        if not line.strip():
            break
        if line.startswith("  l2tp-ipsec"):
            syn.append(line)
        else:
            syn[-1] += " " + line
    return [words(s) for s in syn]


def man_synopses(text):
    """The entries of the SYNOPSIS section, as plain words."""
    section = re.search(r"^\.SH SYNOPSIS\n(.*?)^\.SH ", text, re.M | re.S).group(1)
    entries, cur = [], []
    for line in section.split("\n"):
        if line.startswith(".br"):
            entries.append(" ".join(cur))
            cur = []
            continue
        if line.startswith("."):
            macro, _, rest = line[1:].partition(" ")
            args = shlex.split(rest, posix=True)
            cur.append(("" if macro in ALTERNATING else " ").join(args))
        elif line:
            cur.append(line)
    if cur:
        entries.append(" ".join(cur))
    return [words(e.replace("\\-", "-")) for e in entries]


def problems(man_text, tables):
    man = man_synopses(man_text)
    return [s for s in tables if s not in man], [m for m in man if m not in tables]


def report(missing, stale):
    ok = True
    for good, what, lines in ((not missing, "every command's synopsis is in the man page", missing),
                              (not stale, "every synopsis of the man page is a command's", stale)):
        print("%s host: synopsis: %s" % ("PASS" if good else "FAIL", what), flush=True)
        for line in lines:
            print("  " + line, file=sys.stderr)
        ok &= good
    return ok


def self_test(tables):
    text = open(MAN).read()
    head, syn, tail = re.split(r"^(\.SH SYNOPSIS\n.*?)(?=^\.SH )", text, maxsplit=1, flags=re.M | re.S)
    changed = head + syn.replace(".B config show", ".B config list", 1) + tail
    extra = head + syn + ".br\n.B l2tp-ipsec frobnicate\n" + tail
    ok = True
    for name, bad, side in (("a changed entry", changed, 0), ("an entry of no command", extra, 1)):
        before = set(problems(text, tables)[side])
        caught = bad != text and set(problems(bad, tables)[side]) > before
        print("%s host: synopsis: self-test: %s is caught" % ("PASS" if caught else "FAIL", name),
              flush=True)
        ok &= caught
    return ok


if __name__ == "__main__":
    try:
        tables = table_synopses()
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        print("FAIL host: synopsis: '%s help' prints the synopses (%s)" % (PROG, e), flush=True)
        sys.exit(1)
    if "--self-test" in sys.argv[1:]:
        sys.exit(0 if self_test(tables) else 1)
    sys.exit(0 if report(*problems(open(MAN).read(), tables)) else 1)
