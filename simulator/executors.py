"""Run an experiment's chunks of work here, on a pool of processes or on a Dask cluster.

Every experiment (many runs, a sweep over start times, a sensitivity study) is cut into
chunks, and a chunk is one call ``task(prepared, chunk)`` of a module-level function. The
:class:`Setup` (scenario and rota) is sent to each worker once and turned into a
:class:`~standby.simulator.model.Prepared` (compiled scenario, hazard tables, OnCall index)
once per worker process, not per run. :func:`run_chunks` yields the chunks' results in chunk
order whatever order they finish in, so the same seed gives the same bytes serially, on any
number of processes and on Dask.

- **serial**: in this process.
- **processes** (the default): ``concurrent.futures.ProcessPoolExecutor`` with ``workers``
  processes started from a fork server that has the simulator imported already. A worker
  that dies (killed, out of memory) breaks the pool: the chunks it had not finished are
  reported and run again on a fresh pool, up to :data:`ATTEMPTS` times each.
- **dask**: ``distributed.Client`` on a scheduler address, or on a ``LocalCluster`` it
  starts (``scheduler="local"``). Dask moves a lost worker's tasks to another worker itself;
  a chunk is also retried up to :data:`ATTEMPTS` times. Needs the ``standby[dask]`` extra.

At most a few chunks per worker are in flight at once, so results waiting their turn stay
few and memory stays flat however long the experiment.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from standby.errors import StandbyError

if TYPE_CHECKING:  # imported where used, so that warm_up() can be called before them
    from standby.rota.model import Requirement, Rota
    from standby.scenarios.model import Scenario
    from standby.simulator.model import Prepared

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

#: How many times a chunk is tried before the experiment gives up.
ATTEMPTS = 3

#: Chunks in flight per worker.
WINDOW_PER_WORKER = 3

#: Modules the fork server imports once, so that each worker starts ready.
PRELOAD = (
    "standby.simulator.experiment",
    "standby.simulator.sensitivity",
    "standby.simulator.sweep",
)

Kind = Literal["serial", "processes", "dask"]


class WorkerError(StandbyError):
    """A chunk could not be run: its workers kept dying, or the Dask cluster failed."""


@dataclass(frozen=True)
class Setup:
    """What every chunk of one experiment needs: the scenario, the rota (or None), its
    requirements (None: the rota's own) and the plan tasks pinned at given minutes (the
    debrief's counterfactual; None: none).

    ``key`` identifies the content, so that a worker that has already built the
    :class:`~standby.simulator.model.Prepared` of the same setup reuses it.
    """

    scenario: Scenario
    rota: Rota | None
    rota_name: str | None = None
    requirements: Sequence[Requirement] | None = None
    pinned: Mapping[str, float] | None = None
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            pins = None if self.pinned is None else sorted(self.pinned.items())
            content = (self.scenario, self.rota, self.rota_name, self.requirements, pins)
            digest = hashlib.sha256(pickle.dumps(content)).hexdigest()
            object.__setattr__(self, "key", digest[:16])


@dataclass(frozen=True)
class Executor:
    """Where chunks run: ``kind``, how many ``workers`` (None: one per CPU) and, for Dask,
    the ``scheduler`` (``"local"`` to start a ``LocalCluster``, else ``tcp://host:port``)."""

    kind: Kind = "processes"
    workers: int | None = None
    scheduler: str | None = None

    @property
    def worker_count(self) -> int:
        """The number of workers asked for, or one per CPU this process may use."""
        if self.kind == "serial":
            return 1
        return self.workers if self.workers is not None else cpu_count()


def cpu_count() -> int:
    """CPUs this process may run on (its affinity where the system says, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def executor_for(
    workers: int | None = None, scheduler: str | None = None, *, runs: int | None = None
) -> Executor:
    """The executor the command line asks for: Dask with a scheduler, else processes (one
    worker means this process). Without a number of workers, ``runs`` below :data:`SMALL`
    also means this process, where starting workers would take longer than the runs."""
    if scheduler:
        return Executor("dask", workers, scheduler)
    if workers == 1 or (workers is None and runs is not None and runs < SMALL):
        return Executor("serial")
    return Executor("processes", workers)


#: Experiments with fewer runs than this run in this process by default.
SMALL = 200


def chunk_sizes(
    total: int, workers: int, *, largest: int = 100, per_worker: int = 4
) -> Iterator[int]:
    """``total`` items in chunks: about ``per_worker`` per worker, none larger than
    ``largest``; made as they are asked for, so a billion runs start at once."""
    if total <= 0:
        return
    size = max(1, min(largest, -(-total // (workers * per_worker))))
    for _ in range(total // size):
        yield size
    if total % size:
        yield total % size


# --- in the worker ---------------------------------------------------------------------------

_PREPARED: dict[str, Prepared] = {}  # this process's set-ups, by key (a few at most)


def prepared_for(setup: Setup) -> Prepared:
    """The :class:`Prepared` of ``setup``, built once in this process."""
    from standby.simulator.model import prepare

    prepared = _PREPARED.get(setup.key)
    if prepared is None:
        if len(_PREPARED) >= 4:
            _PREPARED.clear()
        prepared = prepare(
            setup.scenario, setup.rota, setup.rota_name, setup.requirements, setup.pinned
        )
        _PREPARED[setup.key] = prepared
    return prepared


_POOL_SETUP: list[Setup] = []  # the setup a pool worker was started with


def _pool_start(setup: Setup) -> None:
    """Pool worker initialiser: leave Ctrl-C to the parent, build the set-up once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _POOL_SETUP[:] = [setup]
    prepared_for(setup)


def _pool_task(task: Callable[[Prepared, Any], Any], chunk: Any) -> Any:
    return task(prepared_for(_POOL_SETUP[0]), chunk)


def _dask_task(setup: Setup, task: Callable[[Prepared, Any], Any], chunk: Any) -> Any:
    return task(prepared_for(setup), chunk)


# --- in the parent ---------------------------------------------------------------------------


@dataclass
class _Ordered(Generic[Result]):
    """Results that finished early, held until every earlier chunk's result has gone out."""

    waiting: dict[int, Result] = field(default_factory=dict)
    next: int = 0

    def put(self, index: int, result: Result) -> Iterator[tuple[int, Result]]:
        self.waiting[index] = result
        while self.next in self.waiting:
            yield self.next, self.waiting.pop(self.next)
            self.next += 1


def run_chunks(
    setup: Setup,
    task: Callable[[Prepared, Chunk], Result],
    chunks: Iterable[Chunk],
    executor: Executor,
    *,
    notify: Callable[[str], None] | None = None,
) -> Generator[Result, None, None]:
    """``task(prepared, chunk)`` for every chunk, on ``executor``; results in chunk order.

    ``task`` must be a module-level function (workers find it by name). ``notify`` is told,
    in words, about a worker that died and the chunks run again.
    """
    say = notify or (lambda _message: None)
    match executor.kind:
        case "serial":
            prepared = prepared_for(setup)
            for chunk in chunks:
                yield task(prepared, chunk)
        case "processes":
            yield from _processes(setup, task, chunks, executor.worker_count, say)
        case "dask":
            yield from _dask(setup, task, chunks, executor, say)


def _context() -> Any:
    """The fork server (workers start with the simulator imported) where there is one."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


def warm_up(executor: Executor) -> None:
    """Start the fork server now, so that it imports the simulator while this process reads
    the scenario and the rota (it is otherwise started by the first chunk)."""
    if executor.kind == "processes" and _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _processes(
    setup: Setup,
    task: Callable[[Prepared, Chunk], Result],
    chunks: Iterable[Chunk],
    workers: int,
    say: Callable[[str], None],
) -> Iterator[Result]:
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = _context()

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_pool_start, initargs=(setup,)
        )

    source = enumerate(chunks)
    kept: dict[int, Chunk] = {}  # chunks sent and not yet back, to send again
    attempts: dict[int, int] = {}
    running: dict[Future[Result], int] = {}
    ordered: _Ordered[Result] = _Ordered()
    window = workers * WINDOW_PER_WORKER
    pool = new_pool()
    exhausted = False
    try:
        while True:
            while not exhausted and len(kept) < window:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                index, chunk = item
                kept[index] = chunk
                attempts[index] = 1
                running[pool.submit(_pool_task, task, chunk)] = index
            if not running:
                return
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in finished):
                # every chunk still out fails with the pool: wait for them all, keep the
                # results of those that finished before it broke
                finished, _ = wait(running)
            broken = False
            for future in finished:
                index = running.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                    continue
                if error is not None:
                    raise error
                del kept[index]
                for _index, result in ordered.put(index, future.result()):
                    yield result
            if broken:
                lost = sorted(kept)
                pool.shutdown(wait=True, cancel_futures=True)
                for index in lost:
                    attempts[index] += 1
                    if attempts[index] > ATTEMPTS:
                        raise WorkerError(
                            f"a worker process died {ATTEMPTS} times while running chunk "
                            f"{index + 1}; it may need more memory than this machine has, "
                            "or be stopped by something else on it"
                        )
                say(
                    "a worker process stopped unexpectedly (killed, or out of memory); "
                    f"running chunk{'s' if len(lost) > 1 else ''} "
                    f"{', '.join(str(i + 1) for i in lost)} again on new workers"
                )
                pool = new_pool()
                for index in lost:
                    running[pool.submit(_pool_task, task, kept[index])] = index
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _dask(
    setup: Setup,
    task: Callable[[Prepared, Chunk], Result],
    chunks: Iterable[Chunk],
    executor: Executor,
    say: Callable[[str], None],
) -> Iterator[Result]:
    import importlib

    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise WorkerError(
            "running on Dask needs the dask extra: pip install 'standby[dask]'"
        ) from None
    import logging

    cluster = None
    address = executor.scheduler
    try:
        if address == "local":
            cluster = distributed.LocalCluster(
                n_workers=executor.worker_count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout=30)
    except OSError as error:
        raise WorkerError(f"could not reach the Dask scheduler at {address}: {error}") from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = workers * WINDOW_PER_WORKER
        shared = client.scatter(setup, broadcast=True)
        source = enumerate(chunks)
        running = distributed.as_completed()
        index_of: dict[Any, int] = {}
        ordered: _Ordered[Result] = _Ordered()
        exhausted = False
        while True:
            while not exhausted and running.count() < window:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                index, chunk = item
                future = client.submit(
                    _dask_task, shared, task, chunk, retries=ATTEMPTS - 1, pure=False
                )
                index_of[future.key] = index
                running.add(future)
            if running.is_empty():
                return
            future = next(running)
            index = index_of.pop(future.key)
            try:
                result = future.result()
            except StandbyError:
                raise
            except Exception as error:
                raise WorkerError(
                    f"chunk {index + 1} failed on the Dask cluster at {address}: {error}"
                ) from error
            future.release()
            for _index, value in ordered.put(index, result):
                yield value
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
