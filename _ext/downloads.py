"""Sphinx extension: every notebook page offers a download that runs outside this repository.

A chapter imports ``lecnotes``, so its ``.ipynb`` alone does not run on a reader's machine.
Each notebook page therefore gets a bundle, ``downloads/<page>.zip``, offered in the page's
download menu ("Download this chapter, ready to run"). It unzips into one folder:

- ``<name>.ipynb``: the page's notebook with its outputs (the notebook myst-nb rendered;
  for a Markdown notebook such as the introduction, its ``.ipynb`` form);
- ``lecnotes-<version>-py3-none-any.whl``: the helper package, built from this tree;
- ``requirements.txt``: that wheel, JupyterLab and jupyterlab-myst (which renders the
  chapters' MyST markup: admonitions, math, citations), constrained by ``constraints.txt``,
  the book's exact pins (requirements.txt without the editable install), so the reader gets
  the library versions the printed numbers came from;
- ``README.md``: three commands to install and open it.

The wheel is built once per version of ``pyproject.toml`` + ``lecnotes/`` (cached under
``_build/lecnotes-wheel/<hash>``) with ``pip wheel --no-build-isolation --no-index`` from a
clean copy of those files, so building it needs no network and leaves no ``build/`` folder
in the tree; pip runs while Sphinx writes the pages. A book without a ``pyproject.toml``
(the build tests' tiny book) offers no bundle. tests/website/test_downloads.py runs every
bundle in a fresh virtual environment.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

PACKAGE = "lecnotes"
FOLDER = "downloads"  # under the site root
# How to install and open a bundle: shared by every bundle's README (the chapters' and
# the student edition's, tools/student.py).
INSTALL = """\
ready to run on your machine (Python 3.11 or newer). From this folder:

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
.venv/bin/jupyter lab {notebook}
```

(On Windows: `.venv\\Scripts\\python` and `.venv\\Scripts\\jupyter`.)

`requirements.txt` installs the book's helper package `lecnotes` (the `.whl` file here),
JupyterLab and jupyterlab-myst (which renders the notebooks' boxes and math), at the exact
library versions the book was built with (`constraints.txt`), so the numbers you get are
the ones printed in the book."""
README = f"""\
# {{title}}

A chapter of "{{book}}",
{INSTALL} In JupyterLab, run all cells;
the sliders are live.
"""


def is_notebook(app: Sphinx, docname: str) -> bool:
    """Pages read from a notebook (.ipynb, or Markdown with a kernelspec) are bundled."""
    path = str(app.env.doc2path(docname))
    return "kernelspec" in app.env.metadata.get(docname, {}) or path.endswith(".ipynb")


def offers_bundles(app: Sphinx) -> bool:
    return app.builder.format == "html" and (Path(app.srcdir) / "pyproject.toml").is_file()


def bundle_url(docname: str) -> str:
    return f"{FOLDER}/{docname}.zip"


class Wheel:
    """The package's wheel, built from a copy of pyproject.toml and the package folder.

    pip runs in the background from the moment the object is made (unless ``cache`` holds
    the wheel of the same sources); :meth:`path` waits for it. The build starts the wheel
    once the pages are read, so that pip works while Sphinx writes them (about 2 s of a
    clean build otherwise spent after the pages are written).
    """

    def __init__(self, srcdir: Path, cache: Path):
        sources = [srcdir / "pyproject.toml", *sorted((srcdir / PACKAGE).rglob("*.py"))]
        digest = hashlib.sha256()
        for path in sources:
            digest.update(path.relative_to(srcdir).as_posix().encode() + b"\0" + path.read_bytes())
        self.cache, self.out = cache, cache / digest.hexdigest()[:16]
        self.process = self.tmp = None
        if sorted(self.out.glob("*.whl")):
            return
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{PACKAGE}-wheel-"))
        tree = self.tmp / "src"
        for path in sources:
            (tree / path.relative_to(srcdir)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, tree / path.relative_to(srcdir))
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        command += ["--no-index", "--quiet", "--wheel-dir", str(self.tmp / "out"), str(tree)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def path(self) -> Path:
        """The wheel, in the cache (the only version kept there); waits for pip if need be."""
        if self.process is not None:
            _, errors = self.process.communicate()
            try:
                if self.process.returncode != 0:
                    raise ExtensionError(f"building the {PACKAGE} wheel failed:\n{errors}")
                shutil.rmtree(self.cache, ignore_errors=True)  # keep only the current version
                self.out.mkdir(parents=True)
                (wheel,) = (self.tmp / "out").glob("*.whl")
                shutil.copy2(wheel, self.out)
            finally:
                self.cancel()
        return sorted(self.out.glob("*.whl"))[0]

    def cancel(self) -> None:
        """Stop pip if it still runs, and remove its folder."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def build_wheel(srcdir: Path, cache: Path) -> Path:
    """The package's wheel (see :class:`Wheel`), built now if ``cache`` lacks it."""
    return Wheel(srcdir, cache).path()


def constraints(srcdir: Path) -> str:
    """The book's pins, without the editable install of the package itself."""
    lines = (srcdir / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line.strip() and not line.startswith(("#", "-e"))]
    return "# The exact versions the book was built with.\n" + "\n".join(pins) + "\n"


def requirements(wheel: Path) -> str:
    """A bundle's requirements.txt: the wheel beside it, JupyterLab, the book's pins."""
    return (
        "# Install from this folder: python -m pip install -r requirements.txt\n"
        f"./{wheel.name}\njupyterlab\njupyterlab-myst\n-c constraints.txt\n"
    )


def bundle_files(srcdir: Path, wheel: Path, readme: str, notebooks: dict) -> dict[str, bytes]:
    """Every file of a bundle by name: ``notebooks`` (name -> bytes), the wheel, the
    requirements, the pins and the README."""
    return {
        **notebooks,
        wheel.name: wheel.read_bytes(),
        "requirements.txt": requirements(wheel).encode(),
        "constraints.txt": constraints(srcdir).encode(),
        "README.md": readme.encode(),
    }


def write_zip(target: Path, folder: str, files: dict[str, bytes]) -> None:
    """Zip ``files`` (name -> bytes) into ``target``, all inside ``folder/``.

    Entries carry a fixed date, so the same files always give the same archive.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16  # -rw-r--r-- when unzipped
            bundle.writestr(entry, data, zipfile.ZIP_DEFLATED)


WHEELS: dict = {}  # Sphinx application -> its Wheel being built


def start_wheel(app: Sphinx, env) -> None:
    """Once the pages are read, start building the wheel the bundles carry (see Wheel)."""
    if offers_bundles(app) and app not in WHEELS:
        WHEELS[app] = Wheel(Path(app.srcdir), Path(app.outdir).parent / f"{PACKAGE}-wheel")


def write_bundles(app: Sphinx, exception: Exception | None) -> None:
    """After a successful build, write a bundle for every notebook page."""
    started = WHEELS.pop(app, None)
    if exception is not None or not offers_bundles(app):
        if started is not None:
            started.cancel()
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    wheel = (started or Wheel(srcdir, outdir.parent / f"{PACKAGE}-wheel")).path()
    for docname in sorted(d for d in app.env.found_docs if is_notebook(app, d)):
        # The notebook myst-nb rendered, with its outputs (the theme offers the same file
        # for Markdown notebooks).
        notebook = outdir.parent / "jupyter_execute" / f"{docname}.ipynb"
        if not notebook.is_file():
            raise ExtensionError(f"{docname}: no executed notebook at {notebook}")
        name = Path(docname).name
        title = app.env.titles[docname].astext()
        readme = README.format(title=title, book=app.config.html_title, notebook=f"{name}.ipynb")
        notebooks = {f"{name}.ipynb": notebook.read_bytes()}
        files = bundle_files(srcdir, wheel, readme, notebooks)
        write_zip(outdir / bundle_url(docname), name, files)


BUTTON = {  # the page's bundle in its download menu
    "text": ".zip",
    "tooltip": "Download this chapter, ready to run (notebook + lecnotes)",
    "icon": "fas fa-file-zipper",
    "label": "download-bundle-button",
}


def is_bundled_page(app: Sphinx, pagename: str) -> bool:
    """Whether the page has a bundle (and so a download menu that offers bundles)."""
    if not offers_bundles(app) or pagename not in app.env.found_docs:
        return False
    return is_notebook(app, pagename)


def add_menu_link(context: dict, position: int, target: str, **button: str) -> None:
    """Put a link to ``target`` (a path from the site root) at ``position`` of the page's
    download menu; ``button`` gives its ``text``, ``tooltip``, ``icon`` and ``label``."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            link = {"type": "link", "url": context["pathto"](target, 1), **button}
            group["buttons"].insert(position, link)


def add_download_entry(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """Offer the page's bundle first in the theme's download menu."""
    if is_bundled_page(app, pagename):
        add_menu_link(context, 0, bundle_url(pagename), **BUTTON)


def setup(app: Sphinx) -> dict:
    # After sphinx-book-theme has made its download menu (priority 501).
    app.connect("html-page-context", add_download_entry, priority=600)
    app.connect("env-updated", start_wheel)
    # Before student_edition's handler (500), which then finds the wheel in the cache.
    app.connect("build-finished", write_bundles, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
