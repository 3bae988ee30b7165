"""Run a notebook in a Jupyter kernel with papermill: a fresh kernel, or a warm one.

A fresh kernel costs about 2.5 s before a chapter's first line runs: starting the process, then
importing pandas, matplotlib and ``gihi``. The build runs nine chapters on two threads, so each
thread keeps one :class:`WarmKernel` and runs its chapters in it, one after another.

Before each notebook a warm kernel is **reset** (IPython's ``InteractiveShell.reset``): the
user namespace is cleared — every name a notebook defined or imported is gone — and the
execution count goes back to 1. A notebook therefore sees what a fresh kernel would show it — a name it forgot to
define or import is a ``NameError`` in the build too — and its executed file is byte-identical to
a fresh kernel's (tested). What stays is what made the fresh kernel slow: the process and the
modules it has imported, with their caches (keyed by their inputs, which a build does not
change). After a notebook fails, its kernel is shut down and the next notebook gets a new one.

:class:`WarmEngine` is papermill's nbclient engine, except that it executes in a kernel that is
already running and leaves it running (papermill's own engine would shut the kernel down).
"""
from __future__ import annotations

from pathlib import Path

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE = "gihi-warm"
#: run in the kernel before each notebook (silent: it takes no execution count itself). IPython's
#: reset with a new session clears the user namespace, starts a new input-history session and
#: sets the execution count back to 1 (the ``%reset`` magic keeps the session, and a count set
#: back to 1 in it would collide with the history already stored)
RESET = "get_ipython().reset(new_session=True)\n"


class KernelResetError(RuntimeError):
    """A warm kernel could not be reset (it is shut down; the notebook is not run)."""


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine on the running kernel ``km``, which stays running."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, *, km, **kwargs):
        from papermill.engines import logger
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = PapermillNotebookClient(nb_man, km=km, **merge_kwargs(
            kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))
        try:
            return client.execute()
        finally:
            if client.kc is not None:   # this notebook's connection; the kernel itself stays up
                client.kc.stop_channels()


papermill_engines.register(ENGINE, WarmEngine)


class WarmKernel:
    """A kernel of ``kernel_name`` kept running from one notebook to the next (see the module
    docstring), started the first time it is needed with the keyword arguments ``start`` of
    :meth:`jupyter_client.AsyncKernelManager.start_kernel` (``cwd``, ``extra_arguments``) and the
    process environment of that moment."""

    def __init__(self, kernel_name: str, *, start_timeout: float = 120, **start):
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.start = start
        self.km = None
        self.notebooks = 0   # notebooks run in the current kernel process

    def _started(self):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        if self.km is not None and run_sync(self.km.is_alive)():
            return self.km
        self.shutdown()
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(**self.start)
        self.km, self.notebooks = km, 0
        return km

    def reset(self):
        """Start the kernel if needed and reset it; returns its manager."""
        from jupyter_core.utils import run_sync
        km = self._started()
        if self.notebooks == 0:
            return km   # just started: nothing to clear
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.start_timeout)
            msg_id = kc.execute(RESET, silent=True, store_history=False)
            while True:
                reply = run_sync(kc.get_shell_msg)(timeout=60)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except Exception as e:
            self.shutdown()
            raise KernelResetError(f"could not reset kernel {self.kernel_name}: {e}") from e
        finally:
            kc.stop_channels()
        if reply["content"].get("status") != "ok":
            self.shutdown()
            raise KernelResetError(f"could not reset kernel {self.kernel_name}: {reply['content']}")
        return km

    def shutdown(self) -> None:
        """Stop the kernel (if running); the next :meth:`reset` starts a new one."""
        from jupyter_core.utils import run_sync
        km, self.km = self.km, None
        if km is not None:
            run_sync(km.shutdown_kernel)(now=True)   # also removes its connection file


def execute(nb, kernel_name: str, *, cwd: Path, warm: WarmKernel | None = None, **kwargs):
    """Execute ``nb`` (papermill-parameterized) in a fresh kernel, or in ``warm`` after resetting
    it; returns the executed notebook. ``kwargs`` go to papermill's engine (timeouts,
    ``extra_arguments``). If the notebook fails in a warm kernel, that kernel is shut down."""
    resources = {"metadata": {"path": str(cwd)}}
    if warm is None:
        return papermill_engines.execute_notebook_with_engine(None, nb, kernel_name, resources=resources, **kwargs)
    km = warm.reset()
    ok = False
    try:
        nb = papermill_engines.execute_notebook_with_engine(ENGINE, nb, kernel_name, km=km, resources=resources,
                                                            **remove_args(["extra_arguments"], **kwargs))
        ok = not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
        return nb
    finally:
        warm.notebooks += 1
        if not ok:
            warm.shutdown()


__all__ = ["ENGINE", "WarmEngine", "WarmKernel", "KernelResetError", "execute"]
