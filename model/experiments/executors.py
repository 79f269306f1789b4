"""Where many runs are done: a local pool of processes or a Dask cluster, both behind
``concurrent.futures.Executor`` (the one place either is built; docs/batches.md).

- ``pool(workers)``: spawned processes (``fork`` would copy the compiled engine's threads). Each
  worker leaves SIGINT to its parent (which stops the batch cleanly; a terminal's Ctrl-C reaches
  the whole process group) and exits on its own within half a second when the parent dies.
- ``for_workers(workers)``: such a pool, or None for one worker (everything in this process).
- ``dask(scheduler=ADDRESS)`` or ``dask(local_workers=N)``: (executor, close). An address that is
  not a Dask scheduler fails within ``timeout`` seconds with an OSError saying why: refused, no
  answer, or an answer that is not Dask's (an HTTP server waits for a request; a service that
  greets with a banner says something else first). A local cluster's processes ignore SIGINT
  (Ctrl-C stops the batch, which then closes them: no worker tracebacks).
- ``terminate(executor)`` stops a local pool now; ``stopped(executor)`` lists its workers that are
  stopped (SIGSTOP: state T), which the batch replaces rather than wait for.
"""
from __future__ import annotations

import os
import signal
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor

# A Dask scheduler greets first: an 8-byte length of the message, then an 8-byte count of its frames.
DASK_GREETING_MAX = 1 << 24
DASK_FRAMES_MAX = 1 << 10


def _worker_init(initializer: Callable[[], None] | None = None) -> None:
    """In each local worker: leave SIGINT to the parent and exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
    if initializer is not None:
        initializer()


def pool(workers: int | None = None, initializer: Callable[[], None] | None = None) -> Executor:
    """A pool of ``workers`` spawned processes (default: the cores)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(initializer,))


def for_workers(workers: int) -> Executor | None:
    """A pool of ``workers`` processes, or None for one (everything in this process)."""
    return None if workers <= 1 else pool(workers)


def processes(executor: Executor) -> dict[int, object]:
    """A local pool's worker processes by pid (none for other executors)."""
    return dict(getattr(executor, "_processes", None) or {})


def terminate(executor: Executor) -> None:
    """Stop a local pool now: queued jobs cancelled, running workers terminated and reaped (a
    stopped one killed)."""
    procs = list(processes(executor).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.pid in stopped_pids([p.pid]):
            p.kill()
        else:
            p.terminate()
    for p in procs:
        p.join(5)
        if p.is_alive():
            p.kill()
            p.join(2)


def stopped_pids(pids) -> list[int]:
    """Of ``pids``, the processes stopped by a signal (SIGSTOP, SIGTSTP: state T in /proc)."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state in (b"T", b"t"):
            out.append(pid)
    return out


def stopped(executor: Executor) -> list[int]:
    """The pids of a local pool's workers that are stopped."""
    return stopped_pids(processes(executor))


# ------------------------------------------------------------------------------------ Dask

def dask(scheduler: str | None = None, local_workers: int | None = None, timeout: float = 10):
    """A Dask executor for a cluster (``scheduler`` address) or a local cluster of ``local_workers``;
    returns (executor, close). An address that is not a reachable Dask scheduler is an OSError
    within ``timeout`` seconds."""
    from dask.distributed import Client, LocalCluster
    if scheduler:
        probe(scheduler, timeout)
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError, TypeError, MemoryError, EOFError) as exc:
            raise OSError(f"Dask scheduler {scheduler}: not reachable within {timeout:g} s "
                          f"({type(exc).__name__})") from None
        cluster = None
    else:
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None     # inherited by the workers
        try:
            cluster = LocalCluster(n_workers=local_workers or 2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)
        client = Client(cluster)

    def close():
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()
    return client.get_executor(pure=False), close


def probe(address: str, timeout: float = 10) -> None:
    """OSError unless ``address`` greets as a Dask scheduler within ``timeout`` seconds: refused
    connections, unknown hosts, silent services (an HTTP server) and services that say something
    else (a banner) are told apart, so Dask's client never waits on them or reads a banner as the
    length of a message. Addresses other than tcp:// are left to Dask."""
    import socket
    from urllib.parse import urlsplit
    if "://" in address and not address.startswith("tcp://"):
        return
    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        host, port = parts.hostname, parts.port
    except ValueError:
        raise OSError(f"Dask scheduler {address}: not an address like tcp://host:8786") from None
    if not host or not port:
        raise OSError(f"Dask scheduler {address}: not an address like tcp://host:8786")
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise OSError(f"Dask scheduler {address}: not reachable ({exc.strerror or type(exc).__name__})") from None
    head = b""
    try:
        with sock:
            while len(head) < 16:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock.settimeout(left)
                chunk = sock.recv(16 - len(head))
                if not chunk:
                    raise OSError(f"Dask scheduler {address}: the service closed the connection without a Dask "
                                  "greeting: not a Dask scheduler")
                head += chunk
    except TimeoutError:
        said = f" (it said only {head[:40]!r})" if head else ""
        raise OSError(f"Dask scheduler {address}: no Dask greeting within {timeout:g} s{said}: not a Dask scheduler "
                      "(an HTTP server or another service that waits for a request?)") from None
    except ConnectionError as exc:
        raise OSError(f"Dask scheduler {address}: connection lost ({exc.strerror or type(exc).__name__})") from None
    length, frames = struct.unpack("=QQ", head)
    if not (16 <= length <= DASK_GREETING_MAX and 1 <= frames <= DASK_FRAMES_MAX):
        shown = head.decode("ascii", "replace").strip()
        raise OSError(f"Dask scheduler {address}: answered {shown[:40]!r}, not a Dask greeting: not a Dask scheduler")
