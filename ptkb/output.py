"""Writing results to files without losing anything: an output never replaces an input, and every file
is written whole or not at all (a temporary file in the same folder, renamed over the target). A
process killed outright between naming that file and renaming it leaves it behind, whole, under a
hidden name; the next write of the same target removes it.

A symbolic link is written through to its target; a file with several hard links is rewritten in
place so every link sees the new content; the file's mode is kept; I/O errors name the path.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_file(folder / "report.txt", "hello\\n")
>>> (folder / "report.txt").read_text()
'hello\\n'
"""
from __future__ import annotations

import errno
import os
import signal
import stat
from pathlib import Path

from engine.errors import FileError, UsageError
from engine.textsafe import printable

__all__ = ["write_file", "refuse_inputs", "printable"]


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_inputs(output, inputs) -> None:
    """UsageError when the output path names one of the input files (the report would replace it)."""
    if not output or output == "-":
        return
    for item in inputs:
        if item and item != "-" and _same(Path(output), Path(item)):
            raise UsageError(f"-o {output} is an input of this command ({item}): refusing to overwrite it; "
                             "choose another output file")


def _fail(path, action: str, exc: OSError):
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason += " (the disk is full; the previous file, if any, is unchanged)"
    return FileError(f"cannot {action} {path}: {reason}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _temporary(target: Path) -> Path:
    """A fresh temporary name beside `target` that names this process (see `_sweep_leftovers`)."""
    import secrets  # only when a file is written (a cold `ptkb consult` to stdout does without)
    return target.parent / f".{target.name}.ptkb-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def _sweep_leftovers(target: Path) -> None:
    """Remove the temporary files of `target` left by a ptkb that was killed outright (SIGKILL, a
    power cut) in the instant between naming its new file and renaming it over the target: a whole
    copy under a hidden name, which the process named in it, no longer running, cannot finish."""
    prefix = f".{target.name}.ptkb-"
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                (target.parent / name).unlink()
            except OSError:
                pass


def _link_into_place(fd: int, target: Path) -> None:
    """Give the anonymous file `fd` a temporary name beside `target`, then rename it over `target`;
    SIGINT and SIGTERM wait until both are done (a Ctrl-C between them would leave the name behind)."""
    temp = _temporary(target)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:  # a dir_fd makes CPython call linkat(..., AT_SYMLINK_FOLLOW), which can link an O_TMPFILE
            os.link(f"/proc/self/fd/{fd}", temp.name, dst_dir_fd=folder, follow_symlinks=True)
        finally:
            os.close(folder)
        try:
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _replace(target: Path, data: bytes, mode: int | None, owner) -> None:
    """Write `data` to a new file in target's folder and rename it over target (atomic)."""
    folder = target.parent
    try:  # an unnamed file: nothing is left behind if the process is killed before the rename
        if not os.path.isdir("/proc/self/fd"):
            raise OSError(errno.ENOTSUP, "no /proc to link an unnamed file")
        fd, named = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666), None
    except (AttributeError, OSError):
        named = _temporary(target)
        fd = os.open(named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        _write_all(fd, data)
        if mode is not None:
            os.fchmod(fd, mode)
        if owner is not None:
            try:
                os.fchown(fd, *owner)
            except PermissionError:
                pass
        os.fsync(fd)
        if named is None:
            _link_into_place(fd, target)
        else:
            os.replace(named, target)
            named = None
    finally:
        os.close(fd)
        if named is not None:
            named.unlink(missing_ok=True)


def _rewrite_in_place(target: Path, data: bytes) -> None:
    """Keep hard links: overwrite the one inode. SIGINT waits until the write is done."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
        try:
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_file(path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` whole or not at all; FileError names the path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise FileError(f"cannot write {path}: it is a folder")
            with open(target, "wb") as handle:  # a device or pipe (/dev/null, /dev/stdout): stream to it
                handle.write(data)
        elif info is not None and info.st_nlink > 1:
            _rewrite_in_place(target, data)
        else:
            keep = (stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid)) if info else (None, None)
            _sweep_leftovers(target)
            _replace(target, data, *keep)
    except FileError:
        raise
    except OSError as exc:
        raise _fail(path, "write", exc) from None
