"""
core/io/archive.py: the files of a .zip upload, read in memory, and the
archives that are refused (zip bombs, too many files, paths outside the
archive, encrypted members, bytes that are not a zip).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from core.errors import InputError
from core.io.archive import (
    MAX_MEMBERS,
    expand_files,
    is_hidden,
    natural_key,
    zip_members,
)
from core.io.text import MAX_UPLOAD_BYTES


def archive(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as handle:
        for name, content in members.items():
            handle.writestr(name, content)
    return buffer.getvalue()


def test_nested_folders_are_flattened_with_their_path_in_the_name():
    data = archive(
        {
            "run1/spec_10.csv": b"10",
            "run1/spec_2.csv": b"2",
            "run2/deep/spec_1.csv": b"1",
            "top.txt": b"top",
            "run1/": b"",  # a folder entry
        }
    )
    files, notes = zip_members(data, "run.zip")
    assert [name for name, _ in files] == [
        "run1/spec_2.csv",
        "run1/spec_10.csv",
        "run2/deep/spec_1.csv",
        "top.txt",
    ]
    assert dict(files)["run1/spec_10.csv"] == b"10"
    assert notes == []


def test_hidden_system_files_and_inner_archives_are_left_out_with_a_note():
    data = archive(
        {
            "a.csv": b"1",
            "__MACOSX/._a.csv": b"x",
            ".DS_Store": b"x",
            "sub/Thumbs.db": b"x",
            "inner.zip": archive({"b.csv": b"2"}),
        }
    )
    files, notes = zip_members(data, "run.zip")
    assert [name for name, _ in files] == ["a.csv"]
    assert len(notes) == 4
    assert any("inner.zip" in note and "not opened" in note for note in notes)


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    # 101 MB of zeros deflate to ~100 kB: the archive is small, its content not.
    bomb = archive({"zeros.txt": bytes(MAX_UPLOAD_BYTES + 2**20)})
    assert len(bomb) < 200_000
    with pytest.raises(InputError, match=r"bomb\.zip holds more than 100 MB once"):
        zip_members(bomb, "bomb.zip")


def test_the_unpacked_size_counts_every_member():
    data = archive({f"f{i}.txt": bytes(400) for i in range(3)})
    with pytest.raises(InputError, match="more than 0 MB"):
        zip_members(data, "three.zip", max_bytes=1000)
    files, _ = zip_members(data, "three.zip", max_bytes=1200)
    assert len(files) == 3


def test_a_member_whose_directory_lies_about_its_size_is_refused():
    # The central directory says 10 bytes; the member holds 5000.
    data = bytearray(archive({"a.txt": b"x" * 5000}, zipfile.ZIP_STORED))
    end = data.rfind(b"PK\x01\x02")  # the central directory entry
    data[end + 24 : end + 28] = (10).to_bytes(4, "little")  # uncompressed size
    # zipfile reads the 10 bytes the directory gives and finds the CRC wrong.
    with pytest.raises(InputError, match=r"liar\.zip: a\.txt cannot be unpacked"):
        zip_members(bytes(data), "liar.zip", max_bytes=100)


def test_too_many_files_are_refused():
    data = archive({f"f{i}.txt": b"1" for i in range(MAX_MEMBERS + 1)})
    with pytest.raises(InputError, match=r"many\.zip holds 1001 files: archives of up"):
        zip_members(data, "many.zip")


@pytest.mark.parametrize(
    "member, why",
    [
        ("../evil.csv", "points outside the archive"),
        ("run/../../evil.csv", "points outside the archive"),
        ("/etc/passwd", "an absolute path"),
        ("C:\\Windows\\evil.csv", "an absolute path"),
    ],
)
def test_paths_outside_the_archive_refuse_the_whole_archive(member, why):
    data = archive({"good.csv": b"1", member: b"2"})
    with pytest.raises(InputError, match=why) as caught:
        zip_members(data, "evil.zip")
    assert "evil.zip" in str(caught.value) and "was not opened" in str(caught.value)


def test_an_encrypted_member_is_refused():
    # zipfile cannot write encryption: set the "encrypted" flag bit by hand in
    # the local header (offset 6) and the central directory entry (offset 8).
    data = bytearray(archive({"secret.csv": b"1"}, zipfile.ZIP_STORED))
    data[6] |= 0x1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(InputError, match="secret.csv is encrypted"):
        zip_members(bytes(data), "secret.zip")


@pytest.mark.parametrize(
    "data, why",
    [
        (b"Wavelength,Intensity\n500,1\n", "is not a zip archive"),
        (b"%PDF-1.7 not a zip", "is not a zip archive"),
        (archive({"a.csv": b"1" * 1000})[:60], "cannot be read as a zip archive"),
        (archive({}), "holds no files"),
    ],
)
def test_bytes_that_are_not_a_usable_zip_give_a_sentence(data, why):
    with pytest.raises(InputError, match=why) as caught:
        zip_members(data, "data.zip")
    assert str(caught.value).startswith("data.zip")


def test_expand_files_unpacks_archives_in_place_and_keeps_other_files():
    files, notes = expand_files(
        [
            ("first.csv", b"1"),
            ("run.zip", archive({"b.csv": b"2", "sub/c.csv": b"3"})),
            (".hidden", b"x"),
            ("book.xlsx", b"PK\x03\x04 an Excel file is a zip, not an archive"),
        ]
    )
    assert [name for name, _ in files] == [
        "first.csv",
        "run/b.csv",
        "run/sub/c.csv",
        "book.xlsx",
    ]
    assert notes == ["run.zip: 2 file(s) unpacked.",
                     ".hidden left out (a hidden or system file)."]  # fmt: skip
    # One archive alone: its files by their path inside.
    alone, _ = expand_files([("run.zip", archive({"b.csv": b"2"}))])
    assert alone == [("b.csv", b"2")]


def test_natural_order_and_hidden_names():
    names = ["spec_10.csv", "spec_9.csv", "Spec_1.csv", "spec_1b.csv"]
    assert sorted(names, key=natural_key) == [
        "Spec_1.csv",
        "spec_1b.csv",
        "spec_9.csv",
        "spec_10.csv",
    ]
    assert is_hidden("a/.git/config") and not is_hidden("a/b.csv")
