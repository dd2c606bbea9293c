"""
core/library/access.py: with a login, every record has an owner; a user sees
their own devices and the lab's, and cannot open, change or delete another
user's private device through the data layer (on SQLite and PostgreSQL).
"""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.library import LOCAL_USER, PermissionDenied, User, acting_user
from tests.core.library.library_support import save_demo

# As Streamlit's st.user gives them with OIDC configured.
ALICE = User.from_login({"email": "Alice@Lab.example", "sub": "a-1", "name": "Alice"})
BOB = User.from_login({"email": "bob@lab.example", "sub": "b-2", "name": "Bob"})


@pytest.fixture
def shared(library):
    """Alice's private device and her device shared with the lab."""
    private = save_demo(library, "alice private", user=ALICE)
    lab = save_demo(library, "alice lab", index=1, user=ALICE, visibility="lab")
    mine = save_demo(library, "bob own", user=BOB)
    return library, private, lab, mine


def test_a_login_user_is_known_by_their_email():
    assert ALICE.id == "alice@lab.example" and ALICE.name == "Alice"
    assert User.from_login({"sub": "oidc|42"}).id == "oidc|42"
    with pytest.raises(InputError, match="neither an e-mail nor a subject"):
        User.from_login({"name": "nobody"})
    assert issubclass(PermissionDenied, InputError)  # pages show it with st.error


def test_a_page_acts_as_the_local_user_only_without_login():
    assert acting_user(False) is LOCAL_USER
    assert acting_user(False, {"is_logged_in": True, "email": "a@b"}) is LOCAL_USER
    signed_in = {"is_logged_in": True, "email": "Alice@Lab.example", "name": "Alice"}
    assert acting_user(True, signed_in) == ALICE
    with pytest.raises(PermissionDenied, match="Sign in"):
        acting_user(True, {"is_logged_in": False})
    with pytest.raises(PermissionDenied, match="Sign in"):
        acting_user(True, None)


def test_each_user_lists_their_own_devices_and_the_labs(shared):
    library, *_ = shared

    def names(user):
        return sorted(d.record.name for d in library.list_devices(user))

    assert names(ALICE) == ["alice lab", "alice private"]
    assert names(BOB) == ["alice lab", "bob own"]
    assert names(LOCAL_USER) == ["alice lab"]
    assert {d.owner for d in library.list_devices(BOB)} == {ALICE.id, BOB.id}


def test_another_users_private_device_cannot_be_read_or_changed(shared):
    library, private, _, _ = shared
    before = library.table_counts()
    for attempt in (
        lambda: library.open_device(private, BOB),
        lambda: library.open_device(private, BOB, reanalyse=False),
        lambda: library.update(private, {"name": "mine now"}, BOB),
        lambda: library.reanalyse(private, BOB),
        lambda: library.soft_delete(private, BOB),
        lambda: library.restore(private, BOB),
        lambda: library.hard_delete(private, BOB, confirm=True),
        lambda: library.export_archive("unused.zip", BOB, [private]),
    ):
        with pytest.raises(PermissionDenied, match="private record of another user"):
            attempt()
    assert library.table_counts() == before
    assert library.open_device(private, ALICE).record.name == "alice private"


def test_a_lab_device_is_read_only_for_the_others(shared, tmp_path):
    library, _, lab, _ = shared
    device = library.open_device(lab, BOB)
    assert device.owner == ALICE.id and device.reproduced is True
    for attempt in (
        lambda: library.update(lab, {"notes": "bob was here"}, BOB),
        lambda: library.soft_delete(lab, BOB),
        lambda: library.reanalyse(lab, BOB),
    ):
        with pytest.raises(PermissionDenied, match="only its owner"):
            attempt()
    archive = library.export_archive(tmp_path / "bob.zip", BOB)
    assert archive["devices"] == 2  # his own and the lab's, not Alice's private


def test_a_lab_device_in_the_trash_is_hidden_from_the_others(shared):
    library, _, lab, _ = shared
    library.soft_delete(lab, ALICE)
    assert "alice lab" not in {d.record.name for d in library.list_devices(BOB)}
    assert library.list_devices(BOB, trash=True) == []
    with pytest.raises(InputError, match="trash"):
        library.open_device(lab, BOB)
    assert [d.record.name for d in library.list_devices(ALICE, trash=True)] == [
        "alice lab"
    ]


def test_a_reanalysis_by_a_reader_is_shown_but_not_saved(shared, monkeypatch):
    import core

    library, _, lab, _ = shared
    monkeypatch.setattr(core, "__version__", "9.9.9")
    device = library.open_device(lab, BOB)
    new, old = device.analyses
    assert new.software_version == "9.9.9" and not new.saved and new.id is None
    assert new.label.endswith("(now, not saved) (current)")
    assert len(library.open_device(lab, ALICE, reanalyse=False).analyses) == 1


def test_the_single_user_without_login_owns_what_they_save(library):
    device_id = save_demo(library)
    assert library.open_device(device_id).owner == LOCAL_USER.id == "local"
    assert LOCAL_USER.is_local and not ALICE.is_local
    with pytest.raises(PermissionDenied):
        library.open_device(device_id, ALICE)
