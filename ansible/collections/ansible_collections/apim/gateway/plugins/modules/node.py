#!/usr/bin/python
# -*- coding: utf-8 -*-
# Runs apim-gateway-wizard on one node: configure (plan in check mode, apply otherwise),
# start, or the first deployment sync. Every answers file it hands the wizard is written
# here, privately, so that answers handling lives in one place.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: node
short_description: Configure, start or sync a WSO2 API-M 2.x Gateway node with apim-gateway-wizard
description:
  - Runs the wizard on the node. With I(bundle), the wizard is first put there when it is missing
    or differs from the controller's (compared by sha1 in the same run; sent only then), also in
    check mode - a check runs the wizard on the node. The role C(apim.gateway.node) passes it.
  - I(command=configure) runs C(plan --json) in check mode and C(apply --json --yes) otherwise,
    and returns the wizard's node document (format C(apim-gateway-wizard/node-document), version 1).
  - I(command=start) starts the server (the wizard waits until it is ready); a server already
    running is left as it is (C(changed=false)).
  - I(command=sync-preview) runs C(sync --dry-run) on the manager (every worker checked, every
    deletion listed); I(command=sync) pushes, and fails when the push would delete files on a
    worker unless I(allow_delete=true).
  - The answers are written to a file of mode 0600 in a fresh folder only root (the user running
    the module) can write, removed afterwards, also on failure. No command goes through a shell.
version_added: "0.1.0"
options:
  wizard:
    description:
      - Path of the wizard on the node, the C(dist/cli.cjs) bundle or the standalone executable.
      - It runs as root, so it must be a regular file that only root can change, in folders only
        root can change (sticky ones such as C(/tmp) allowed); otherwise the module refuses.
    type: path
    required: true
  bundle:
    description:
      - The wizard on the controller (C(dist/cli.cjs) or the standalone executable), put at I(wizard)
        when the node has no such file or another one - root's, mode 0755, written whole and
        renamed into place, its folders created root's 0755. Refused, with nothing written, when
        a folder on the way can be changed by another user.
      - Read by the action plugin on the controller; the module gets its sha1 (I(wizard_checksum)).
    type: path
  wizard_checksum:
    description: The sha1 of I(bundle); set by the action plugin, not by hand.
    type: str
  wizard_source:
    description: Where the action plugin sent I(bundle) on the node (a temporary file); set by the action plugin, not by hand.
    type: path
  interpreter:
    description: Program that runs I(wizard) (looked up in C(PATH)); C("") for the standalone executable.
    type: str
    default: node
  answers:
    description: The node's answers, as the wizard's C(--answers) file takes them (role, productHome, ...).
    type: dict
    required: true
  root:
    description: Resolve every absolute path under this folder (C(--root)); tests and jailed nodes.
    type: path
  command:
    description: What to run.
    type: str
    choices: [configure, start, sync-preview, sync]
    default: configure
  on_conflict:
    description: configure, a generated file edited by hand - keep it, replace it, or fail.
    type: str
    choices: [keep, replace, fail]
    default: fail
  switch_role:
    description: configure, plan and apply a role other than the one the node's saved answers say.
    type: bool
    default: false
  restart_after_first_start:
    description: start, a worker's first start is followed by one restart, as WSO2 asks.
    type: bool
    default: false
  timeout:
    description: start, how long to wait for the server to be ready (C(--timeout), e.g. C(10m)).
    type: str
  create_key:
    description: sync-preview, create the manager's ssh key (syncKey) when it is missing.
    type: bool
    default: false
  allow_delete:
    description: sync, push even when the preview deletes files on a worker (C(sync --yes)).
    type: bool
    default: false
