"""Tests for ``python -m core literature`` (core/cli/literature.py) on the table."""

from __future__ import annotations

from core import literature


def _cli(argv):
    import argparse

    from core.cli import literature as cli_literature

    parser = argparse.ArgumentParser(prog="python -m core")
    cli_literature.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["literature", *argv])
    return args.func(args)


def test_cli_rows_json(capsys, table):
    import json

    assert _cli([]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["rows"]) == len(table)
    control = next(
        r for r in payload["rows"] if r["record_id"] == "ren2024acsml-control"
    )
    assert control["el_peak_nm"] is None  # NaN -> null
    assert control["eqe_max_percent"] == 14.5
    assert control["rankable"] is False


def test_cli_rows_csv(capsys):
    assert _cli(["--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("record_id,first_author,year")


def test_cli_rank(tmp_path, capsys):
    import json

    device = tmp_path / "device.json"
    device.write_text(json.dumps({"eqe_max_percent": 100.0}))
    assert _cli(["--rank", str(device)]) == 0
    payload = json.loads(capsys.readouterr().out)
    eqe = payload["ranking"][0]
    assert (eqe["metric"], eqe["rank"], eqe["percentile"]) == (
        "eqe_max_percent",
        1,
        100.0,
    )
    assert payload["reference_luminance_cd_m2"] == 100.0
    assert "luminance_max_cd_m2: not given" in payload["warnings"]


def test_cli_rank_bad_json(tmp_path, capsys):
    device = tmp_path / "device.json"
    device.write_text('{"eqe_max_percent": 21,}')
    assert _cli(["--rank", str(device)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: device.json, line 1: not valid JSON")


def test_main_cli_dispatches_to_literature(capsys):
    import json

    from core.cli import main

    assert main(["literature"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(rows) == len(literature.load_table()) >= 15


def test_cli_output_keeps_the_derived_decimals_columns_out(capsys):
    # The *_decimals columns are derived when the table is read; the rows the
    # CLI prints hold only the codebook's columns (and origin).
    import json

    schema = set(literature.load_schema()["column"]) | {"origin"}
    assert _cli(["--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert set(header) <= schema
    assert _cli([]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert set(rows[0]) <= schema
    assert literature.load_table()["t50_h_decimals"].max() == 4  # "8.1667"


def test_cli_rank_of_the_seed_device_entered_in_minutes(tmp_path, capsys):
    import json

    # Ren et al. 2024: 490 min at 102 cd/m², the table's 8.1667 h row.
    device = tmp_path / "seed.json"
    device.write_text(
        json.dumps({"t50_h": 490 / 60, "t50_initial_luminance_cd_m2": 102})
    )
    assert _cli(["--rank", str(device)]) == 0
    payload = json.loads(capsys.readouterr().out)
    t50 = next(r for r in payload["ranking"] if r["metric"] == "t50_ref_h")
    assert "ren2024acsml-treated" in t50["equal_record_ids"]
    assert t50["status"] == "too few to rank"
    assert t50["rank"] is None and t50["percentile"] is None
    assert payload["min_rank_n"] == 5
    assert any(
        w.startswith("t50_ref_h: too few to rank (n = ") for w in payload["warnings"]
    )
