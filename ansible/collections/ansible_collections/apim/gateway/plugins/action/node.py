# -*- coding: utf-8 -*-
# The controller's half of apim.gateway.node. With `bundle` (the wizard on the controller), the
# module compares the wizard on the node with it (sha1) in its own run and asks for it only when
# it is missing or differs; then the bundle is sent and the module runs again, putting it in place
# before it runs it. A node whose wizard is current costs one ssh session per task, not the four
# more of a file + copy pair (each one more ssh handshake and Python start on the node).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


def sha1_of(path):
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


class ActionModule(ActionBase):

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        bundle = args.pop('bundle', None)
        if bundle:
            try:
                args['wizard_checksum'] = sha1_of(bundle)
            except (IOError, OSError) as e:
                raise AnsibleActionFail('cannot read the wizard to put on the node (bundle %s): %s' % (bundle, e.strerror or e))
        out = self._execute_module(module_args=args, task_vars=task_vars)
        if bundle and out.get('apim_wizard_needed') and not out.get('failed'):
            # Ansible's remote temporary folder for this task: the bundle goes there, readable by the
            # user the module runs as (become), and is removed after, also when the module fails.
            tmpdir = self._connection._shell.tmpdir or self._make_tmp_path()
            try:
                source = self._connection._shell.join_path(tmpdir, 'wizard')
                self._transfer_file(bundle, source)
                self._fixup_perms2((tmpdir, source), execute=False)
                args['wizard_source'] = source
                out = self._execute_module(module_args=args, task_vars=task_vars)
                # The module puts the wizard in place before it runs it: a later failure still put it
                # there; a failed install says wizard_installed false itself.
                out.setdefault('wizard_installed', True)
            finally:
                self._remove_tmp_path(tmpdir, force=True)
        result.update(out)
        return result
