"""Fingerprints: a SHA-256 of a value or a function that changes when what it computes can.

The frame cache (``lecnotes.frame_cache``) names a widget frame by the fingerprint of the
call that draws it, so a frame is reused only if nothing its drawing reads has changed.
:func:`fingerprint` covers:

* **data** by value: ``None``, bools, numbers, strings, bytes, NumPy arrays and scalars, and
  tuples, lists, dicts (in order), sets and frozensets (sorted) of them;
* **code written here** -- in a notebook, in ``lecnotes`` or in any module that is not part
  of the standard library or an installed package: a function by its bytecode, constants,
  names, default arguments, closure values and the value of every global name its code
  uses, recursively; a module it uses (``plotting``) through the attributes its code names
  (``plotting.finish``); a class by its bases and namespace;
* **library code** (the standard library, installed packages) by module, qualified name and
  the package's version;
* **any other object** by its pickle, in which functions, classes, modules and arrays are
  fingerprinted as above (so a function inside an object counts by its code, not its name).

Not covered, so a frame could go stale through them: values reached only by a computed name
(``globals()[name]``, ``getattr(obj, name)`` with a variable ``name``, ``eval``), state kept
inside library modules (matplotlib's ``rcParams`` is covered by the frame cache itself), and
files read from disk. An object that cannot be pickled (an open file, a generator, a lock)
raises :class:`Unfingerprintable`; the caller then draws without the cache.
"""

from __future__ import annotations

import dis
import functools
import hashlib
import importlib.util
import io
import pickle
import site
import sys
import sysconfig
import types
from pathlib import Path

import numpy as np

LOCAL_PACKAGES = ("__main__", "lecnotes")  # always fingerprinted by their code
# Class attributes that describe the class rather than hold its behaviour or data.
_CLASS_META = {"__dict__", "__weakref__", "__doc__", "__module__", "__annotations__",
               "__dataclass_fields__", "__dataclass_params__", "__match_args__",
               "__static_attributes__", "__firstlineno__", "__slotnames__", "_abc_impl",
               "__parameters__", "__orig_bases__"}  # fmt: skip
_SCALARS = (type(None), bool, int, float, complex, str)
_LRU_CACHE = type(functools.cache(len))


class Unfingerprintable(ValueError):
    """A value the fingerprint cannot cover (it cannot be pickled)."""


def fingerprint(value: object) -> str:
    """The SHA-256 (hex) of ``value`` as described in the module docstring.

    Args:
        value: any object; typically a ``draw`` function, or a tuple of one with its
            arguments.

    Returns:
        64 hex digits; equal for equal values and unchanged code, within one Python and
        library environment.

    Raises:
        Unfingerprintable: ``value`` holds something that cannot be pickled.
    """
    return _Fingerprinter().digest(value).hex()


@functools.cache
def _library_dirs() -> tuple[Path, ...]:
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.update(site.getsitepackages() + [site.getusersitepackages()])
    return tuple(Path(p).resolve() for p in paths if p)


@functools.cache
def library_version(module_name: str) -> str | None:
    """``"<package> <version>"`` if ``module_name`` is library code, else None (code here).

    Library code is the standard library or an installed package other than ``lecnotes``;
    its version is the package's ``__version__`` or, failing that, the size and time of
    its file (which a reinstall changes).
    """
    top = module_name.partition(".")[0]
    if top in LOCAL_PACKAGES:
        return None
    if top in sys.stdlib_module_names or top == "builtins":
        return f"python {sys.version}"
    module = sys.modules.get(top)
    files = [getattr(module, "__file__", None), *getattr(module, "__path__", [])]
    for file in filter(None, files):
        path = Path(file).resolve()
        if any(path.is_relative_to(d) for d in _library_dirs()):
            version = getattr(module, "__version__", None)
            if not isinstance(version, str):
                stat = path.stat()
                version = f"{stat.st_size}:{stat.st_mtime_ns}"
            return f"{top} {version}"
    return None


