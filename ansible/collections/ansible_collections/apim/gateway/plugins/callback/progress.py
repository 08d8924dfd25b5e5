# The playbook's progress as it happens, one JSON object per line on stdout, for
# `apim-gateway-wizard cluster apply` and its live screen: which node is at which play and task,
# and how each task ended there. Ansible's default text is for people; this is for the wizard.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: progress
type: stdout
short_description: one JSON line per play, task, host result and the stats, as they happen
description:
  - Prints one JSON object per line, each with C(event) C(play) (its C(name)), C(task) (its
    C(name)), C(result) (C(host), C(task), C(status) one of ok, changed, failed, unreachable,
    skipped, and C(msg) the result's message when it has one) or C(stats) (the recap counts per
    host, in C(hosts)).
  - A result's arguments (which hold the node's answers) are never printed.
  - Enable with C(ANSIBLE_STDOUT_CALLBACK=apim.gateway.progress).
"""

import json

from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase

# A message is a line of the live screen, not a log: long ones are cut here.
MAX_MSG = 2000


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "apim.gateway.progress"

    def _emit(self, event):
        # One line per event: the reader splits on newlines, so none may be inside.
        self._display.display(json.dumps(event, cls=AnsibleJSONEncoder, sort_keys=True, separators=(",", ":")))

    def v2_playbook_on_play_start(self, play):
        self._emit({"event": "play", "name": play.get_name()})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit({"event": "task", "name": task.get_name()})

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def _result(self, result, status):
        found = result._result
        msg = found.get("msg")
        if msg is None and status == "failed":
            msg = found.get("stderr") or found.get("module_stderr") or found.get("module_stdout")
        event = {"event": "result", "host": result._host.get_name(), "task": result._task.get_name(), "status": status}
        if msg is not None:
            text = msg if isinstance(msg, str) else json.dumps(msg, cls=AnsibleJSONEncoder)
            event["msg"] = text[:MAX_MSG]
        self._emit(event)

    def v2_runner_on_ok(self, result):
        self._result(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, "ok" if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result):
        self._result(result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._result(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        self._emit({"event": "stats", "hosts": dict((host, stats.summarize(host)) for host in sorted(stats.processed))})
