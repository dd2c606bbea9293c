"""``python -m core literature --si-table`` and ``literature lab ...``
(core/cli/literature_si.py), through :func:`core.cli.main`."""

from __future__ import annotations

import json
import re

import pytest

from core.cli import main

LAB_CSV = (
    "record_id,first_author,year,journal,doi,device_role,el_peak_nm,"
    "eqe_max_percent,source_location,rankable\n"
    "doe2025jot-best,Doe,2025,Journal of Tests,10.9999/jot.2025.1,champion,632,"
    '21.50,"EQE, peak: Fig. 2",true\n'
)


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'lab.sqlite3'}"


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_si_table_latex_writes_tex_and_bib_with_matching_keys(tmp_path, capsys):
    out = tmp_path / "si"
    argv = ["literature", "--si-table", "--demo-device", "treated",
            "--rows", "closest:10", "--format", "latex", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    answer = _json(capsys)["si_table"]
    assert answer["files"] == [str(out) + ".tex", str(out) + ".bib"]
    assert (
        answer["devices"] == ["Treated (synthetic)"] and len(answer["record_ids"]) == 10
    )
    tex = (tmp_path / "si.tex").read_text()
    bib = (tmp_path / "si.bib").read_text()
    cited = set(re.findall(r"\\cite\{([^}]*)\}", tex))
    assert cited == set(re.findall(r"^@article\{([^,]+),", bib, flags=re.M))
    assert cited == set(answer["cite_keys"])
    assert r"\bibliography{si}" in tex


def test_si_table_docx_needs_out_and_md_goes_to_stdout(tmp_path, capsys):
    base = ["literature", "--si-table", "--demo-device", "treated", "--rows", "top:3"]
    assert main([*base, "--format", "docx"]) == 2
    assert "--format docx needs --out" in capsys.readouterr().err
    assert main([*base, "--format", "md", "--columns", "eqe_max,t50_ref"]) == 0
    table = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("|")
    ]
    assert table[0] == "| Device | Ref. | EQE max (%) | T50 at 100 cd m⁻² (h) |"
    assert len(table) == 2 + 4  # header, rule, the device and 3 rows
    assert main([*base, "--format", "docx", "--out", str(tmp_path / "t.docx")]) == 0
    assert (tmp_path / "t.docx").read_bytes()[:2] == b"PK"


def test_si_table_errors_are_sentences(tmp_path, capsys):
    device = tmp_path / "dev.json"
    device.write_text("[1, 2]")
    assert main(["literature", "--si-table", "--device", str(device)]) == 2
    assert "expected a JSON object of device metrics, found a list" in (
        capsys.readouterr().err
    )
    assert main(["literature", "--format", "latex"]) == 2
    assert "--format latex is for --si-table" in capsys.readouterr().err


def test_lab_rows_from_the_cli_appear_marked_lab(tmp_path, capsys, database):
    path = tmp_path / "rows.csv"
    path.write_text(LAB_CSV)
    assert main(["literature", "lab", "add", str(path), "--database", database]) == 0
    added = _json(capsys)
    assert added["single_user"] is True
    assert [(r["id"], r["record_id"]) for r in added["added"]] == [
        (1, "doe2025jot-best")
    ]
    # The database given before "lab" is kept too.
    assert main(["literature", "--database", database, "lab", "list"]) == 0
    assert [r["cells"]["eqe_max_percent"] for r in _json(capsys)["rows"]] == ["21.50"]
    assert main(["literature", "--lab", "--database", database]) == 0
    rows = _json(capsys)["rows"]
    assert [
        (r["record_id"], r["origin"]) for r in rows if r["origin"] != "curated"
    ] == [("doe2025jot-best", "lab")]
    device = tmp_path / "dev.json"
    device.write_text(json.dumps({"eqe_max_percent": 22.0}))
    argv = ["literature", "--lab", "--database", database, "--rank", str(device)]
    assert main(argv) == 0
    assert (
        "1 lab row(s) from the library are in the comparison: doe2025jot-best"
        in (_json(capsys)["warnings"])
    )
    out = tmp_path / "export.csv"
    argv = ["literature", "lab", "export", "--out", str(out), "--database", database]
    assert main(argv) == 0
    assert _json(capsys)["rows"] == 1
    assert out.read_text().splitlines()[0].startswith("record_id,first_author,year")
    assert main(["literature", "lab", "delete", "1", "--database", database]) == 0
    assert _json(capsys)["deleted"] == "for good"
    assert main(["literature", "lab", "delete", "1", "--database", database]) == 2
    assert "There is no lab row 1 in the library." in capsys.readouterr().err


def test_a_bad_lab_csv_names_its_line(tmp_path, capsys, database):
    path = tmp_path / "rows.csv"
    path.write_text(LAB_CSV.replace("21.50", "lots"))
    assert main(["literature", "lab", "add", str(path), "--database", database]) == 2
    err = capsys.readouterr().err
    assert "rows.csv, line 2, record 'doe2025jot-best': column 'eqe_max_percent'" in err
