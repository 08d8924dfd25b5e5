# The playbook's results as one JSON document on stdout, for `apim-gateway-wizard cluster check`
# and scripts: ansible-core ships no JSON stdout callback (ansible.posix's is in another package),
# and the review needs every node's node document, not Ansible's text.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: results
type: stdout
short_description: every task's result per host, and the stats, as one JSON document
description:
  - Prints nothing while the playbook runs and, at its end, one JSON document with
    C(plays) (each with its C(play) name and its C(tasks), each task with its C(task) name and
    one result per host in C(hosts)) and C(stats) (the recap counts per host).
  - A play run in serial batches appears once per batch. A result's C(invocation) (the module's
    arguments, which hold the node's answers) is left out.
  - Enable with C(ANSIBLE_STDOUT_CALLBACK=apim.gateway.results).
"""

import json

from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "apim.gateway.results"

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display)
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({"play": {"name": play.get_name()}, "tasks": []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]["tasks"].append({"task": {"name": task.get_name()}, "hosts": {}})

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def _record(self, result, **flags):
        found = dict(result._result)
        found.pop("invocation", None)
        found.update(flags)
        self.plays[-1]["tasks"][-1]["hosts"][result._host.get_name()] = found

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, unreachable=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_playbook_on_stats(self, stats):
        summary = dict((host, stats.summarize(host)) for host in sorted(stats.processed))
        document = {"plays": self.plays, "stats": summary}
        self._display.display(json.dumps(document, cls=AnsibleJSONEncoder, indent=2, sort_keys=True))
