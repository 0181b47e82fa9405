import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
SHROUT_FLEISS = (
    "subject,j1,j2,j3,j4\n1,9,2,5,8\n2,6,1,3,2\n3,8,4,6,8\n4,7,1,2,6\n5,10,5,6,9\n6,6,2,4,7\n"
)
KRIPPENDORFF = (
    "subject,A,B,C,D\n1,1,1,,1\n2,2,2,3,2\n3,3,3,3,3\n4,3,3,3,3\n5,2,2,2,2\n6,1,2,3,4\n"
    "7,4,4,4,4\n8,1,1,2,1\n9,2,2,2,2\n10,,5,5,5\n11,,,1,1\n12,,3,,\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "ratings.csv"
    path.write_text(text)
    out = StringIO()
    call_command("agreement", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_json_object_with_every_number_and_interval(tmp_path):
    data = json.loads(run(tmp_path, SHROUT_FLEISS, "--json"))
    names = ["icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"]
    names += ["alpha_nominal", "alpha_ordinal", "alpha_interval", "alpha_ratio"]
    assert set(data) == set(names) | {f"{n}_ci" for n in names}
    assert [round(data[n], 2) for n in names[:6]] == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert all(len(data[f"{n}_ci"]) == 2 for n in names)


def test_it_reproduces_krippendorff_with_missing_cells_and_nulls_the_icc(tmp_path):
    data = json.loads(run(tmp_path, KRIPPENDORFF, "--json"))
    alphas = [data[f"alpha_{level}"] for level in ("nominal", "ordinal", "interval", "ratio")]
    assert [round(a, 3) for a in alphas] == [0.743, 0.815, 0.849, 0.797]
    # Seven units are rated by all four observers, so the ICCs are defined on those.
    assert data["icc2"] is not None
    one_complete = "subject,a,b\n1,1,2\n2,,3\n3,4,\n"
    data = json.loads(run(tmp_path, one_complete, "--json"))
    assert data["icc1"] is None and data["icc1_ci"] is None


def test_it_prints_a_readable_table_without_json(tmp_path):
    out = run(tmp_path, SHROUT_FLEISS)
    assert "ICC(2,1)" in out and "0.290" in out and "Spearman" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1"),
        ("subject,a,b\n1,2,3\n2,3\n", "line 3"),
        ("subject,a,b\n1,2,three\n", "line 2"),
        ("1,2,3\n4,5,6\n", "line 1"),
        ("subject,a\n1,2\n", "line 1"),
    ],
)
def test_it_refuses_malformed_files_naming_the_line(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, text)


def test_it_exits_non_zero_from_the_shell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("subject,a,b\n1,2,3\n2,3\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "agreement", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "line 3" in result.stderr and result.stdout == ""
