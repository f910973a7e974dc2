"""Running one task per dump file: in this process, in local processes, or on a Dask cluster.

Every runner calls ``task(source)`` once per file that is not finished yet
and hands each result to ``done(source, result)`` on the calling side, in
whatever order the files finish; the caller reduces them in its own order.
A :class:`Checkpoint` folder keeps each file's result as it arrives, so a
restarted run reads it back instead of scanning the file again.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pandas as pd

from .._typing import StrPath
from ..errors import DataError, MissingDependencyError

_S = TypeVar("_S")
_R = TypeVar("_R")

__all__ = ["Checkpoint", "distributed_module", "optional", "run_dask", "run_local"]

#: Bump when what a checkpoint holds changes meaning, so old folders are not reused.
_CHECKPOINT_FORMAT = 1


class Checkpoint:
    """A folder of per-file results (parquet), keyed by the file's version and the run's options.

    A file is looked up by its path, size and modification time (or its
    store's version tags for a URL) together with ``options``, so changing
    a file, a theme pattern, the subreddits or the dates starts it afresh.
    Each result is written to a temporary name and renamed, so an
    interrupted write never leaves a half file that looks finished.
    """

    def __init__(self, folder: StrPath, options: dict[str, Any]) -> None:
        optional("pyarrow", "checkpoint: writing parquet")
        if not isinstance(folder, (str, os.PathLike)):
            raise DataError(f"checkpoint: expected a folder path, got {folder!r}")
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise DataError(f"checkpoint: {str(self.folder)!r} exists and is not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._options = json.dumps({"format": _CHECKPOINT_FORMAT, **options}, sort_keys=True, default=str)

    def path(self, version: dict[str, Any]) -> Path:
        key = json.dumps(version, sort_keys=True, default=str) + self._options
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.parquet"

    def load(self, version: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, int]] | None:
        """The result kept for this file version, or None (also for a file that cannot be read back)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.path(version)
        if not path.is_file():
            return None
        try:
            table = pq.read_table(path)
            counts: dict[str, int] = json.loads(table.schema.metadata[b"attention"])["counts"]
        except (OSError, pa.ArrowException, KeyError, TypeError, ValueError):
            return None  # scanned again, and written over
        return table.to_pandas(), counts

    def save(self, version: dict[str, Any], result: tuple[pd.DataFrame, dict[str, int]]) -> None:
        """Keep one file's result (written to a temporary name, then renamed)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame, counts = result
        table = pa.Table.from_pandas(frame, preserve_index=False)
        extra = {b"attention": json.dumps({"counts": counts, "file": version}).encode()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
        path = self.path(version)
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, path)


def run_local(task: Callable[[_S], _R], sources: Sequence[_S], done: Callable[[_S, _R], None], *,
              workers: int) -> None:
    """Run ``task`` on each source here (``workers == 1``) or in processes; the first error propagates."""
    if workers == 1 or len(sources) == 1:
        for source in sources:
            done(source, task(source))
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(sources))) as pool:
        futures = {pool.submit(task, source): source for source in sources}
        try:
            for future in as_completed(futures):
                done(futures[future], future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def optional(module: str, purpose: str) -> ModuleType:
    """Import ``module`` of the ``dask`` extra, or raise MissingDependencyError saying what needs it."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(f"{purpose} needs {module}: pip install 'market-attention[dask]'") from None


def distributed_module() -> Any:
    """``dask.distributed`` (imported only when a cluster is used)."""
    return optional("distributed", "scanning on a Dask cluster")


def run_dask(client: Any, task: Callable[[_S], _R], sources: Sequence[_S],
             done: Callable[[_S, _R], None]) -> dict[str, str]:
    """Run ``task`` on each source as one task of the cluster behind ``client``; return failures.

    A worker that dies mid-file is replaced by the scheduler, which runs
    the file again from its start elsewhere: a task's result only exists
    once the whole file is read, so nothing is counted twice. A file whose
    task raises (or kills worker after worker) is recorded as failed,
    ``str(source) -> message``, while the others finish.
    """
    distributed = distributed_module()
    if not isinstance(client, distributed.Client):
        raise DataError(f"client: expected a dask.distributed.Client, got {type(client).__name__}")
    run = uuid.uuid4().hex[:8]
    futures = {
        # Keys named after the files, for the dashboard.
        client.submit(task, source, key=f"reddit-archive-{str(source).rsplit('/', 1)[-1]}-{run}-{i}",
                      pure=False): source
        for i, source in enumerate(sources)
    }
    failed: dict[str, str] = {}
    try:
        for future in distributed.as_completed(list(futures)):
            source = futures[future]
            if future.status == "error":
                exc = future.exception()
                message = str(exc) if isinstance(exc, DataError) else f"{type(exc).__name__}: {exc}"
                failed[str(source)] = message
            else:
                done(source, future.result())
            future.release()
    finally:
        client.cancel([f for f in futures if not f.done()])
    return failed
