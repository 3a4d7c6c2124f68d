"""Widget frames reused between executions: a store addressed by what each frame depends on.

Drawing a widget's frames is most of what a chapter's widget cells cost, and re-running an
unchanged cell draws the same pictures again. Each frame is therefore stored under a
**key**, the SHA-256 of everything its pixels depend on (:func:`frame_keys`):

* the draw call: ``lecnotes.fingerprint`` of the ``draw`` function (its code, every value it
  closes over or reads from the notebook's globals, the ``lecnotes`` code it calls) and the
  slider values of that frame;
* the rendering: the code that turns a ``draw`` result into a frame (``frames.to_frame``, or
  ``widgets.layered``'s blitter, and what they call: device scale, palette, encoder) and
  matplotlib's ``rcParams``;
* the environment: Python, the versions of NumPy, matplotlib, Pillow, contourpy, FreeType
  and libwebp, the CPU model and flags and the variables that choose NumPy's SIMD loops and
  OpenBLAS's kernels (a last-bit difference in a curve can move an anti-aliased pixel).

A changed input gives another key, so a stale entry is never found; an entry is a file
holding its key, the frame and a SHA-256 of the frame, checked on every read, and written
under a temporary name then renamed, so a torn, corrupt or misplaced file reads as missing
and the frame is drawn again. Where the store lives (:func:`location`):
``$LECNOTES_FRAME_CACHE`` if set (``make`` sets ``_build/frame-cache``; ``off`` disables
it), else the user's cache folder (``~/.cache/lecnotes/frames``). It is pruned to
:data:`MAX_BYTES`, least recently used first.

A widget's output records its frames' keys (:func:`output_metadata`), so an executed
notebook carries what a fresh build needs: :func:`seed` files the frames of a notebook's
stored outputs under their keys before it runs again (``tools/execute.py`` does), and a
clean ``make book`` draws only the frames whose inputs changed since the notebook was last
executed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

from lecnotes.fingerprint import fingerprint
from lecnotes.frames import Frame, render_all

ENV_VAR = "LECNOTES_FRAME_CACHE"
SCHEME = "lecnotes-frame-cache 1"  # change to orphan every stored frame
MAX_BYTES = 256 * 2**20
METADATA = "lecnotes_frames"  # key of a widget output's metadata: keys, titles, digests
_OFF = {"", "0", "off", "false", "no"}
_PAYLOAD = re.compile(r'<script type="application/json" class="lw-data">(.*?)</script>', re.S)
_NOT_DRAWING = {"backend", "backend_fallback", "interactive"}  # rcParams that draw nothing
_FP_VARIABLES = ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES", "OPENBLAS_CORETYPE")


def location() -> Path | None:
    """The store's folder: ``$LECNOTES_FRAME_CACHE``, else the user's cache; None if off."""
    value = os.environ.get(ENV_VAR)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "lecnotes" / "frames"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lecnotes" / "frames"


@functools.cache
def machine() -> str:
    """Python, libraries, CPU: what the pixels of the same draw call can differ by."""
    import contourpy
    import matplotlib
    import numpy
    import PIL
    from matplotlib import ft2font
    from PIL import features

    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        lines = cpuinfo.read_text(errors="replace").splitlines()
        cpu = "\n".join(ln for ln in lines if ln.startswith(("model name", "flags")))[:8000]
    versions = (
        numpy.__version__, matplotlib.__version__, PIL.__version__, contourpy.__version__,
        ft2font.__freetype_version__, features.version("webp"),
    )  # fmt: skip
    return repr((sys.version, platform.machine(), versions, cpu))


def environment() -> str:
    """The environment's part of every key: :func:`machine`, FP variables, ``rcParams``."""
    import matplotlib as mpl

    variables = [(name, os.environ.get(name)) for name in _FP_VARIABLES]
    rc = [(k, repr(v)) for k, v in sorted(mpl.rcParams.items()) if k not in _NOT_DRAWING]
    return fingerprint((SCHEME, machine(), variables, rc))


def frame_keys(render, draw, values: list[dict]) -> list[str]:
    """One key per frame: SHA-256 of the environment, ``render``, ``draw`` and its values.

    Args:
        render: the function that turns a draw call into a frame (its code counts).
        draw: the widget's ``draw`` function.
        values: the slider values of each frame, as keyword arguments of ``draw``.

    Returns:
        64 hex digits per frame, in the order of ``values``.

    Raises:
        lecnotes.fingerprint.Unfingerprintable: ``draw`` reads a value that cannot be
            fingerprinted; draw without the store.
    """
    common = fingerprint((environment(), render, draw))
    return [fingerprint((common, list(v.items()))) for v in values]


def content_digest(frame: Frame) -> str:
    """SHA-256 of what a frame shows: its MIME type, title and bytes (or text)."""
    data = frame.data.encode() if isinstance(frame.data, str) else frame.data
    header = f"{frame.mime}\0{frame.title}\0".encode()
    return hashlib.sha256(header + data).hexdigest()