def imported_modules(code: types.CodeType) -> set[str]:
    """Modules that ``code`` or the code nested in it imports (``import x`` in a function)."""
    found = {i.argval for i in dis.get_instructions(code) if i.opname == "IMPORT_NAME"}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= imported_modules(const)
    return found


def global_names(code: types.CodeType) -> set[str]:
    """Every name ``code`` and the code nested in it (comprehensions, lambdas) look up."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return names


def unimported(name: str) -> str:
    """A module not imported yet, as it will be: library by version, else by its file."""
    version = library_version(name)
    if version is not None:
        return version
    try:
        origin = importlib.util.find_spec(name).origin
        return hashlib.sha256(Path(origin).read_bytes()).hexdigest()
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return f"{name} not found"


class _Fingerprinter:
    """One fingerprint computation: digests memoized by object, cycles cut."""

    def __init__(self):
        self.memo: dict[object, bytes] = {}
        self.alive: list[object] = []  # keeps memoized objects alive, so ids stay unique
        self.active: set[object] = set()

    def digest(self, value: object, names: frozenset[str] | None = None) -> bytes:
        """SHA-256 of ``value``; ``names`` restricts a module to the attributes code uses."""
        key = (id(value), names)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:  # a cycle: a recursive function, a self-referencing list
            return b"cycle"
        self.active.add(key)
        try:
            h = hashlib.sha256()
            self.feed(h, value, names)
            result = h.digest()
        finally:
            self.active.discard(key)
        self.memo[key] = result
        self.alive.append(value)
        return result

    def feed(self, h, value: object, names: frozenset[str] | None) -> None:
        kind = type(value)
        h.update(f"{kind.__module__}.{kind.__qualname__}\0".encode())
        if kind in _SCALARS:
            h.update(repr(value).encode("utf-8", "surrogatepass"))
        elif kind in (bytes, bytearray):
            h.update(value)
        elif kind is np.ndarray and not value.dtype.hasobject:
            h.update(f"{value.dtype.str}{value.shape}".encode())
            h.update(np.ascontiguousarray(value).data)
        elif isinstance(value, np.generic) and kind.__module__ == "numpy":
            h.update(value.dtype.str.encode() + value.tobytes())
        elif kind in (tuple, list):
            h.update(b"".join(self.digest(v) for v in value))
        elif kind is dict:
            h.update(b"".join(self.digest(k) + self.digest(v) for k, v in value.items()))
        elif kind in (set, frozenset):
            h.update(b"".join(sorted(self.digest(v) for v in value)))
        elif kind is types.FunctionType:
            self.function(h, value)
        elif kind is types.CodeType:
            self.code(h, value)
        elif kind is types.ModuleType:
            self.module(h, value, names)
        elif isinstance(value, type):
            self.cls(h, value)
        elif kind is types.MethodType:
            h.update(self.digest(value.__func__) + self.digest(value.__self__))
        elif kind is functools.partial:
            h.update(self.digest((value.func, value.args, value.keywords)))
        elif kind is _LRU_CACHE:  # @functools.cache: what it returns is what it wraps returns
            h.update(self.digest(value.__wrapped__))
        elif kind is np.vectorize:  # its cached ufunc cannot be pickled; it follows pyfunc
            parts = (value.pyfunc, value.otypes, value.excluded, value.signature, value.cache)
            h.update(self.digest(parts))
        elif kind is types.BuiltinFunctionType and not isinstance(
            value.__self__, types.ModuleType | type(None)
        ):  # a bound method of a built-in type, e.g. [].append: its object counts
            h.update(value.__name__.encode() + self.digest(value.__self__))
        elif kind is types.BuiltinFunctionType:
            self.library(h, value.__module__ or "builtins", value.__qualname__)
        else:
            self.pickled(h, value)

    def library(self, h, module: str, qualname: str) -> None:
        h.update(f"{module}:{qualname}@{library_version(module)}".encode())

    def code(self, h, code: types.CodeType) -> None:
        """Bytecode and everything that gives it meaning; not file names or line numbers."""
        h.update(code.co_code)
        for part in (code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars):
            h.update(("\0".join(part) + "\1").encode())
        header = (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
                  code.co_flags, code.co_qualname)  # fmt: skip
        h.update(repr(header).encode())
        h.update(b"".join(self.digest(c) for c in code.co_consts))

    def function(self, h, f: types.FunctionType) -> None:
        if library_version(f.__module__ or "") is not None:
            self.library(h, f.__module__, f.__qualname__)
            return
        h.update(self.digest(f.__code__))
        h.update(self.digest((f.__defaults__, f.__kwdefaults__)))
        for cell in f.__closure__ or ():
            try:
                h.update(self.digest(cell.cell_contents))
            except ValueError:  # an empty cell (a name assigned later)
                h.update(b"empty cell")
        names = frozenset(global_names(f.__code__))
        for name in sorted(imported_modules(f.__code__)):  # imports inside the function
            module = sys.modules.get(name)
            inner = self.digest(module, names) if module else unimported(name).encode()
            h.update(b"import " + name.encode() + inner)
        for name in sorted(names & f.__globals__.keys()):
            value = f.__globals__[name]
            inner = names if isinstance(value, types.ModuleType) else None
            h.update(name.encode() + b"=" + self.digest(value, inner))

    def module(self, h, module: types.ModuleType, names: frozenset[str] | None) -> None:
        """A library module by version; one written here by the attributes code uses."""
        h.update(module.__name__.encode())
        version = library_version(module.__name__)
        if version is not None:
            h.update(version.encode())
            return
        if names is None:  # held as a value, not named by code: every public attribute
            names = frozenset(n for n in vars(module) if not n.startswith("__"))
        for name in sorted(names & vars(module).keys()):
            attribute = getattr(module, name)
            inner = names if isinstance(attribute, types.ModuleType) else None
            h.update(name.encode() + b"=" + self.digest(attribute, inner))

    def cls(self, h, cls: type) -> None:
        """A library class by version; one written here by its bases and namespace."""
        if library_version(cls.__module__) is not None:
            self.library(h, cls.__module__, cls.__qualname__)
            return
        h.update(cls.__qualname__.encode() + self.digest(cls.__bases__))
        for name, attribute in vars(cls).items():
            if name in _CLASS_META:
                continue
            if isinstance(attribute, staticmethod | classmethod):
                attribute = attribute.__func__
            elif isinstance(attribute, property):
                attribute = (attribute.fget, attribute.fset, attribute.fdel)
            elif type(attribute).__name__ in ("member_descriptor", "getset_descriptor"):
                attribute = name  # a slot: its value lives in each instance
            h.update(name.encode() + b"=" + self.digest(attribute))

    def pickled(self, h, value: object) -> None:
        try:
            _Pickler(h, self).dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            raise Unfingerprintable(
                f"cannot fingerprint a {type(value).__name__}: {error}"
            ) from None


class _Writer(io.RawIOBase):
    """A file whose writes go into a hash."""

    def __init__(self, h):
        self.h = h

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.h.update(data)
        return len(data)


_BY_DIGEST = (types.FunctionType, types.CodeType, types.ModuleType, types.MethodType,
              types.BuiltinFunctionType, functools.partial, type, np.ndarray, _LRU_CACHE,
              np.vectorize)  # fmt: skip


class _Pickler(pickle.Pickler):
    """Pickles into a hash; functions, classes, modules and arrays go in as fingerprints."""

    def __init__(self, h, owner: _Fingerprinter):
        super().__init__(_Writer(h), protocol=5)
        self.owner = owner

    def persistent_id(self, obj):
        if isinstance(obj, _BY_DIGEST) and not (
            isinstance(obj, np.ndarray) and (obj.dtype.hasobject or type(obj) is not np.ndarray)
        ):
            return self.owner.digest(obj).hex()
        return None
