"""The deterministic demo seed: people, teams, categories, ~80 tickets with backdated history.

`seed_demo(session)` runs inside the caller's transaction (it flushes, never commits) and does
nothing when any user exists. Content lives in `ticketapp.demo_data`; this module turns each
ticket script into rows whose history tells one consistent story, written the way the tickets
service writes them (same event kinds, fields and values), so pages and analytics read demo
tickets like real ones. Everything is driven by `random.Random(42)` and `now`, so two fresh
databases seeded with the same `now` hold the same data.

Modules: plan (the constants, a ticket's plan and story beats, rows waiting for ids), setup
(people, teams, categories, articles, routing, SLA), story (when things happen), ticket (one
ticket's rows from its story; board ranks), demo (`seed_demo`, which puts it together).
"""

from ticketapp.services.seed.demo import seed_demo

__all__ = ["seed_demo"]