class FrameCache:
    """Frames stored by key under a folder: ``<key[:2]>/<key>.frame``."""

    def __init__(self, root: Path, max_bytes: int = MAX_BYTES):
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", key):
            raise ValueError(f"key must be 64 hex digits, got {key!r}")
        return self.root / key[:2] / f"{key}.frame"

    def get(self, key: str) -> Frame | None:
        """The frame stored under ``key``, or None: missing, unreadable or failing its checks."""
        path = self.path(key)
        try:
            header, _, data = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            frame = Frame(meta["mime"], data.decode() if meta["mime"] == "text/plain" else data,
                          meta["title"])  # fmt: skip
            if meta["key"] != key or meta["sha256"] != content_digest(frame):
                raise ValueError("the entry does not match its key or its digest")
            os.utime(path)  # recently used: pruned last
            return frame
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            path.unlink(missing_ok=True)  # corrupt: it will be drawn and stored again
            return None

    def put(self, key: str, frame: Frame) -> None:
        """Store ``frame`` under ``key`` (atomically); a read-only store is skipped."""
        path = self.path(key)
        meta = {"key": key, "mime": frame.mime, "title": frame.title,
                "sha256": content_digest(frame)}  # fmt: skip
        data = frame.data.encode() if isinstance(frame.data, str) else frame.data
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(json.dumps(meta).encode() + b"\n" + data)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def prune(self) -> None:
        """Delete the least recently used entries until the store holds ``max_bytes``."""
        try:
            entries = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.root.glob("*/*")]
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


def render(render_frame, count: int, keys: list[str] | None, describe) -> tuple[list[Frame], int]:
    """Frames ``0 .. count - 1``: read from the store, or rendered and stored.

    The first frame to render is rendered here, the others in forked workers
    (``frames.render_all``), which so inherit what it warmed up: imports, font caches, the
    fixed part of a ``widgets.layered`` figure.

    Args:
        render_frame: frame number -> :class:`Frame`.
        count: the number of frames.
        keys: each frame's key (:func:`frame_keys`); None: no store (render them all).
        describe: frame number -> the call that draws it, for a ``DrawError``.

    Returns:
        The frames in order, and how many of them were rendered (not read).
    """
    root = location() if keys is not None else None
    cache = FrameCache(root) if root is not None else None
    found = [cache.get(key) for key in keys] if cache else [None] * count
    todo = [k for k, frame in enumerate(found) if frame is None]
    if len(todo) > 1:
        try:
            found[todo[0]] = render_frame(todo[0])
        except Exception:  # noqa: BLE001 - render_all reports it, in order, with the others
            pass
    rest = [k for k in todo if found[k] is None]
    drawn = render_all(lambda i: render_frame(rest[i]), len(rest), lambda i: describe(rest[i]))
    for k, frame in zip(rest, drawn, strict=True):
        found[k] = frame
    if cache and todo:
        for k in todo:
            cache.put(keys[k], found[k])
        cache.prune()
    return found, len(todo)


def output_metadata(keys: list[str], frames: list[Frame]) -> dict:
    """What a widget output records so that :func:`seed` can file its frames again."""
    return {
        METADATA: {
            "keys": keys,
            "titles": [f.title for f in frames],
            "sha256": [content_digest(f) for f in frames],
        }
    }


def stored_frames(output: dict) -> list[tuple[str, Frame]]:
    """``(key, frame)`` for every frame a stored widget output holds and its metadata names."""
    meta = output.get("metadata", {}).get(METADATA)
    html = output.get("data", {}).get("text/html", "")
    html = "".join(html) if isinstance(html, list) else html
    found = _PAYLOAD.search(html)
    if not meta or not found:
        return []
    payload = json.loads(found.group(1).replace("<\\/", "</"))
    pairs = []
    for key, title, digest, url in zip(
        meta["keys"], meta["titles"], meta["sha256"], payload["frames"], strict=False
    ):
        if payload["mime"].startswith("image/"):
            data = base64.b64decode(url.partition(",")[2])
        else:
            data = url
        frame = Frame(payload["mime"], data, title)
        if content_digest(frame) == digest:  # the output was not edited since it was made
            pairs.append((key, frame))
    return pairs


def seed(notebook, cache: FrameCache | None = None) -> int:
    """File the frames of ``notebook``'s stored widget outputs under their keys.

    Args:
        notebook: an nbformat notebook (outputs as stored).
        cache: the store; default: the one at :func:`location` (nothing if it is off).

    Returns:
        How many frames were filed (frames already in the store are not written again).
    """
    root = location() if cache is None else cache.root
    if root is None:
        return 0
    cache = cache or FrameCache(root)
    filed = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            for key, frame in stored_frames(output):
                if not cache.path(key).is_file():
                    cache.put(key, frame)
                    filed += 1
    return filed
