"""Run a module as ``__main__`` in a process that dies with its parent.

``python -m flows._tether PARENT_PID MODULE ARGS...``: asks Linux to send SIGTERM when the
parent exits (``prctl(PR_SET_PDEATHSIG)``), so a local Prefect API started for one command
never outlives it, even when the command is killed with SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import runpy
import signal
import sys

_PR_SET_PDEATHSIG = 1


def main() -> None:
    parent, module, *args = sys.argv[1:]
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(parent):
        sys.exit(0)  # the parent died before the tether was set
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
