#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold the bash completion to the man page's SYNOPSIS.

For every entry of Documentation/l2tp-ipsec.8's SYNOPSIS (which
check-synopsis.py holds to the command tables), bash with
agent/l2tp-ipsec.bash-completion loaded must offer, by calling the
completion function as bash would:
  - the command's words, one after the other ("binding", then "add"),
    and "-j" before them where the entry has [-j];
  - after the command, each of its keywords ("local", "reqid", "-c", ...);
  - after a keyword, each lowercase value of it ("enforce", "any", ...).
The command names come from "l2tp-ipsec help" (its Commands: list). One
"PASS host: completion: ..." or "FAIL host: completion: ..." line per rule,
what is missing on stderr; exit status 1 on a FAIL.

--self-test proves that a command and a value dropped from the completion
are caught.
"""

import importlib.util
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COMPLETION = os.path.join(ROOT, "agent", "l2tp-ipsec.bash-completion")

spec = importlib.util.spec_from_file_location("synopsis", os.path.join(HERE, "check-synopsis.py"))
synopsis = importlib.util.module_from_spec(spec)
spec.loader.exec_module(synopsis)

LOWER = re.compile(r"^-{0,2}[a-z0-9][a-z0-9-]*$")


def command_names():
    """The commands of "l2tp-ipsec help": ["binding add", ..., "version"]."""
    out = subprocess.run([synopsis.PROG, "help"], capture_output=True, text=True,
                         check=True).stdout
    lines = out.split("\n")
    names = []
    for line in lines[lines.index("Commands:") + 1:]:
        if not line.strip():
            break
        m = re.match(r"^  (\S+(?: \S+)?)  ", line)
        if m:
            names.append(m.group(1))
    return names


def expectations(entry, names):
    """(words before the cursor, a word that must be offered, "cmd" or "arg")."""
    words = entry.split()
    assert words[0] == "l2tp-ipsec", entry
    words = words[1:]
    out = []
    pre = ["l2tp-ipsec"]
    if words and words[0] == "[-j]":
        out.append((pre, "-j", "cmd"))
        pre = pre + ["-j"]
        words = words[1:]
    cmd = max((n for n in names if words[:len(n.split())] == n.split()),
              key=lambda n: len(n.split()))
    for w in cmd.split():
        out.append((list(pre), w, "cmd"))
        pre.append(w)
    words = words[len(cmd.split()):]
    prev_kw = None
    for i, w in enumerate(words):
        if w == "|":
            # "help | --help | -h": alternatives of the command itself.
            out.append((["l2tp-ipsec"], words[i + 1], "cmd"))
            continue
        if i and words[i - 1] == "|":
            continue
        bare = w.replace("[", " ").replace("]", " ").replace("...", " ").strip()
        alts = [a for a in re.split(r"[|\s]+", bare) if a]
        if prev_kw is None or w.startswith("["):
            # A keyword (or alternatives of keywords, [-v|-q]).
            kws = [a for a in alts if LOWER.match(a)]
            for k in kws:
                out.append((list(pre), k, "arg"))
            prev_kw = kws[0] if kws and not w.rstrip(".").endswith("]") else None
        else:
            for v in alts:
                if LOWER.match(v):
                    out.append((pre + [prev_kw], v, "arg"))
            prev_kw = None
    return out


def offered(completion, cases):
    """For each (words, expected): the words bash's completion offers."""
    script = ["source %s || exit 9" % shlex_quote(completion)]
    for words, _, _ in cases:
        script.append("COMP_WORDS=(%s ''); COMP_CWORD=%d; _l2tp_ipsec; echo \"${COMPREPLY[*]}\""
                      % (" ".join(shlex_quote(w) for w in words), len(words)))
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(script)],
                         capture_output=True, text=True, check=True, cwd="/").stdout
    return [line.split() for line in out.split("\n")[:len(cases)]]


def shlex_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def problems(completion, entries, names):
    """Missing commands (as words) and missing keywords or values."""
    cases = []
    for e in entries:
        cases += expectations(e, names)
    got = offered(completion, cases)
    cmds, args = [], []
    for (words, want, kind), have in zip(cases, got):
        if want not in have:
            (cmds if kind == "cmd" else args).append("%s <TAB>: no %s" % (" ".join(words), want))
    return sorted(set(cmds)), sorted(set(args))


def report(cmds, args):
    ok = True
    for good, what, lines in ((not cmds, "every command of the man SYNOPSIS is completed", cmds),
                              (not args, "every keyword and value of the SYNOPSIS is completed",
                               args)):
        print("%s host: completion: %s" % ("PASS" if good else "FAIL", what), flush=True)
        for line in lines:
            print("  " + line, file=sys.stderr)
        ok &= good
    return ok


def self_test(entries, names):
    text = open(COMPLETION).read()
    ok = True
    for name, old, new, side in (
            ("a command dropped", "add del get show flush", "add del get show", 0),
            ("a value dropped", "version=2,3", "version=2", 1)):
        with tempfile.NamedTemporaryFile("w", suffix=".bash") as f:
            f.write(text.replace(old, new, 1))
            f.flush()
            before = problems(COMPLETION, entries, names)[side]
            after = problems(f.name, entries, names)[side]
        caught = old in text and set(after) > set(before)
        print("%s host: completion: self-test: %s is caught" % ("PASS" if caught else "FAIL", name),
              flush=True)
        ok &= caught
    return ok


if __name__ == "__main__":
    try:
        names = command_names()
        entries = synopsis.man_synopses(open(synopsis.MAN).read())
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        print("FAIL host: completion: the commands and the SYNOPSIS are read (%s)" % e, flush=True)
        sys.exit(1)
    if "--self-test" in sys.argv[1:]:
        sys.exit(0 if self_test(entries, names) else 1)
    sys.exit(0 if report(*problems(COMPLETION, entries, names)) else 1)
