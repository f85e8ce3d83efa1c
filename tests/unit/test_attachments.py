import io
import zipfile

import pytest
from sqlmodel import select

from tests.unit.factories import make_ticket, people, png_bytes
from ticketapp.models import Attachment
from ticketapp.services import attachments, tickets
from ticketapp.services.errors import NotFound, ValidationError


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    monkeypatch.setattr(attachments, "attachments_dir", lambda: folder)
    return folder


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def zip_with(**members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name.replace("__", "/").replace("_dot_", "."), data)
    return out.getvalue()


def test_image_upload_gets_random_name_and_thumbnail(session, p, store):
    ref = make_ticket(session, p.requester)
    view = attachments.store_upload(session, p.requester, ref.id, None, "screen.png", png_bytes())
    session.commit()
    row = session.get(Attachment, view.id)
    assert row.storage_name != "screen.png" and len(row.storage_name) == 32
    assert view.has_thumbnail and view.content_type == "image/png"
    path, name, ctype = attachments.open_download(session, p.requester, view.id)
    assert path.read_bytes() == png_bytes() and name == "screen.png" and ctype == "image/png"
    thumb, thumb_name, thumb_type = attachments.open_download(
        session, p.agent, view.id, thumbnail=True
    )
    from PIL import Image

    with Image.open(thumb) as im:
        assert max(im.size) == 320
    assert thumb_type == "image/png" and thumb_name == "screen-thumbnail.png"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("notes.txt", b"<!DOCTYPE html><html><body onload=alert(1)>"),
        ("tool.exe", b"MZ\x90\x00"),
        ("fake.png", b"%PDF-1.4 not an image"),
        ("fake.pdf", b"<html>"),
        ("fake.docx", b"PK\x03\x04garbage"),
        ("bin.log", b"\x00\x01\x02"),
        ("empty.txt", b""),
        ("noext", b"hello"),
    ],
)
def test_refused_files(session, p, store, name, data):
    ref = make_ticket(session, p.requester)
    with pytest.raises(ValidationError) as err:
        attachments.store_upload(session, p.requester, ref.id, None, name, data)
    assert err.value.field == "attachments"
    assert not store.exists() or list(store.iterdir()) == []


def test_size_limit(session, p, store):
    ref = make_ticket(session, p.requester)
    big = b"a" * (attachments.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="10 MB"):
        attachments.store_upload(session, p.requester, ref.id, None, "big.txt", big)


@pytest.mark.parametrize(
    ("name", "data", "ctype"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("app.log", "ошибка: timeout\n".encode(), "text/plain"),
        ("data.csv", b"a,b\n1,2\n", "text/csv"),
        ("readme.md", b"# Title", "text/markdown"),
        ("bundle.zip", zip_with(a_dot_txt=b"x"), "application/zip"),
        ("letter.docx", zip_with(word__document_dot_xml=b"<w/>"), attachments.ALLOWED[".docx"][0]),
        (
            "sheet.ods",
            zip_with(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
)
def test_accepted_files(session, p, store, name, data, ctype):
    ref = make_ticket(session, p.requester)
    view = attachments.store_upload(session, p.agent, ref.id, None, name, data)
    assert view.content_type == ctype and not view.has_thumbnail


def test_filename_is_sanitised(session, p, store):
    ref = make_ticket(session, p.requester)
    view = attachments.store_upload(
        session, p.requester, ref.id, None, "../../etc/pass\x00wd<x>.txt", b"hi"
    )
    assert view.filename == "passwdx.txt"
    assert [f.parent for f in store.iterdir()] == [store]


def test_rollback_removes_written_files(session, p, store):
    ref = make_ticket(session, p.requester)
    session.commit()
    tickets.add_comment(session, p.requester, ref.id, "see", attachments=[("a.png", png_bytes())])
    assert len(list(store.iterdir())) == 2  # file + thumbnail
    session.rollback()
    assert not store.exists() or list(store.iterdir()) == []
    assert session.exec(select(Attachment)).all() == []


def test_commit_keeps_files(session, p, store):
    ref = make_ticket(session, p.requester, attachments=[("a.txt", b"one"), ("b.txt", b"two")])
    session.commit()
    assert len(list(store.iterdir())) == 2
    view = tickets.get_ticket_view(session, p.requester, ref.number)
    assert [a.filename for a in view.attachments] == ["a.txt", "b.txt"]


def test_internal_note_files_stay_internal(session, p, store):
    ref = make_ticket(session, p.requester)
    note = tickets.add_comment(
        session, p.agent, ref.id, "log", internal=True, attachments=[("s.log", b"x")]
    )
    session.commit()
    att_id = note.attachments[0].id
    with pytest.raises(NotFound):
        attachments.open_download(session, p.requester, att_id)
    view = tickets.get_ticket_view(session, p.requester, ref.number)
    assert view.attachments == [] and view.conversation == []
    assert attachments.open_download(session, p.manager, att_id)[1] == "s.log"


def test_requester_cannot_attach_to_someone_elses_reply(session, p, store):
    ref = make_ticket(session, p.requester)
    note = tickets.add_comment(session, p.agent, ref.id, "internal", internal=True)
    with pytest.raises(NotFound):
        attachments.store_upload(session, p.requester, ref.id, note.id, "a.txt", b"x")


def test_missing_file_on_disk_is_not_found(session, p, store):
    ref = make_ticket(session, p.requester)
    view = attachments.store_upload(session, p.requester, ref.id, None, "a.txt", b"x")
    session.commit()
    for f in store.iterdir():
        f.unlink()
    with pytest.raises(NotFound):
        attachments.open_download(session, p.requester, view.id)
    with pytest.raises(NotFound):
        attachments.open_download(session, p.requester, view.id, thumbnail=True)


def test_savepoint_rollback_keeps_files_of_the_outer_transaction(session, p, store):
    ref = make_ticket(session, p.requester, attachments=[("a.txt", b"one")])
    try:
        with session.begin_nested():
            raise RuntimeError("inner failure")
    except RuntimeError:
        pass
    session.commit()
    assert len(list(store.iterdir())) == 1
    assert tickets.get_ticket_view(session, p.agent, ref.number).attachments


def test_sweep_removes_only_old_files_without_a_row(session, p, store):
    import os
    import time

    ref = make_ticket(session, p.requester, attachments=[("a.png", png_bytes())])
    session.commit()
    kept = sorted(path.name for path in store.iterdir())  # file + thumbnail, both with a row
    # What a process killed between writing the files and committing the row leaves behind:
    old = [store / ("ab" * 16), store / ("cd" * 16), store / ("cd" * 16 + "_thumb.png")]
    young = store / ("ef" * 16)  # may belong to a filing still in flight
    for path in [*old, young]:
        path.write_bytes(b"x")
    hour_ago = time.time() - 2 * attachments.ORPHAN_GRACE_SECONDS
    for path in [*old, *(store / name for name in kept)]:
        os.utime(path, (hour_ago, hour_ago))
    removed = attachments.sweep_orphans(session)
    assert sorted(removed) == sorted(path.name for path in old)
    assert sorted(path.name for path in store.iterdir()) == sorted([*kept, young.name])
    assert attachments.sweep_orphans(session, older_than=0) == [young.name]
    view = tickets.get_ticket_view(session, p.requester, ref.number)
    path, _, _ = attachments.open_download(session, p.requester, view.attachments[0].id)
    assert path.read_bytes() == png_bytes()
