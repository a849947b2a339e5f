"""The legacy import on PostgreSQL, checking and writing at the same time (two processes).

`motcua import dossiers` validates the whole file before it writes anything (importers.py).
Done one after the other, the two passes leave one of the two cores idle: the importer checks
while the database waits, then the database writes while the importer mostly waits for it.
Here a child process (forked, with its own database connection) checks the file and hands
each valid batch, with ids drawn for it, to the parent, which streams it into the COPY of its
one transaction at once. The file is still imported all or nothing: the child keeps no batch
after the first problem, and when it reports problems the parent abandons the COPY and rolls
back; the ids drawn meanwhile are lost, as any rolled-back insert loses them.

The child only reads (the catalogue, the units, existing dossiers by code) and draws ids from
the sequences, so it never sees the parent's uncommitted rows and needs not: the checks are
against what the database held before the import, as in the two-pass import. It cannot see a
caller's uncommitted transaction either, so an import called inside one (a test wrapped in a
transaction, say) runs the two passes one after the other (`possible`).
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import traceback
from pathlib import Path
from typing import IO, Any, NoReturn

from django.db import connection, connections, transaction

from motcua.dossiers.importers import (
    DossierImportProblem,
    ImportResult,
    Progress,
    Record,
    _copy_cursor,
    _ids_of,
    _Validator,
    _Writer,
    draw_id_runs,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.lib import bulkload

# Set to False to always check first and write afterwards (the benchmarks compare both).
ENABLED = True


def possible() -> bool:
    """Whether this import can run in two processes (PostgreSQL, its own transaction)."""
    return (
        ENABLED
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and hasattr(os, "fork")
    )


def import_dossiers(path: str | Path, *, source: str, now: Any, progress: Progress) -> ImportResult:
    """Check `path` in a child process while this one writes what it passes (see module)."""
    # Nothing may share a connection with the child: each process opens its own.
    connections.close_all()
    reader, writer_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        _child(path, now, writer_fd)
    os.close(writer_fd)
    inbox = os.fdopen(reader, "rb")
    written = False
    try:
        writer = _Writer(source=source, now=now, progress=progress)
        size = os.path.getsize(path)
        with transaction.atomic():
            result = _write(writer, inbox, size)
        written = True
        return result
    finally:
        inbox.close()  # a child still writing gets EPIPE and ends
        _reap(pid, stop=not written)


def _write(writer: _Writer, inbox: IO[bytes], size: int) -> ImportResult:
    """Parent: stream each batch the child passes into one COPY; finish as the two-pass
    import does (updates, events, keys, counters). Raises the child's problems."""
    cursor = _copy_cursor()
    assert cursor is not None
    result = ImportResult()
    # Versions missing from the catalogue are created now, inside this transaction: nothing
    # else may use the connection while the COPY streams.
    writer.resolve_procedures()
    dossier_runs: list[tuple[int, int]] = []
    event_runs: list[tuple[int, int]] = []
    with cursor:
        checked_in_bulk = writer.prepare_copy(cursor, result)
        progress = writer.progress
        progress.start("writing", size)
        with (
            tempfile.TemporaryFile(
                "w+", encoding="utf-8", newline="", prefix="motcua-events-"
            ) as events,
            tempfile.TemporaryFile(prefix="motcua-changed-") as changed,
        ):
            with (
                bulkload.row_checks_off(cursor, checked_in_bulk),
                cursor.copy(writer.lines.dossier_insert.copy_sql) as copy,
            ):
                while True:
                    message = _receive(inbox)
                    if message[0] == "end":
                        checked: ImportResult = message[1]
                        errors, more = message[2], message[3]
                        if errors:  # raised inside the COPY: it is abandoned, not finished
                            raise DossierImportProblem(errors, more=more)
                        break
                    _, batch, druns, eruns, position = message
                    dossier_runs += druns
                    event_runs += eruns
                    writer.copy_batch(batch, _ids_of(druns), _ids_of(eruns), copy, events, result)
                    if len(batch) > sum(n for _, n in druns):
                        pickle.dump(batch, changed, protocol=pickle.HIGHEST_PROTOCOL)
                    progress.update(result.created + result.updated, position)
            changed.seek(0)
            writer.finish_copy(cursor, changed, events, dossier_runs, event_runs, result)
        progress.finish(result.created + result.updated)
    checked.created, checked.updated = result.created, result.updated
    checked.counters, checked.checked_in_bulk = result.counters, result.checked_in_bulk
    return checked


def _receive(inbox: IO[bytes]) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = pickle.load(inbox)  # noqa: S301 — our own child
    except EOFError:
        raise RuntimeError("the checking process ended without a word") from None
    if message[0] == "crash":
        raise RuntimeError(f"the checking process failed:\n{message[1]}")
    return message


def _child(path: str | Path, now: Any, fd: int) -> NoReturn:
    """Check the file; send ("batch", records, dossier id runs, event id runs, position) for
    every kept batch, then ("end", result, errors, more) or ("crash", traceback)."""
    status = 0
    # The parent is killed (Ctrl-C, kill -9): the next write fails and this process ends.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    out = os.fdopen(fd, "wb")
    try:
        with connection.cursor() as cursor:
            # The parent's COPY fills the dossier table (uncommitted) while its statistics
            # describe it as before (or as empty, if analysed meanwhile): a plan that reads
            # the table through would read every row written so far for each batch of codes,
            # quadratic in the file. This session only probes indexes (codes, units, ids).
            cursor.execute("SET enable_seqscan = off")
        validator = _Validator(now, Progress(None))

        def emit(kept: list[Record]) -> None:
            new = sum(1 for r in kept if r[11] is None)
            message = (
                "batch",
                kept,
                draw_id_runs(Dossier, new),
                draw_id_runs(DossierEvent, len(kept)),  # one event per record
                validator.position,
            )
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()

        try:
            validator.run(path, emit=emit)
        finally:
            validator.codes.close()
        more = validator.error_count - len(validator.errors)
        pickle.dump(("end", validator.result, sorted(validator.errors), more), out)
        out.flush()
    except BrokenPipeError:
        status = 1
    except BaseException:
        status = 1
        try:
            pickle.dump(("crash", traceback.format_exc()), out)
            out.flush()
        except OSError:
            pass
    finally:
        try:
            connections.close_all()
        finally:
            os._exit(status)  # no atexit handlers, no flushing of buffers the parent owns


def _reap(pid: int, *, stop: bool) -> None:
    """Wait for the child to end; first stop it if the parent failed (it may be checking)."""
    try:
        if stop:
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
