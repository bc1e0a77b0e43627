#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19 item 20: scripts/lint.sh holds every C file a branch
changes (not only the files it adds) to .clang-format, against the
merge base with main, and leaves untouched files alone.

A throw-away git repository gets the project's lint.sh and
.clang-format, a main with one badly laid out file, and a branch:
  - the branch touches nothing: lint passes (the old file is not its);
  - the branch edits one line of the old file: strict lint fails and
    names the file, plain lint only warns (exit 0);
  - the branch formats the file: strict lint passes."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BAD = ("/* SPDX-License-Identifier: BSD-3-Clause */\n"
       "int f(int a){return a+1;}\n")
GOOD_OTHER = ("/* SPDX-License-Identifier: BSD-3-Clause */\n"
              "int g(int a){return a+2;}\n")


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, "-c", "user.name=t", "-c",
                           "user.email=t@example.org"] + list(args),
                          capture_output=True, text=True, timeout=60, check=True).stdout


def lint(repo, strict):
    env = dict(os.environ)
    env.pop("FERRY_LINT_FORMAT", None)
    if strict:
        env["FERRY_LINT_FORMAT"] = "strict"
    p = subprocess.run([os.path.join(repo, "scripts", "lint.sh")], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def make_repo(work):
    repo = os.path.join(work, "repo")
    os.makedirs(os.path.join(repo, "scripts"))
    os.makedirs(os.path.join(repo, "lib"))
    shutil.copy(os.path.join(ROOT, "scripts", "lint.sh"), os.path.join(repo, "scripts"))
    shutil.copy(os.path.join(ROOT, ".clang-format"), repo)
    write(os.path.join(repo, "lib", "old.c"), BAD)
    write(os.path.join(repo, "lib", "other.c"), GOOD_OTHER)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "main")
    git(repo, "checkout", "-q", "-b", "topic")
    return repo


def main():
    if shutil.which("clang-format") is None:
        ft.skip("clang-format not found (Debian package clang-format)")
    if shutil.which("git") is None:
        ft.skip("git not found (Debian package git)")
    chk = ft.Checks("lint-changed")
    work = tempfile.mkdtemp(prefix="ferry-lint-")
    try:
        repo = make_repo(work)
        old = os.path.join(repo, "lib", "old.c")
        rc, out = lint(repo, True)
        chk.eq(rc, 0, "an untouched unformatted file is not the branch's", out)
        write(old, BAD.replace("a+1", "a+3"))
        git(repo, "commit", "-q", "-am", "edit old.c")
        rc, out = lint(repo, True)
        chk.ok(rc == 1 and "lib/old.c:1:" in out and "lib/other.c" not in out,
               "strict: a modified file must be formatted (names it, not the others)", out)
        rc, out = lint(repo, False)
        chk.ok(rc == 0 and "warning: lib/old.c:1:" in out,
               "plain: the same finding is a warning", out)
        subprocess.run(["clang-format", "-i", "--style=file", old], cwd=repo,
                       check=True, timeout=60)
        git(repo, "commit", "-q", "-am", "format old.c")
        rc, out = lint(repo, True)
        chk.eq(rc, 0, "formatted: strict lint passes", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
