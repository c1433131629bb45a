"""Row checks spread over the machine's cores for long files.

Checking is ~150 µs a row (phone parsing dominates) and rows are independent, so a 100,000-row
file is checked in batches by worker processes. Workers come from a forkserver: a clean process
that never held the parent's threads, database connections or progress bar.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date

from core.placements.columns import Header
from core.placements.rows import Placement, RowError, check_row

Record = tuple[int, list[str]]
Checked = Placement | list[RowError]
# Below this, starting worker processes (~1 s of imports) costs more than it saves.
PARALLEL_FROM_ROWS = 20_000
BATCH_ROWS = 5_000


def check_batch(batch: Sequence[Record], header: Header, today: date) -> list[Checked]:
    """Check one batch of records in order (runs in a worker or in the caller's process)."""
    from core.placements.service import gc_paused

    with gc_paused():
        return [check_row(line, cells, header, today) for line, cells in batch]


def default_workers() -> int:
    """Cores this process may use, at most 4 (the parent still has the database work)."""
    return min(len(os.sched_getaffinity(0)), 4)


def check_records(
    records: Sequence[Record],
    header: Header,
    today: date,
    on_progress: Callable[[int], None],
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM_ROWS,
) -> list[Checked]:
    """Every record checked, results in file order; in worker processes when it pays off."""
    batches = [records[i : i + BATCH_ROWS] for i in range(0, len(records), BATCH_ROWS)]
    count = default_workers() if workers is None else workers
    results: list[Checked] = []
    if count < 2 or len(records) < parallel_from:
        for batch in batches:
            results.extend(check_batch(batch, header, today))
            on_progress(len(results))
        return results
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [pool.submit(check_batch, batch, header, today) for batch in batches]
            for future in futures:
                results.extend(future.result())
                on_progress(len(results))
    except BrokenProcessPool:
        # Workers could not start (e.g. a calling script without the __main__ guard that
        # multiprocessing needs); the same checks in this process give the same results.
        return check_records(records, header, today, on_progress, workers=1)
    return results
