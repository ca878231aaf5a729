"""Where batch work runs: local worker processes, or a Dask cluster.

A backend submits a function with its arguments and hands back a future; the runner waits
for the first of its futures to finish. Both kinds of future offer ``result()``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import MissingDependency, StdCompareError
from .worker import DocJob, DocOutcome, init_worker

CRASH_MESSAGE = (
    "the worker process died while working on it (a crash in a PDF or model library, or out "
    "of memory); the other pairs were not affected"
)


class BatchError(StdCompareError, ValueError):
    """A batch cannot start: a bad argument or output folder."""


class SchedulerUnavailable(StdCompareError, ConnectionError):
    """The Dask scheduler cannot be reached."""


class LocalBackend:
    """A pool of ``jobs`` worker processes.

    Where the OS offers it (Linux, macOS) workers are forked from a ``forkserver`` that has
    imported and warmed up the pipeline once (:mod:`stdcompare.batch.warmup`), so a worker
    starts in milliseconds instead of seconds; elsewhere they are spawned. Either way a
    worker starts from a clean single-threaded process and gets the caller's environment.

    A worker that dies (a segfault in a PDF library, the out-of-memory killer) breaks the
    pool; the runner then calls :meth:`restart` and reruns the tasks that were in flight one
    at a time on an isolated single-process pool (``isolated=True``), so only the task that
    really kills its process fails.
    """

    shares_files = True

    def __init__(self, jobs: int, threads: int | None = None) -> None:
        import sys

        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        if main_file and not os.path.exists(main_file):
            # multiprocessing re-imports the main script in every worker
            raise BatchError(
                f"local worker processes cannot start from a script that is not a file "
                f"({main_file}); save the script to a .py file, or run `stdcompare batch`"
            )
        self.jobs = jobs
        self.capacity = jobs
        self.threads = threads
        self.generation = 0
        self._pool = self._new(jobs)
        self._solo: Any = None
        self.description = f"{jobs} local process{'es' if jobs != 1 else ''}"

    def _new(self, n: int) -> Any:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=n,
            mp_context=_context(),
            initializer=init_worker,
            initargs=(self.threads, dict(os.environ)),
        )

    def submit(self, fn: Callable[..., Any], *args: Any, isolated: bool = False) -> Any:
        if isolated:
            if self._solo is None:
                self._solo = self._new(1)
            return self._solo.submit(fn, *args)
        return self._pool.submit(fn, *args)

    def wait(self, futures: Iterable[Any]) -> set[Any]:
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
        return set(done)

    def crashed(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        return isinstance(exc, BrokenProcessPool)

    def restart(self, isolated: bool) -> None:
        """Replace a broken pool (the main one, or the isolated one)."""
        if isolated:
            if self._solo is not None:
                self._solo.shutdown(wait=False, cancel_futures=True)
            self._solo = None
            return
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new(self.jobs)
        self.generation += 1

    def doc_job(self, job: DocJob) -> DocJob:
        return job

    def doc_ref(self, future: Any, outcome: DocOutcome, job: DocJob) -> Any:
        return job.save_to

    def provide(self, document: Any, path: str) -> Any:
        document.save(path)
        return path

    def release(self, ref: Any) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        for pool in (self._pool, self._solo):
            if pool is not None:
                pool.shutdown(wait=not cancel, cancel_futures=cancel)


class DaskBackend:
    """A ``dask.distributed`` cluster reached through its scheduler address (or a Client).

    Nothing needs to be shared between the client and the workers: documents travel as
    bytes to the worker that ingests them, ingested documents stay on the cluster for the
    compare tasks that use them, and rendered outputs come back to the client, which writes
    them. Dask retries a task whose worker died; after that the pair fails with the error.
    """

    shares_files = False

    def __init__(self, scheduler: Any, timeout: float = 20.0) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise MissingDependency(
                "dask[distributed]",
                "running a batch on a Dask cluster",
                "pip install 'stdcompare[dask]'",
            ) from exc
        self._distributed = distributed
        self.generation = 0
        if isinstance(scheduler, distributed.Client):
            self.client = scheduler
            self._own = False
        else:
            address = str(scheduler)
            try:
                self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise SchedulerUnavailable(
                    f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: "
                    f"{' '.join(str(exc).split())[:200]}); check the address (tcp://HOST:8786) "
                    "and that `dask scheduler` and its workers are running"
                ) from exc
            self._own = True
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        threads = sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1
        # Keep a bounded number of tasks in flight: memory stays flat and progress is honest.
        self.capacity = max(4, 2 * threads)
        self.description = (
            f"Dask scheduler {info.get('address', scheduler)} "
            f"({len(workers)} worker{'s' if len(workers) != 1 else ''}, {threads} threads)"
        )
        self._live: set[Any] = set()

    def submit(self, fn: Callable[..., Any], *args: Any, isolated: bool = False) -> Any:
        key = f"stdcompare-{fn.__name__}-{uuid.uuid4().hex}"
        # A document's bytes go to the cluster as data of their own, not inside the task.
        args = tuple(
            self.client.scatter(a, hash=False)
            if isinstance(a, DocJob) and a.data is not None and len(a.data) > 1_000_000
            else a
            for a in args
        )
        return self.client.submit(fn, *args, key=key, pure=False)

    def wait(self, futures: Iterable[Any]) -> set[Any]:
        with self.client.as_current():
            done, _ = self._distributed.wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done)

    def crashed(self, exc: BaseException) -> bool:
        return False  # Dask has already retried a task whose worker died

    def restart(self, isolated: bool) -> None:  # pragma: no cover - crashed() is never true
        pass

    def doc_job(self, job: DocJob) -> DocJob:
        """Send the file's bytes: workers need not see the client's files."""
        from dataclasses import replace

        with open(job.source, "rb") as fh:
            return replace(job, data=fh.read(), save_to=None, keep=True)

    def doc_ref(self, future: Any, outcome: DocOutcome, job: DocJob) -> Any:
        self._live.add(future)
        return future  # the Document stays on the worker that made it

    def provide(self, document: Any, path: str) -> Any:
        future = self.client.scatter(document, hash=False)
        self._live.add(future)
        return future

    def release(self, ref: Any) -> None:
        self._live.discard(ref)  # the last reference to a future releases its data

    def close(self, cancel: bool = False) -> None:
        self._live.clear()
        if self._own:
            self.client.close()


def _context() -> Any:
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Applies when this process starts its fork server (once); ignored afterwards.
        ctx.set_forkserver_preload(["stdcompare.batch.warmup"])
        return ctx
    return multiprocessing.get_context("spawn")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
