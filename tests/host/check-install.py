#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold "make install" and "make uninstall" to their file lists.

Into a fresh DESTDIR:
  - "make install" installs exactly the expected files, with their modes
    (the module through modules_install, for the Makefile's KVER);
  - a second "make install" leaves a changed configuration as it is;
  - "make uninstall" removes everything but the changed configuration,
    and with the configuration unchanged, everything;
  - "make install KMOD_INSTALL=dkms" installs the agent's files and the
    module's DKMS source (the kmod sources, the UAPI header, dkms.conf with
    its version) instead of the module.
One "PASS host: install: ..." or "FAIL host: install: ..." line per rule,
the differences on stderr; exit status 1 on a FAIL.
"""

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = "etc/l2tp-ipsec/l2tp-ipsec.conf"
AGENT_FILES = {
    CONF: 0o600,
    "lib/systemd/system/l2tp-ipsec.service": 0o644,
    "usr/sbin/l2tp-ipsec": 0o755,
    "usr/share/bash-completion/completions/l2tp-ipsec": 0o644,
    "usr/share/doc/l2tp-ipsec/examples/l2tp-ipsec.conf": 0o644,
    "usr/share/man/man8/l2tp-ipsec.8": 0o644,
}


def make(*args):
    r = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + list(args),
                       capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stdout + r.stderr)
        raise RuntimeError("make %s: exit status %d" % (" ".join(args), r.returncode))
    return r.stdout


def tree(top):
    """{relative path: mode} of the files and symlinks under @top."""
    out = {}
    for d, _, names in os.walk(top):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, top)] = os.lstat(p).st_mode & 0o7777
    return out


def check(ok, what, have=None, want=None):
    print("%s host: install: %s" % ("PASS" if ok else "FAIL", what), flush=True)
    if not ok and have is not None:
        for p in sorted(set(have) | set(want)):
            if have.get(p) != want.get(p):
                print("  %s: have %s, want %s" % (p, oct(have[p]) if p in have else "nothing",
                                                 oct(want[p]) if p in want else "nothing"),
                      file=sys.stderr)
    return ok


def dkms_files(version):
    top = "usr/src/l2tp-ipsec-%s/" % version
    out = {top + "dkms.conf": 0o644}
    for d in ("kmod", "uapi/linux"):
        for n in os.listdir(os.path.join(ROOT, d)):
            if n == "Kbuild" or (n.endswith((".c", ".h")) and not n.endswith(".mod.c")):
                out[top + d + "/" + n] = 0o644
    return out


def main():
    kver = make("--eval", "print-kver: ; @echo $(KVER)", "print-kver").strip()
    version = make("--eval", "print-version: ; @echo $(VERSION)", "print-version").strip()
    ok = True
    with tempfile.TemporaryDirectory() as dest:
        want = dict(AGENT_FILES)
        want["lib/modules/%s/updates/l2tp_ipsec.ko" % kver] = 0o644
        make("install", "DESTDIR=" + dest)
        have = tree(dest)
        ok &= check(have == want, "make install DESTDIR= installs exactly the expected files",
                    have, want)
        with open(os.path.join(ROOT, "agent", "l2tp-ipsec.conf.example")) as f:
            example = f.read()
        with open(os.path.join(dest, CONF)) as f:
            ok &= check(f.read() == example, "the configuration installed is the example")

        changed = example + "log_level = debug\n"
        with open(os.path.join(dest, CONF), "w") as f:
            f.write(changed)
        make("install", "DESTDIR=" + dest)
        with open(os.path.join(dest, CONF)) as f:
            ok &= check(f.read() == changed,
                        "a second make install leaves a changed configuration as it is")

        make("uninstall", "DESTDIR=" + dest)
        have = tree(dest)
        ok &= check(have == {CONF: 0o600},
                    "make uninstall removes all but the changed configuration",
                    have, {CONF: 0o600})

        shutil.copyfile(os.path.join(ROOT, "agent", "l2tp-ipsec.conf.example"),
                        os.path.join(dest, CONF))
        make("uninstall", "DESTDIR=" + dest)
        have = tree(dest)
        ok &= check(have == {} and not os.path.exists(os.path.join(dest, "etc/l2tp-ipsec")),
                    "make uninstall removes an unchanged configuration too", have, {})

    with tempfile.TemporaryDirectory() as dest:
        want = dict(AGENT_FILES)
        want.update(dkms_files(version))
        make("install", "DESTDIR=" + dest, "KMOD_INSTALL=dkms")
        have = tree(dest)
        ok &= check(have == want, "make install KMOD_INSTALL=dkms installs the DKMS source",
                    have, want)
        with open(os.path.join(dest, "usr/src/l2tp-ipsec-%s/dkms.conf" % version)) as f:
            conf = f.read()
        ok &= check('PACKAGE_VERSION="%s"\n' % version in conf and "#MODULE_VERSION#" not in conf,
                    "the DKMS source's dkms.conf has the version")
        make("uninstall", "DESTDIR=" + dest, "KMOD_INSTALL=dkms")
        have = tree(dest)
        ok &= check(have == {}, "make uninstall removes the DKMS source", have, {})
    return ok


if __name__ == "__main__":
    try:
        sys.exit(0 if main() else 1)
    except (OSError, RuntimeError) as e:
        print("FAIL host: install: %s" % e, flush=True)
        sys.exit(1)
