"""Business rules over a SQLModel Session. Knows nothing of Reflex.

Every function that acts for a person takes the acting user (`Actor`) and checks permission
itself, so pages, the REST API and the CLI share one set of rules. Who may see which ticket
(and which parts of it) is decided in one place, `visibility.py`; a domain past ~400 lines is a
subpackage whose `__init__` re-exports the names callers use (`tickets.create_ticket(...)`).
"""
