"""A chapter downloaded from the site runs outside this repository.

Every notebook page offers ``downloads/<page>.zip`` (_ext/downloads.py): the notebook, the
``lecnotes`` wheel, requirements and a README. Here the bundles are unzipped into a
temporary folder and run (two top to bottom, the others' imports; see EXECUTED) in a
virtual environment that holds only what the README installs (``pip install -r
requirements.txt``, from the package indexes pip is configured with), with no path to this
repository: not the project's .venv, where lecnotes is installed in editable mode (a
``--system-site-packages`` shortcut would inherit that too), and not PYTHONPATH.

That environment takes a minute or two to install, so it is kept in _build/download-venv
and made again only when the bundle's requirements change; the bundle's own wheel is
installed into it afresh on every run, so the package that runs is the downloaded one.
"""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.website.conftest import ROOT, SITE, pages

pytestmark = pytest.mark.site

VENV = ROOT / "_build" / "download-venv"
BUNDLES = sorted(SITE.glob("downloads/**/*.zip")) if SITE.is_dir() else []
NOTEBOOK_PAGES = ["intro.html"] + [p for p in pages() if p.startswith("chapters/")]

# Run in the download venv. RUN executes one notebook in its folder, then prints where
# Python and lecnotes came from (the kernel uses Unix sockets, as tools/execute.py explains);
# IMPORTS runs the import statements of every code cell of the notebooks it is given.
RUN = """
import sys, tempfile
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

path = Path(sys.argv[1])
nb = nbformat.read(path, as_version=4)
PROBE = "import sys, lecnotes; print(sys.prefix, lecnotes.__file__)"
nb.cells.append(nbformat.v4.new_code_cell(PROBE))
with tempfile.TemporaryDirectory() as sockets:
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sockets) / "kernel")
    NotebookClient(nb, config=config, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
print(nb.cells[-1].outputs[0]["text"])
"""
IMPORTS = """
import ast, sys
import nbformat

for path in sys.argv[1:]:
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            tree.body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
            exec(compile(tree, path, "exec"), {})
    print("imported", path)
"""
# Executed in full: the introduction (a Markdown notebook) and the chapter of the issue's
# example (?lr=31.6). Every other bundle runs its imports; nbval runs its code with the
# same pinned libraries, and the wheel holds every lecnotes module (tested below).
EXECUTED = ["intro", "08_learning_rates"]


def clean_env() -> dict:
    """The environment a reader's shell would have: the download venv first, no repo."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))]
    env["PATH"] = os.pathsep.join([str(VENV / "bin"), *path])
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run(command: list, cwd: Path) -> str:
    """Run ``command`` in the reader's environment; its output, or a failure with it."""
    result = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True)
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def download_venv(folder: Path) -> Path:
    """The venv a reader makes from an unzipped bundle, made once per set of requirements."""
    key = hashlib.sha256(
        sys.version.encode()
        + (folder / "requirements.txt").read_bytes()
        + (folder / "constraints.txt").read_bytes()
    ).hexdigest()
    stamp = VENV / ".requirements-key"
    if not (stamp.is_file() and stamp.read_text() == key):
        shutil.rmtree(VENV, ignore_errors=True)
        # Made from the base interpreter, not the project's venv: nothing inherited.
        base = Path(sys.base_prefix, "bin", f"python{sys.version_info[0]}.{sys.version_info[1]}")
        run([str(base), "-m", "venv", str(VENV)], folder)
        run(
            [str(VENV / "bin" / "python"), "-m", "pip", "install", "-r", "requirements.txt"], folder
        )
        stamp.write_text(key)
    return VENV / "bin" / "python"


def test_every_notebook_page_offers_its_bundle(site):
    for page in NOTEBOOK_PAGES:
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(".dropdown-download-buttons a.btn-download-bundle-button")
        assert link is not None, page
        target = (site / page).parent / link["href"]
        assert target.resolve() in {b.resolve() for b in BUNDLES}, (page, link["href"])
    assert len(BUNDLES) == len(NOTEBOOK_PAGES)


