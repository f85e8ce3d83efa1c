"""Business rules over a SQLModel Session. Knows nothing of Reflex.

Every function that acts for a person takes the acting user (`Actor`) and checks permission
itself, so pages, the REST API and the CLI share one set of rules.
"""