notes:
  - Check mode - configure plans only (C(changed) says whether apply would change anything, and
    C(--diff) shows every file's unified diff); start only reports whether the server is running;
    sync and sync-preview are skipped.
author:
  - apim-gateway-wizard
'''

EXAMPLES = r'''
- name: Configure the node (plan in check mode), the wizard put there first when it differs
  apim.gateway.node:
    wizard: /opt/apim-gateway-wizard/cli.cjs
    bundle: /srv/apim-gateway-wizard/dist/cli.cjs
    answers: "{{ apim_answers }}"
  register: apim

- name: Start a worker, restarted once after its first start
  apim.gateway.node:
    wizard: /opt/apim-gateway-wizard/cli.cjs
    answers: "{{ apim_answers }}"
    command: start
    restart_after_first_start: true

- name: Push the deployment to the workers, deletions allowed
  apim.gateway.node:
    wizard: /opt/apim-gateway-wizard/cli.cjs
    answers: "{{ apim_answers }}"
    command: sync
    allow_delete: true
'''

RETURN = r'''
document:
  description: configure - the wizard's node document (files with status, reasons and diffs, actions, errors, exitCode).
  returned: command is configure and the wizard printed one
  type: dict
summary:
  description: configure - the plan's summary line, e.g. "3 files to change, 1 to create".
  returned: command is configure
  type: str
pending:
  description: configure - how many changes apply would make (0 after apply when nothing is left).
  returned: command is configure
  type: int
warnings:
  description: The document's warnings (each also given to Ansible as a warning; callbacks may show and drop this key).
  returned: command is configure and there are warnings
  type: list
  elements: str
apim_warnings:
  description: The same list as I(warnings), always kept in the registered result.
  returned: command is configure
  type: list
  elements: str
rc:
  description: The wizard's exit code.
  returned: when the wizard ran
  type: int
stdout_lines:
  description: start, sync, sync-preview - what the wizard printed.
  returned: command is not configure
  type: list
  elements: str
wizard_installed:
  description: The wizard was put on the node (it was missing or differed from I(bundle)); false when that failed.
  returned: when the wizard on the node was missing or differed
  type: bool
cmd:
  description: The argument list the wizard ran with (the answers file's path is temporary).
  returned: when the wizard ran
  type: list
  elements: str
'''

import hashlib
import json
import os
import shutil
import stat
import tempfile

from ansible.module_utils.basic import AnsibleModule

DOCUMENT_FORMAT = 'apim-gateway-wizard/node-document'


def private_answers_file(answers):
    """A fresh 0700 folder (mkdtemp: ours alone, in a sticky /tmp nobody else can rename it) holding answers.json, 0600."""
    folder = tempfile.mkdtemp(prefix='apim-gateway-wizard-answers-')
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        shutil.rmtree(folder, ignore_errors=True)
        raise OSError('the temporary folder %s is not private to this user' % folder)
    path = os.path.join(folder, 'answers.json')
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), 0o600)
    with os.fdopen(fd, 'w') as f:
        json.dump(answers, f, indent=2)
        f.write('\n')
    return folder, path


def untrusted(path):
    """Why root must not run this file (another user could change it, or a folder on its way), or None."""
    uid = os.geteuid()
    try:
        st = os.lstat(path)
    except OSError as e:
        return 'cannot read %s: %s' % (path, e.strerror)
    if not stat.S_ISREG(st.st_mode):
        return '%s is not a regular file' % path
    if st.st_uid not in (0, uid) or st.st_mode & 0o022:
        return '%s can be changed by another user (owner uid %d, mode %o)' % (path, st.st_uid, stat.S_IMODE(st.st_mode))
    return untrusted_folder(os.path.dirname(os.path.abspath(path)))


def untrusted_folder(folder):
    """Why a file root writes or runs in this folder could be swapped by another user, or None."""
    uid = os.geteuid()
    while True:
        st = os.stat(folder)
        # A sticky folder (/tmp) lets others add names, never rename or remove ours.
        if st.st_uid not in (0, uid) or (st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX):
            return 'the folder %s can be changed by another user (owner uid %d, mode %o)' % (folder, st.st_uid, stat.S_IMODE(st.st_mode))
        if folder == '/':
            return None
        folder = os.path.dirname(folder)


def sha1_of(path):
    """The sha1 of the regular file at path (a link is not followed), or None when there is none."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, 'O_NOFOLLOW', 0))
    except OSError:
        return None
    with os.fdopen(fd, 'rb') as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        h = hashlib.sha1()
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def install_wizard(module):
    """Puts the controller's wizard (sent to wizard_source) at wizard: root's, 0755, whole or not at all."""
    p = module.params

    def fail(msg):
        module.fail_json(msg=msg, wizard_installed=False)

    path = os.path.abspath(p['wizard'])
    folder = os.path.dirname(path)
    missing = []
    existing = folder
    while not os.path.lexists(existing):
        missing.insert(0, existing)
        existing = os.path.dirname(existing)
    # Checked before anything is made: a folder another user can change gets nothing of root's.
    why = untrusted_folder(existing)
    if why:
        fail(msg='refusing to put the wizard on the node: %s' % why)
    try:
        with open(p['wizard_source'], 'rb') as f:
            data = f.read()
    except (IOError, OSError) as e:
        fail(msg='cannot read the wizard sent to the node (%s): %s' % (p['wizard_source'], e.strerror))
    # The copy sits in the ssh user's temporary folder until now: what is installed is what was checked.
    if hashlib.sha1(data).hexdigest() != p['wizard_checksum']:
        fail(msg='the wizard sent to the node is not the controller\'s (sha1 differs): nothing was put in place')
    tmp = None
    try:
        for d in missing:
            os.mkdir(d, 0o755)
            os.chmod(d, 0o755)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix='.%s.' % os.path.basename(path))
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), 0o755)
            os.fsync(f.fileno())
        os.rename(tmp, path)
        tmp = None
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except (IOError, OSError) as e:
        fail(msg='cannot put the wizard at %s: %s' % (path, e.strerror or e))
    finally:
        if tmp:
            os.unlink(tmp)
    if sha1_of(path) != p['wizard_checksum']:
        fail(msg='the wizard at %s is not the one just written' % path)


def base_argv(module):
    p = module.params
    # The wizard runs as root: it must be a file only root can change (install_wizard puts it so).
    why = untrusted(p['wizard'])
    if why:
        module.fail_json(msg='refusing to run the wizard: %s' % why)
    argv = []
    if p['interpreter']:
        argv.append(module.get_bin_path(p['interpreter'], required=True))
    argv.append(p['wizard'])
    return argv


def common_flags(module, answers_path):
    flags = ['--answers', answers_path]
    if module.params['root']:
        flags += ['--root', module.params['root']]
    return flags


def run(module, argv):
    # No shell, no $VAR or ~ expansion of the arguments; plain output.
    return module.run_command(argv, expand_user_and_vars=False, environ_update={'NO_COLOR': '1'})


def parse_document(stdout):
    """The one JSON object the wizard prints with --json, or None."""
    try:
        doc = json.loads(stdout)
    except ValueError:
        return None
    if isinstance(doc, dict) and doc.get('format') == DOCUMENT_FORMAT:
        return doc
    return None


def diff_of(doc):
    """Ansible's diff: one entry per file that changes, and the answers changes as text."""
    out = []
    for f in doc.get('files') or []:
        text = f.get('diff') or ''
        if not text and f.get('status') != 'conflict':
            continue
        if f.get('status') == 'conflict' and f.get('localEdits'):
            text = (text + '\n' if text else '') + '# edited by hand since the wizard wrote it:\n' + f['localEdits']
        header = '%s (%s: %s)' % (f.get('path'), f.get('status'), '; '.join(f.get('reasons') or []))
        # Callbacks print only `prepared` when it is given: the file's status and reasons head it.
        out.append({'before_header': header, 'after_header': header,
                    'prepared': '# %s\n%s' % (header, text if text.endswith('\n') else text + '\n')})
    answers = doc.get('answers') or []
    if answers:
        out.append({'before_header': 'saved answers', 'after_header': 'saved answers',
                    'prepared': 'saved answers:\n' + ''.join('  %s\n' % a for a in answers)})
    for r in doc.get('resets') or []:
        out.append({'before_header': r.get('dir'), 'after_header': r.get('dir'),
                    'prepared': 'reset %s: %s\n' % (r.get('dir'), r.get('reason'))})
    return out


def configure(module, answers_path):
    p = module.params
    if module.check_mode:
        argv = base_argv(module) + ['plan', '--json'] + common_flags(module, answers_path)
    else:
        argv = base_argv(module) + ['apply', '--json', '--yes'] + common_flags(module, answers_path)
    argv += ['--on-conflict', p['on_conflict']]
    if p['switch_role']:
        argv.append('--switch-role')
    rc, stdout, stderr = run(module, argv)
    doc = parse_document(stdout)
    shown_argv = argv
    if doc is None:
        module.fail_json(msg='the wizard did not print its node document (exit %s): %s' % (rc, (stderr or stdout).strip() or 'no output'),
                         rc=rc, stdout=stdout, stderr=stderr, cmd=shown_argv)
    warnings = [str(w) for w in doc.get('warnings') or []]
    # 'warnings' is Ansible's own key: exit_json/fail_json give each to module.warn (shown by every
    # callback); apim_warnings keeps the same list in the registered result, where callbacks may take it out.
    result = dict(changed=bool(doc.get('changed')), document=doc, summary=doc.get('summary', ''),
                  pending=doc.get('pending', 0), warnings=warnings, apim_warnings=warnings, rc=rc, cmd=shown_argv)
    if module._diff:
        result['diff'] = diff_of(doc)
    if rc == 1 or doc.get('exitCode') == 1 or doc.get('errors'):
        # The answers file is this module's temporary one: the admin knows it as the node's answers.
        errors = [str(e).replace(answers_path, 'answers') for e in doc.get('errors') or []]
        result.pop('changed')
        module.fail_json(msg='; '.join(errors) or stderr.strip() or 'the wizard failed (exit %s)' % rc, **result)
    # plan exits 2 when changes are pending: not a failure (Ansible takes a result's rc != 0 as one unless told).
    module.exit_json(failed=False, **result)


def start(module, answers_path):
    p = module.params
    flags = common_flags(module, answers_path)
    status = base_argv(module) + ['status'] + flags
    rc, stdout, stderr = run(module, status)
    if rc == 0:
        module.exit_json(changed=False, rc=rc, msg='already running', stdout_lines=stdout.splitlines(), cmd=status)
    if rc != 3:
        module.fail_json(msg='status failed (exit %s): %s' % (rc, (stderr or stdout).strip()), rc=rc, stdout=stdout, stderr=stderr, cmd=status)
    if module.check_mode:
        module.exit_json(changed=True, msg='not running: would start', stdout_lines=stdout.splitlines(), cmd=status)
    argv = base_argv(module) + ['start'] + flags
    if p['restart_after_first_start']:
        argv.append('--restart-after-first-start')
    if p['timeout']:
        argv += ['--timeout', p['timeout']]
    rc, stdout, stderr = run(module, argv)
    if rc != 0:
        module.fail_json(msg='start failed (exit %s): %s' % (rc, last_lines(stdout, stderr)), rc=rc,
                         stdout_lines=stdout.splitlines(), stderr=stderr, cmd=argv)
    module.exit_json(changed=True, rc=rc, msg='ready', stdout_lines=stdout.splitlines(), cmd=argv)


def sync(module, answers_path):
    p = module.params
    if module.check_mode:
        module.exit_json(changed=False, skipped=True, msg='check mode: no sync')
    argv = base_argv(module) + ['sync'] + common_flags(module, answers_path)
    preview = p['command'] == 'sync-preview'
    if preview:
        argv.append('--dry-run')
        if p['create_key']:
            argv.append('--create-key')
    elif p['allow_delete']:
        argv.append('--yes')
    rc, stdout, stderr = run(module, argv)
    lines = stdout.splitlines()
    if rc == 2:
        # Exit 2: the push would delete files on a worker and --yes was not given: nothing was pushed.
        module.fail_json(msg='the push would delete files on a worker (listed as DELETE in the preview); nothing was pushed. '
                             'After reading the preview, re-run with -e apim_sync_delete=true to allow it.',
                         rc=rc, stdout_lines=lines, stderr=stderr, cmd=argv)
    if rc != 0:
        module.fail_json(msg='sync%s failed (exit %s): %s' % (' --dry-run' if preview else '', rc, last_lines(stdout, stderr)),
                         rc=rc, stdout_lines=lines, stderr=stderr, cmd=argv)
    module.exit_json(changed=not preview, rc=rc, stdout_lines=lines, cmd=argv)


def last_lines(stdout, stderr, n=8):
    text = (stderr.strip() + '\n' + stdout.strip()).strip()
    return ' | '.join(text.splitlines()[-n:]) or 'no output'


def main():
    module = AnsibleModule(
        argument_spec=dict(
            wizard=dict(type='path', required=True),
            interpreter=dict(type='str', default='node'),
            answers=dict(type='dict', required=True),
            root=dict(type='path'),
            command=dict(type='str', default='configure', choices=['configure', 'start', 'sync-preview', 'sync']),
            on_conflict=dict(type='str', default='fail', choices=['keep', 'replace', 'fail']),
            switch_role=dict(type='bool', default=False),
            restart_after_first_start=dict(type='bool', default=False),
            timeout=dict(type='str'),
            create_key=dict(type='bool', default=False),
            allow_delete=dict(type='bool', default=False),
            wizard_checksum=dict(type='str'),
            wizard_source=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    p = module.params
    # Also in check mode: a check runs the wizard on the node, so it must be there (and current).
    if p['wizard_checksum'] and sha1_of(p['wizard']) != p['wizard_checksum']:
        if not p['wizard_source']:
            module.exit_json(changed=False, apim_wizard_needed=True, msg='the wizard on the node is missing or differs from the controller\'s')
        install_wizard(module)
    folder = None
    try:
        try:
            folder, answers_path = private_answers_file(module.params['answers'])
        except (OSError, TypeError, ValueError) as e:
            module.fail_json(msg='cannot write the answers file: %s' % e)
        command = module.params['command']
        if command == 'configure':
            configure(module, answers_path)
        elif command == 'start':
            start(module, answers_path)
        else:
            sync(module, answers_path)
    finally:
        # exit_json/fail_json end the process through SystemExit: this still runs.
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == '__main__':
    main()
