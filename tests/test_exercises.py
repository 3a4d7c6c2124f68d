"""``lecnotes.exercises``: the ``%%checks`` cells of the student edition report every failing
check with its message and never raise, so Run All goes on."""

import subprocess
import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell

from lecnotes import exercises

CHECKS = """\
assert b == 3, "b is three"
assert a > 1, f"a should be above 1, is {a}"
assert b > 4
assert a[0] == 1, "the first entry of a"
assert not_defined_yet, "needs not_defined_yet"
"""


def test_each_assert_runs_on_its_own_and_reports_its_message():
    outcomes = exercises.run_checks(CHECKS, {"a": ..., "b": 3})
    assert [o.passed for o in outcomes] == [True, False, False, False, False]
    assert [o.message for o in outcomes] == [
        "b is three",
        "a should be above 1, is Ellipsis",  # an f-string, evaluated as assert would
        "b > 4",  # no message: the condition as written
        "the first entry of a",
        "needs not_defined_yet",
    ]
    assert outcomes[0].error is None and outcomes[2].error is None
    assert outcomes[1].error.startswith("TypeError: '>' not supported")
    assert outcomes[3].error == "TypeError: 'ellipsis' object is not subscriptable"
    assert outcomes[4].error.startswith("NameError: name 'not_defined_yet'")


def test_a_check_that_passes_is_reported_as_passing():
    outcomes = exercises.run_checks("assert x + 1 == 3, 'x is 2'", {"x": 2})
    assert outcomes == [exercises.Outcome("x is 2", passed=True)]


def test_a_message_over_a_placeholder_falls_back_to_its_source():
    (outcome,) = exercises.run_checks('assert a[0] == 1, f"got {a[0]}"', {"a": ...})
    assert not outcome.passed and outcome.message == 'f"got {a[0]}"'


def test_other_statements_run_in_the_namespace_and_their_errors_propagate():
    namespace = {}
    outcomes = exercises.run_checks("x = 2\nassert x == 2, 'x'\ny = x + 1", namespace)
    assert [o.passed for o in outcomes] == [True] and namespace["y"] == 3
    with pytest.raises(ZeroDivisionError):
        exercises.run_checks("1 / 0", {})


def test_asserts_are_kept_under_python_optimize():
    # compile(..., optimize=0): under `python -O` a plain exec would drop every assert.
    code = "from lecnotes import exercises; print(exercises.run_checks('assert 1 == 2', {}))"
    result = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[Outcome(message='1 == 2', passed=False, error=None)]"


def test_the_report_lists_every_failure_with_its_reason():
    outcomes = exercises.run_checks(CHECKS, {"a": ..., "b": 3})
    report = exercises.describe(outcomes, "exercise 2").splitlines()
    assert report[0] == "exercise 2: 1 of 5 checks pass"
    assert report[1:3] == [
        "✗ a should be above 1, is Ellipsis",
        "  (could not run: TypeError: '>' not supported between instances of 'ellipsis' and"
        " 'int'; a ... placeholder is still in place)",
    ]
    assert report[3] == "✗ b > 4" and report[4] == "✗ the first entry of a"
    assert report[-1].endswith("is not defined; run your code above first)")
    assert "b is three" not in "\n".join(report)  # a passing check is only counted


def test_the_report_when_all_pass_or_there_is_nothing_to_check():
    passing = [exercises.Outcome("m", True)]
    assert exercises.describe(passing, "exercise 1") == "exercise 1: ✓ the check passes"
    assert exercises.describe(passing * 3) == "✓ all 3 checks pass"
    assert exercises.describe([], "exercise 3") == "exercise 3: no checks"


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_the_cell_magic_prints_the_report_and_does_not_raise(shell, capsys):
    shell.run_line_magic("load_ext", "lecnotes.exercises")
    assert shell.run_cell("answer = ...").success
    result = shell.run_cell(
        "%%checks exercise 4\n# a comment\nassert answer == 42, 'the answer is 42'\n"
    )
    assert result.success and result.error_in_exec is None
    assert capsys.readouterr().out == "exercise 4: 0 of 1 checks pass\n✗ the answer is 42\n"
    shell.run_cell("answer = 42")
    shell.run_cell("%%checks exercise 4\nassert answer == 42, 'the answer is 42'\n")
    assert capsys.readouterr().out == "exercise 4: ✓ the check passes\n"
