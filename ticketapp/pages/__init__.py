"""Pages: each module holds its page and its own State substate."""
