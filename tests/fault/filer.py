"""Child process of the kill -9 fault test: files tickets with attachments, in a loop, the way
the filing form does (pages/ticket_new/parking.py): park the chosen files, read them back on submit,
`tickets.create_ticket(..., attachments=...)` in one transaction through `run_in_session`,
then discard the parked files. Prints `filed <number>` after each commit.

    python -m tests.fault.filer <database_url> <data_dir> <seed>
"""

from __future__ import annotations

import asyncio
import io
import os
import random
import secrets
import sys


def _png(rng: random.Random) -> bytes:
    from PIL import Image

    w, h = rng.randint(200, 900), rng.randint(150, 700)
    img = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))  # noise: big PNG
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _log(rng: random.Random) -> bytes:
    lines = rng.randint(50, 20_000)
    return "".join(f"{i:06d} worker {rng.randint(1, 9)} timeout\n" for i in range(lines)).encode()


async def _loop(seed: int) -> None:
    from sqlmodel import select

    from ticketapp.db import run_in_session
    from ticketapp.models import User
    from ticketapp.pages.ticket_new import parking
    from ticketapp.pages.ticket_new.view_model import PendingFile
    from ticketapp.services import tickets
    from ticketapp.services.actor import Actor

    rng = random.Random(seed)

    def requester(session):
        user = session.exec(select(User).where(User.email == "requester@example.com")).one()
        return Actor.of(user)

    actor = await run_in_session(requester, readonly=True)
    folder = parking.parking_folder(actor.id)
    n = 0
    while True:
        n += 1
        chosen = [("screenshot.png", _png(rng)), ("server.log", _log(rng))][: rng.randint(1, 2)]
        pending = [
            PendingFile(
                token=await asyncio.to_thread(parking.park, folder, data), name=name, size=""
            )
            for name, data in chosen
        ]
        files = await asyncio.to_thread(parking.read_parked, actor.id, pending)
        assert files is not None
        ref = await run_in_session(
            tickets.create_ticket,
            actor,
            title=f"Fault test {seed}-{n}: printer on fire",
            description="Filed by tests/fault/filer.py while the parent kills it at random.",
            type="question",
            impact="normal",
            details={},
            idempotency_key=secrets.token_hex(16),
            attachments=files,
        )
        for f in pending:
            (folder / f["token"]).unlink(missing_ok=True)
        print(f"filed {ref.number}", flush=True)


def main() -> None:
    database_url, data_dir, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.environ["TICKETAPP_DATABASE_URL"] = database_url
    os.environ["TICKETAPP_DATA_DIR"] = data_dir
    print("ready", flush=True)
    asyncio.run(_loop(seed))


if __name__ == "__main__":
    main()