def test_a_bundle_holds_the_notebook_the_package_and_how_to_install_them():
    with zipfile.ZipFile(SITE / "downloads" / "chapters" / "08_learning_rates.zip") as bundle:
        names = sorted(bundle.namelist())
        read = {name: bundle.read(name) for name in names}
    wheel = next(n for n in names if n.endswith(".whl"))
    files = ("08_learning_rates.ipynb", "README.md", "requirements.txt", "constraints.txt")
    assert names == sorted([wheel] + [f"08_learning_rates/{n}" for n in files])
    readme, requirements, constraints = (read[f"08_learning_rates/{n}"].decode() for n in files[1:])
    # The chapter's code, and every lecnotes module.
    bundled = nbformat.reads(read["08_learning_rates/08_learning_rates.ipynb"].decode(), 4)
    source = nbformat.read(ROOT / "chapters" / "08_learning_rates.ipynb", 4)
    assert [c.source for c in bundled.cells if c.cell_type == "code"] == [
        c.source for c in source.cells if c.cell_type == "code"
    ]
    assert wheel.startswith("08_learning_rates/lecnotes-")
    with zipfile.ZipFile(io.BytesIO(read[wheel])) as package:
        modules = {n for n in package.namelist() if n.startswith("lecnotes/")}
    assert modules == {p.relative_to(ROOT).as_posix() for p in ROOT.glob("lecnotes/*.py")}
    assert "pip install -r requirements.txt" in readme and "jupyter lab 08_learning_rates" in readme
    assert f"./{Path(wheel).name}" in requirements and "-c constraints.txt" in requirements
    assert {"jupyterlab", "jupyterlab-myst"} <= set(requirements.splitlines())  # MyST renders
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert "numpy==" in constraints and all(
        p in constraints for p in pins if "==" in p and not p.startswith("#")
    )
    assert "-e ." not in constraints


@pytest.mark.e2e  # installs a fresh venv
def test_downloaded_chapters_run_outside_the_repository(tmp_path):
    folders = {}
    for bundle in BUNDLES:
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(tmp_path)
        folders[bundle.stem] = tmp_path / bundle.stem
    python = str(download_venv(folders["intro"]))
    wheel = next(folders["intro"].glob("lecnotes-*.whl")).name
    run([python, "-m", "pip", "install", "--no-deps", "--force-reinstall", wheel], folders["intro"])

    def execute(name: str) -> list[str]:
        return run([python, "-c", RUN, f"{name}.ipynb"], folders[name]).split()[-2:]

    with ThreadPoolExecutor(len(EXECUTED)) as pool:  # side by side, one per core
        results = dict(zip(EXECUTED, pool.map(execute, EXECUTED), strict=True))
    for name, (prefix, lecnotes_file) in results.items():
        assert Path(prefix).resolve() == VENV.resolve(), name
        assert lecnotes_file.startswith(str(VENV / "lib")), lecnotes_file  # the wheel's copy
    notebooks = [str(folder / f"{name}.ipynb") for name, folder in folders.items()]
    assert run([python, "-c", IMPORTS, *notebooks], tmp_path).count("imported") == len(BUNDLES)


@pytest.mark.e2e  # the fresh venv of the test above (one file: never two venvs at once)
def test_the_student_edition_runs_outside_the_repository(tmp_path):
    """The student edition (``_ext/student_edition.py``) installs as a chapter's bundle does,
    and a student notebook, with its stubs and ``%%checks`` cells, runs top to bottom."""
    with zipfile.ZipFile(SITE / "student-edition.zip") as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "student-edition"
    python = str(download_venv(folder))
    wheel = next(folder.glob("lecnotes-*.whl")).name
    run([python, "-m", "pip", "install", "--no-deps", "--force-reinstall", wheel], folder)
    output = run([python, "-c", RUN, "01_matrix_gradients.ipynb"], folder)
    prefix, lecnotes_file = output.split()[-2:]
    assert Path(prefix).resolve() == VENV.resolve()
    assert lecnotes_file.startswith(str(VENV / "lib")), lecnotes_file
