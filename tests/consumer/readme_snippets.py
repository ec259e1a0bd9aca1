#!/usr/bin/env python3
"""Runs the integration snippets of README.md as written: the package as a newcomer gets it.

    readme_snippets.py STEP --source DIR --work DIR --cxx COMPILER --generator GEN

README.md marks each snippet with a `<!-- readme-test: NAME -->` line before its code block. The
quick-start program (app.cpp) is the application; its output must be README's (app.out). Each
step runs in WORK, where `godefer` and `third_party/godefer` are links to the checkout, and a
snippet is changed only where it names a place of the reader's machine: `/opt/godefer` becomes
WORK/opt/godefer and `<godefer repository URL>` the checkout's path. Steps:

  install           the install snippet (configure, then `cmake --install --prefix`); checks the
                    files of the install tree
  find_package      a project whose CMakeLists.txt is the find_package snippet, against the prefix;
                    and the version rule: the installed version is found, another minor is not
  pkg-config        the pkg-config snippet, against the prefix, after moving the install tree
  add_subdirectory  a project whose CMakeLists.txt is the add_subdirectory snippet
  fetchcontent      a project whose CMakeLists.txt is the FetchContent snippet, with README's tag
Exit status 77 means skipped (the checkout is not a git repository with README's tag).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument('step')
ap.add_argument('--source', required=True)
ap.add_argument('--work', required=True)
ap.add_argument('--cxx', required=True)
ap.add_argument('--generator', default='Ninja')
args = ap.parse_args()
src = os.path.abspath(args.source)
work = os.path.abspath(os.path.join(args.work, args.step))

readme = open(os.path.join(src, 'README.md')).read()
snippets = dict(re.findall(r'<!-- readme-test: ([\w.-]+) -->\n```\w*\n(.*?)```', readme, re.S))
for name in ('app.cpp', 'app.out', 'install', 'find_package', 'pkg-config', 'add_subdirectory',
             'fetchcontent'):
    if name not in snippets:
        sys.exit('README.md has no snippet marked <!-- readme-test: %s -->' % name)

prefix = os.path.join(args.work, 'opt', 'godefer')  # shared by install, find_package, pkg-config


def localise(text):
    return (text.replace('/opt/godefer', prefix)
            .replace('<godefer repository URL>', src))


def sh(cmd, cwd, env=None, expect_ok=True):
    print('$ ' + cmd, flush=True)
    r = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    print(r.stdout, flush=True)
    if expect_ok and r.returncode != 0:
        sys.exit('failed (%d): %s' % (r.returncode, cmd))
    return r


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def check_app(exe):
    out = sh(exe, cwd=work).stdout
    if out != snippets['app.out']:
        sys.exit('the quick-start program printed\n%s\ninstead of README\'s\n%s' %
                 (out, snippets['app.out']))


def cmake_project(snippet, name, extra=()):
    proj = fresh_dir(os.path.join(work, name))
    with open(os.path.join(proj, 'app.cpp'), 'w') as f:
        f.write(snippets['app.cpp'])
    with open(os.path.join(proj, 'CMakeLists.txt'), 'w') as f:
        f.write('cmake_minimum_required(VERSION 3.21)\nproject(app LANGUAGES CXX)\n'
                'add_executable(app app.cpp)\n' + snippet)
    third = os.path.join(proj, 'third_party')
    os.makedirs(third)
    os.symlink(src, os.path.join(third, 'godefer'))
    build = os.path.join(proj, 'build')
    cmd = 'cmake -S . -B build -G "%s" -DCMAKE_CXX_COMPILER=%s %s' % (
        args.generator, args.cxx, ' '.join(extra))
    return proj, build, cmd


def build_and_run(snippet, name, extra=()):
    proj, build, cmd = cmake_project(snippet, name, extra)
    sh(cmd, cwd=proj)
    sh('cmake --build build', cwd=proj)
    check_app(os.path.join(build, 'app'))
    return proj


os.makedirs(work, exist_ok=True)
link = os.path.join(work, 'godefer')
if not os.path.islink(link):
    os.symlink(src, link)

if args.step == 'install':
    shutil.rmtree(prefix, ignore_errors=True)
    shutil.rmtree(os.path.join(work, 'godefer-build'), ignore_errors=True)
    for line in localise(snippets['install']).strip().split('\n'):
        if line.startswith('cmake -S'):
            line += ' -G "%s" -DCMAKE_CXX_COMPILER=%s' % (args.generator, args.cxx)
        sh(line, cwd=work)
    for f in ('include/godefer/godefer.hpp', 'include/godefer/version.hpp',
              'share/cmake/godefer/godefer-config.cmake',
              'share/cmake/godefer/godefer-config-version.cmake',
              'share/pkgconfig/godefer.pc', 'share/doc/godefer/LICENSE',
              'share/doc/godefer/CHANGELOG.md', 'share/doc/godefer/README.md'):
        if not os.path.exists(os.path.join(prefix, f)):
            sys.exit('not installed: ' + f)
    installed = sh('grep -r "%s" %s || true' % (work, prefix), cwd=work).stdout.strip()
    if installed:
        sys.exit('the install tree names the build machine\'s paths:\n' + installed)

elif args.step == 'find_package':
    snippet = snippets['find_package']
    m = re.search(r'-DCMAKE_PREFIX_PATH=(\S+)', snippet)
    extra = ['-DCMAKE_PREFIX_PATH=' + localise(m.group(1))]
    build_and_run(snippet, 'find_package', extra)
    # The version rule: the installed minor version is found, another is refused.
    version = open(os.path.join(src, 'include/godefer/version.hpp')).read()
    major, minor = (int(re.search(r'GODEFER_VERSION_%s (\d+)' % k, version).group(1))
                    for k in ('MAJOR', 'MINOR'))
    wanted = re.search(r'find_package\(godefer (\d+)\.(\d+)', snippet)
    if (int(wanted.group(1)), int(wanted.group(2))) != (major, minor):
        sys.exit('README asks for godefer %s.%s; version.hpp says %d.%d' %
                 (wanted.group(1), wanted.group(2), major, minor))
    other = '%d.%d' % (major, minor + 1 if minor > 0 else 1)
    older = '%d.%d' % (major, minor - 1) if minor > 0 else None
    for v in filter(None, (other, older)):
        proj, build, cmd = cmake_project(
            'find_package(godefer %s REQUIRED)\ntarget_link_libraries(app PRIVATE godefer::godefer)\n'
            % v, 'find_package_' + v, extra)
        if sh(cmd, cwd=proj, expect_ok=False).returncode == 0:
            sys.exit('find_package(godefer %s) accepted the installed %d.%d' % (v, major, minor))

elif args.step == 'pkg-config':
    # The tree is moved first: godefer.pc must find its headers from where it is.
    moved = os.path.join(args.work, 'moved', 'godefer')
    shutil.rmtree(os.path.dirname(moved), ignore_errors=True)
    shutil.copytree(prefix, moved, symlinks=True)
    with open(os.path.join(work, 'app.cpp'), 'w') as f:
        f.write(snippets['app.cpp'])
    script = snippets['pkg-config'].replace('/opt/godefer', moved)
    script = script.replace('c++ ', args.cxx + ' ', 1)
    if os.path.exists(os.path.join(work, 'a.out')):
        os.remove(os.path.join(work, 'a.out'))
    sh('set -e\n' + script, cwd=work)
    flags = sh('PKG_CONFIG_PATH=%s/share/pkgconfig pkg-config --cflags godefer' % moved,
               cwd=work).stdout
    if prefix in flags:
        sys.exit('godefer.pc points at the old place of the tree: ' + flags)
    check_app(os.path.join(work, 'a.out'))

elif args.step == 'add_subdirectory':
    build_and_run(snippets['add_subdirectory'], 'add_subdirectory')

elif args.step == 'fetchcontent':
    snippet = localise(snippets['fetchcontent'])
    tag = re.search(r'GIT_TAG\s+([^\s)]+)', snippet).group(1)
    probe = subprocess.run(['git', '-C', src, 'rev-parse', '--verify', '--quiet', tag + '^{commit}'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print('skipped: %s is not a git repository with README\'s GIT_TAG %s' % (src, tag))
        sys.exit(77)
    proj = build_and_run(snippet, 'fetchcontent')
    if 'godefer_dev' in sh('cmake --build build --target help', cwd=proj).stdout:
        sys.exit('godefer leaked its development targets into a consumer')

else:
    sys.exit('unknown step ' + args.step)
print('%s: ok' % args.step)
